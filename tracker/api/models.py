"""The keys that sign a user in to the open-data API."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


def digest_of(key: str) -> str:
    """What is stored of a key. A key is 240 random bits, so one fast hash is enough: no
    dictionary to try, and no salt needed to make equal keys differ."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A key one user reads the API with: kept as its hash, shown once when it is made.

    A superuser makes one for anyone; any other user for themselves (admin.py). It reads
    what its user may see, no more; deleting it revokes it at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the key is for, e.g. the ministry's dashboard."),
    )
    # Only the first characters are kept in clear: enough to tell keys apart in the list.
    prefix = models.CharField(_("key begins with"), max_length=PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_used_on = models.DateField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["user_id", "-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def new_key(self) -> str:
        """Give the token a fresh key (not yet saved); the key itself is returned, once."""
        key = secrets.token_urlsafe(30)
        self.prefix = key[:PREFIX_LENGTH]
        self.digest = digest_of(key)
        return key

    def mark_used(self) -> None:
        """Note the day it was used: one write a day, not one a request."""
        today = timezone.localdate()
        if self.last_used_on != today:
            ApiToken.objects.filter(pk=self.pk).update(last_used_on=today)
            self.last_used_on = today
