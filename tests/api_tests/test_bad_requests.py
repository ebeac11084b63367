"""Junk in an address or a parameter is refused (400, 404, 405), never a 500."""

import pytest

from tests.api_tests.conftest import publish

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/regions/",
    "/api/v1/departments/",
    "/api/v1/services/",
    "/api/v1/figures/regions/",
    "/api/v1/figures/departments/",
]


@pytest.fixture(autouse=True)
def published(world):
    publish(world.zhambyl)


NUMBERED = [url for url in LISTS if url != "/api/v1/services/"]  # services: by cursor


@pytest.mark.parametrize("url", NUMBERED)
@pytest.mark.parametrize("page", ["0", "-1", "x", "999999", "99999999999999999999", "²", "1.5"])
def test_a_page_that_is_no_page_is_not_found(api, url, page):
    assert api.get(url, {"page": page}).status_code == 404


# "x", "p=x", "o=-1", "p=-1", "p=" and an id past a bigint's, each as base64
@pytest.mark.parametrize(
    "cursor", ["x", "cD14", "bz0tMQ==", "cD0tMQ==", "cD0=", "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "²"]
)
def test_a_cursor_that_is_no_cursor_is_not_found(api, cursor):
    assert api.get("/api/v1/services/", {"cursor": cursor}).status_code == 404


@pytest.mark.parametrize(
    ("language", "says"),
    [("kk", "келесі"), ("ru", "следующ"), ("en", "next")],
)
def test_a_page_number_of_services_is_refused_saying_to_follow_next(api, language, says):
    response = api.get("/api/v1/services/", {"page": "2"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert says in response.json()["page"][0]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("size", ["0", "-5", "x", "99999999999999999999", "²"])
def test_a_page_size_that_is_no_size_falls_back_to_the_usual(api, url, size):
    assert api.get(url, {"page_size": size}).status_code == 200


def test_the_page_size_has_a_ceiling(api, world):
    from services.models import Service

    Service.objects.bulk_create(
        Service(department=world.education, name_ru=f"Услуга {n}") for n in range(1005)
    )
    assert len(api.get("/api/v1/services/", {"page_size": 5000}).json()["results"]) == 1000


@pytest.mark.parametrize("url", ["/api/v1/figures/regions/", "/api/v1/figures/departments/"])
@pytest.mark.parametrize("day", ["2024-02-30", "x", "01.12.2024", "2024-1-1x", "99999-01-01"])
def test_a_day_that_is_no_day_is_refused_saying_why(api, url, day):
    response = api.get(url, {"as_of": day}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert list(response.json()) == ["as_of"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("status", "digital"),
        ("sphere", "x"),
        ("department", "x"),
        ("department", "99999999999999999999"),
    ],
)
def test_a_service_filter_value_that_means_nothing_is_refused(api, name, value):
    response = api.get("/api/v1/services/", {name: value})
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions/KZ-99/",
        "/api/v1/regions/x/",
        "/api/v1/services/0/",
        "/api/v1/services/99999999999999999999/",
        "/api/v1/services/x/",
        "/api/v1/departments/999999/",
        "/api/v1/figures/regions/%F0%9F%87%B0/",
    ],
)
def test_a_row_that_is_not_there_is_not_found(api, url):
    response = api.get(url, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 404


def test_an_unknown_format_is_not_found_and_writing_is_not_allowed(api, world):
    assert api.get("/api/v1/services/", {"format": "xml"}).status_code == 404
    assert api.post("/api/v1/services/", {"name_ru": "x"}).status_code == 405
    assert api.delete(f"/api/v1/services/{world.kindergarten.pk}/").status_code == 405
    assert api.get("/api/v1/services/", {"q": "\x00"}).status_code == 400  # the middleware's
