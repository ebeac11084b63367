"""A workspace costs the same queries whatever the size of the region."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regions.models import Department
from reports.build import build_region_report
from services.models import Status
from tests.conftest import make_service

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
