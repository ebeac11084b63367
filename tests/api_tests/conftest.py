"""The open-data API's tests: a client as a program uses it, published regions, keys."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tracker.api.models import ApiToken


@pytest.fixture(autouse=True)
def fresh_throttles():
    """The throttles count in the cache: each test starts with nobody having asked."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """An anonymous reader, raising nothing: a 500 is an answer to look at like any."""
    return Client(raise_request_exception=False)


def publish(region, *, on=None):
    region.published_on = on or timezone.localdate()
    region.save(update_fields=["published_on"])
    return region


def key_for(user, *, name="tests") -> str:
    token = ApiToken(user=user, name=name, created_by=user)
    key = token.new_key()
    token.save()
    return key


def with_key(key: str) -> Client:
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {key}")
