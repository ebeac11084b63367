"""Monthly deliveries of each service, by channel."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from services.models.service import Channel, Service

# Channels where a person needs no office: digital take-up = these ÷ all channels.
ONLINE_CHANNELS = [Channel.EGOV, Channel.MGOV, Channel.VIDEO, Channel.ELICENSE]


class UsageQuerySet(models.QuerySet):
    def for_user(self, user):
        from regions.access import scope_for

        return scope_for(user).filter_through_department(self, path="service__department__")


class Usage(models.Model):
    """How many times a service was delivered in one month through one channel."""

    service = models.ForeignKey(
        Service, models.CASCADE, related_name="usage", verbose_name=_("service")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    count = models.PositiveIntegerField(_("times delivered"))

    objects = UsageQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly delivery")
        verbose_name_plural = _("monthly deliveries")
        ordering = ["-month", "channel"]
        constraints = [
            # With the count beside the keys (PostgreSQL): a report sums a region's twelve
            # months from this index alone, without a visit to the table per row.
            models.UniqueConstraint(
                fields=["service", "month", "channel"],
                include=["count"],
                name="usage_once_per_service_month_channel",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="usage_month_first_day",
                violation_error_message=_("Give the month's first day."),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="usage_channel_valid"
            ),
        ]
        indexes = [
            # The usage admin list: newest months first, by month (date hierarchy). Reports
            # read a region's usage per service through the unique index above.
            models.Index(fields=["month", "service"], name="usage_month_service"),
        ]

    def __str__(self):
        return f"{self.service} · {self.month:%m.%Y} · {self.get_channel_display()}: {self.count}"
