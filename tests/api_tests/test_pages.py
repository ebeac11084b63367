"""The register is walked by cursor: every service once, in the order they were added,
whatever is added meanwhile; the filters ride along in each link."""

import re

import pytest

from services.models import Service, Status
from tests.api_tests.conftest import publish

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def add_services(department, count: int, **fields) -> None:
    start = Service.objects.count()
    Service.objects.bulk_create(
        Service(department=department, name_ru=f"Услуга {start + n}", **fields)
        for n in range(count)
    )


def walk(api, params: dict) -> tuple[list[int], int]:
    """Every id by following ``next`` from the first page; and how many pages it took."""
    ids, pages = [], 0
    page = api.get("/api/v1/services/", params).json()
    while True:
        pages += 1
        assert set(page) == {"next", "previous", "results"}
        ids += [row["id"] for row in page["results"]]
        if not page["next"]:
            return ids, pages
        page = api.get(page["next"]).json()


def test_following_next_reads_every_service_once_in_the_order_they_were_added(api, world):
    publish(world.zhambyl)
    add_services(world.education, 23)
    expected = list(
        Service.objects.filter(department__region=world.zhambyl)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids, pages = walk(api, {"page_size": 5})
    assert ids == expected
    assert pages == -(-len(expected) // 5)


def test_the_next_link_keeps_the_filters(api, world):
    publish(world.zhambyl)
    add_services(world.education, 12, status=Status.ELECTRONIC)
    add_services(world.agriculture, 7, status=Status.PAPER)
    ids, _pages = walk(api, {"page_size": 4, "status": "electronic"})
    expected = Service.objects.filter(
        department__region=world.zhambyl, status=Status.ELECTRONIC
    ).values_list("pk", flat=True)
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))


def test_a_service_added_while_walking_is_read_once_at_the_end(api, world):
    publish(world.zhambyl)
    add_services(world.education, 10)
    first = api.get("/api/v1/services/", {"page_size": 4}).json()
    add_services(world.education, 1)  # a page number would shift; the cursor does not
    newest = Service.objects.latest("pk").pk
    ids = [row["id"] for row in first["results"]]
    page = first
    while page["next"]:
        page = api.get(page["next"]).json()
        ids += [row["id"] for row in page["results"]]
    assert ids.count(newest) == 1 and ids[-1] == newest
    assert len(ids) == len(set(ids))


def test_previous_goes_back_to_the_page_before(api, world):
    publish(world.zhambyl)
    add_services(world.education, 10)
    first = api.get("/api/v1/services/", {"page_size": 3}).json()
    second = api.get(first["next"]).json()
    assert first["previous"] is None
    assert api.get(second["previous"]).json()["results"] == first["results"]


def test_a_csv_page_gives_its_next_page_in_the_link_header(api, world):
    publish(world.zhambyl)
    add_services(world.education, 10)
    ids = []
    response = api.get("/api/v1/services/", {"page_size": 4, "format": "csv"})
    while True:
        lines = response.content.decode("utf-8-sig").splitlines()
        ids += [int(line.split(";")[0]) for line in lines[1:]]
        links = {rel: url for url, rel in LINK.findall(response.get("Link", ""))}
        if "next" not in links:
            break
        response = api.get(links["next"])
    assert ids == list(
        Service.objects.filter(department__region=world.zhambyl)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
