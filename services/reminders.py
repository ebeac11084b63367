"""Reminding department heads whose services' data nobody has confirmed for a while."""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regions.access import heads_of
from services.models import Service


def remind_stale_heads(*, on: date | None = None) -> int:
    """One email to each active head with stale services (with an address); the count sent.

    A head of two departments gets one email naming both; heads whose services are all
    current get nothing.
    """
    on = on or timezone.localdate()
    stale = defaultdict(list)
    for service in (
        Service.objects.in_register(on=on)  # a withdrawn service needs no confirming
        .stale(on=on, days=settings.STALE_AFTER_DAYS)
        .select_related("department")
        .order_by("department_id", "name_ru")
    ):
        stale[service.department_id].append(service)
    heads = defaultdict(list)
    for membership in heads_of(stale).exclude(user__email=""):
        heads[membership.user].append(membership.department)
    emails = []
    for user, departments in heads.items():
        # Each head reads it in their own language (the site's default if they chose none).
        with translation.override(user.language or settings.LANGUAGE_CODE):
            emails.append(_email(user, departments, stale, on))
    if emails:
        get_connection().send_messages(emails)
    return len(emails)


def _email(user, departments, stale, on: date) -> EmailMessage:
    lines = [
        _("Hello, %(name)s.") % {"name": user.get_full_name() or user.get_username()},
        "",
        _(
            "Nobody has confirmed the data of these services for more than %(days)d days. "
            "Please check them, correct what has changed, and confirm the rest "
            "(Services → select → “Confirm the selected services' data are current”)."
        )
        % {"days": settings.STALE_AFTER_DAYS},
    ]
    confirmed_label = _("last confirmed")  # outside the f-string, where xgettext finds it
    for department in departments:
        link = (
            f"{settings.SITE_URL}{reverse('admin:services_service_changelist')}"
            f"?department={department.pk}&stale=true"  # services.filters' names
        )
        lines += ["", f"{department} — {link}"]
        for service in stale[department.pk]:
            when = (
                date_format(service.last_confirmed, "SHORT_DATE_FORMAT")
                if service.last_confirmed
                else _("never")
            )
            lines.append(f"  • {service.name} ({confirmed_label}: {when})")
    return EmailMessage(
        subject=_("Service data to confirm: %(count)d services")
        % {"count": sum(len(stale[d.pk]) for d in departments)},
        body="\n".join(lines),
        to=[user.email],
    )
