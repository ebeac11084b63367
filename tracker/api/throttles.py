"""How often a client may ask: per address when anonymous, per user with a key.

The rates are read from the settings at each request (API_ANON_RATE, API_USER_RATE), not
once at import as REST framework's own classes do, so a changed setting holds at once.
Counts live in the default cache (settings: CACHES) — per process with the local-memory
default, shared with Redis.
"""

import math

from django.conf import settings
from django.utils.translation import gettext, ngettext
from rest_framework import exceptions, throttling


class AnonymousRate(throttling.AnonRateThrottle):
    def get_rate(self):
        return settings.API_ANON_RATE


class UserRate(throttling.UserRateThrottle):
    def get_rate(self):
        return settings.API_USER_RATE


class TooManyRequests(exceptions.Throttled):
    """429, saying in the reader's language when to ask again (Retry-After says it too).

    REST framework's own message formats its number before translating it, so its
    translation is never found."""

    def __init__(self, wait: float | None):
        seconds = max(1, math.ceil(wait)) if wait is not None else None
        if seconds is None:
            detail = gettext("Too many requests: please wait a little and ask again.")
        else:
            detail = ngettext(
                "Too many requests: ask again in %(seconds)d second.",
                "Too many requests: ask again in %(seconds)d seconds.",
                seconds,
            ) % {"seconds": seconds}
        exceptions.APIException.__init__(self, detail, self.default_code)
        self.wait = seconds
