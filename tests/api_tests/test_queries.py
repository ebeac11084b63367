"""A page costs the same queries whatever the size of the data behind it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from regions.models import Department, Region
from reports.build import build_region_report
from services.models import Service, Sphere, Status
from tests.api_tests.conftest import key_for, publish, with_key

pytestmark = pytest.mark.django_db


def queries_of(client, url, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200, response.content
    return len(captured)


def add_services(department, count: int) -> None:
    Service.objects.bulk_create(
        Service(
            department=department,
            name_ru=f"Услуга {department.code} {number}",
            status=Status.values[number % 4],
            sphere=Sphere.EDUCATION,
            channel_egov=bool(number % 2),
        )
        for number in range(count)
    )


def add_regions(count: int) -> list[Region]:
    regions = []
    for number in range(count):
        region = Region.objects.create(
            code=f"KZ-{50 + number}",
            kind=Region.Kind.OBLAST,
            name_kk=f"Облыс {number}",
            name_ru=f"Область {number}",
            name_en=f"Region {number}",
            centre_kk="Қала",
            centre_ru="Город",
            centre_en="City",
        )
        department = Department.objects.create(
            region=region, code="EDU", name_kk="Білім", name_ru="Образование"
        )
        add_services(department, 3)
        publish(region)
        build_region_report(region, as_of=timezone.localdate())
        regions.append(region)
    return regions


@pytest.fixture
def readers(world):
    """An anonymous reader, and a user with a key (whose scope costs its own query)."""
    publish(world.zhambyl)
    return {"anonymous": Client(), "key": with_key(key_for(world.national_analyst))}


@pytest.mark.parametrize("reader", ["anonymous", "key"])
def test_a_page_of_services_costs_the_same_with_100_or_10_000(world, readers, reader):
    client = readers[reader]
    add_services(world.education, 96)
    assert Service.objects.count() == 100
    queries_of(client, "/api/v1/regions/")  # the key's first use of the day is written once
    small = queries_of(client, "/api/v1/services/", status="paper", q="Услуга")
    add_services(world.agriculture, 9_900)
    assert Service.objects.count() == 10_000
    assert queries_of(client, "/api/v1/services/", status="paper", q="Услуга") == small
    assert queries_of(client, "/api/v1/services/", page_size=1000, format="csv") == small
    # the page (by cursor: no count); its life events (one prefetch); a key's scope and user
    assert small <= (2 if reader == "anonymous" else 4)


@pytest.mark.parametrize("reader", ["anonymous", "key"])
def test_regions_and_their_figures_cost_the_same_for_2_or_20(world, readers, reader):
    client = readers[reader]
    publish(world.almaty_region)
    for region in (world.zhambyl, world.almaty_region):
        build_region_report(region, as_of=timezone.localdate())
    queries_of(client, "/api/v1/regions/")
    urls = [
        "/api/v1/regions/",
        "/api/v1/departments/",
        "/api/v1/figures/regions/",
        "/api/v1/figures/departments/",
    ]
    small = {url: queries_of(client, url) for url in urls}
    add_regions(18)
    assert Region.objects.count() == 20
    assert {url: queries_of(client, url) for url in urls} == small
    as_of = timezone.localdate().isoformat()
    assert queries_of(client, "/api/v1/figures/regions/", as_of=as_of) == small[urls[2]]
    assert queries_of(client, "/api/v1/figures/departments/", as_of=as_of) == small[urls[3]]


def test_the_meta_endpoint_asks_the_database_nothing(api):
    assert queries_of(api, "/api/v1/meta/") == 0
