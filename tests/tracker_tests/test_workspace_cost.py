"""A workspace costs the same queries whatever the size of the region; the head's place
among its kind of department, whatever the number of regions."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regions.models import Department
from reports.build import build_region_report
from services import actions
from services.models import Status
from tests.conftest import add_reported_regions, make_service

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")


def grow_region(world, departments: int):
    """The world's Zhambyl with this many departments, each with services, targets and
    stale data, and a report of today."""
    today = timezone.localdate()
    existing = Department.objects.filter(region=world.zhambyl).count()
    for number in range(existing, departments):
        department = Department.objects.create(
            region=world.zhambyl, code=f"D{number:03}", name_ru=f"Управление {number}"
        )
        for kind in range(3):
            make_service(
                department,
                f"Услуга {number}-{kind}",
                by=world.digital_office,
                status=[Status.PAPER, Status.PARTIAL, Status.ELECTRONIC][kind],
                target_status=Status.ELECTRONIC,
                target_date=today + timedelta(days=10 * kind - 5),
            )
    build_region_report(world.zhambyl, as_of=today)


def index_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INDEX).status_code == 200
    return len(queries)


@pytest.mark.parametrize("actor", ["head_of_education", "digital_office", "governor"])
def test_a_workspace_costs_the_same_queries_for_5_departments_and_50(client, world, actor):
    user = getattr(world, actor)
    grow_region(world, 5)
    few = index_queries(client, user)
    grow_region(world, 50)
    many = index_queries(client, user)
    assert few == many <= 20


def test_the_heads_place_among_its_kind_costs_the_same_for_3_regions_and_12(client, world):
    build_region_report(world.zhambyl, as_of=timezone.localdate())
    add_reported_regions(2, by=world.superuser)
    few = index_queries(client, world.head_of_education)
    add_reported_regions(9, by=world.superuser, first=2)
    assert index_queries(client, world.head_of_education) == few


def test_the_head_sees_the_departments_place_among_its_kind_in_every_region(client, world):
    """Zhambyl's education against three other regions' education departments, each in
    its region's latest report: one service of two verified electronic is the furthest
    ahead of the others' none."""
    actions.set_status(world.first_grade, status=Status.ELECTRONIC, by=world.digital_office)
    add_reported_regions(3, by=world.superuser)
    build_region_report(world.zhambyl, as_of=timezone.localdate())
    client.force_login(world.head_of_education)
    page = client.get(INDEX).content.decode()
    assert re.search(r'id="peers" data-rank="1" data-of="4"', page)

    # a department of no kind is compared with none
    Department.objects.filter(pk=world.education.pk).update(kind="")
    build_region_report(world.zhambyl, as_of=timezone.localdate())
    assert 'id="peers"' not in client.get(INDEX).content.decode()
