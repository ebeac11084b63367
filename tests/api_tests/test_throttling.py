"""Each client may ask so often: an address when anonymous, a user with a key; past
that, 429 with when to ask again, in the reader's language."""

import pytest
from django.utils import translation

from tests.api_tests.conftest import key_for, publish, with_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tiny_rates(settings):
    settings.API_ANON_RATE = "3/min"
    settings.API_USER_RATE = "5/min"


def test_an_anonymous_reader_past_the_rate_is_told_to_wait(api, world):
    publish(world.zhambyl)
    for _ in range(3):
        assert api.get("/api/v1/regions/").status_code == 200
    response = api.get("/api/v1/services/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    seconds = int(response["Retry-After"])
    with translation.override("ru"):
        expected = translation.ngettext(
            "Too many requests: ask again in %(seconds)d second.",
            "Too many requests: ask again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
    assert response.json() == {"detail": expected}
    assert response["Content-Language"] == "ru"


def test_the_message_follows_the_lang_parameter(api, world):
    for _ in range(3):
        api.get("/api/v1/regions/")
    kazakh = api.get("/api/v1/regions/", {"lang": "kk"})
    english = api.get("/api/v1/regions/", {"lang": "en"})
    assert kazakh.status_code == english.status_code == 429
    assert english.json()["detail"].startswith("Too many requests")
    assert kazakh["Content-Language"] == "kk"


def test_addresses_are_counted_apart(api, world):
    for _ in range(3):
        api.get("/api/v1/regions/", REMOTE_ADDR="10.0.0.1")
    assert api.get("/api/v1/regions/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert api.get("/api/v1/regions/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_behind_the_proxy_the_address_it_saw_is_counted(api, world):
    """The akimat's proxy appends the address it saw (10.0.0.7) to X-Forwarded-For: what
    the client wrote before it changes nothing."""
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        api.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR=f"{forged}, 10.0.0.7")
    response = api.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR="4.4.4.4, 10.0.0.7")
    assert response.status_code == 429


def test_a_user_with_a_key_has_a_rate_of_their_own(api, world):
    key = key_for(world.governor)
    for _ in range(3):
        api.get("/api/v1/regions/")
    assert api.get("/api/v1/regions/").status_code == 429
    governor = with_key(key)
    for _ in range(5):
        assert governor.get("/api/v1/regions/").status_code == 200
    assert governor.get("/api/v1/regions/").status_code == 429
    assert with_key(key_for(world.digital_office)).get("/api/v1/regions/").status_code == 200


def test_the_schema_is_throttled_too_and_says_so_alike(api):
    for _ in range(3):
        api.get("/api/v1/schema/")
    response = api.get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert b"Too many requests" in response.content
