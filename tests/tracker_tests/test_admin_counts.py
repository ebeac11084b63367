"""An admin list's count: estimated only for the whole of a very large table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services.models import Service
from tests.conftest import make_service
from tracker import admin_counts

pytestmark = pytest.mark.django_db
LIST = reverse("admin:services_service_changelist")


def counted(queryset):
    with CaptureQueriesContext(connection) as queries:
        count = admin_counts.count_rows(queryset)
    return count, " ".join(query["sql"] for query in queries)


@pytest.fixture
def many(world):
    for number in range(12):
        make_service(world.education, f"Услуга {number}", by=world.digital_office)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE services_service")
    return world


def test_a_small_table_is_counted_exactly(many):
    count, sql = counted(Service.objects.all())
    assert count == Service.objects.count()
    assert "COUNT(" in sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's estimate")
def test_the_whole_of_a_large_table_takes_postgresqls_estimate(many, monkeypatch):
    monkeypatch.setattr(admin_counts, "ESTIMATE_FROM", 10)
    count, sql = counted(Service.objects.all())
    assert "pg_class" in sql and "COUNT(" not in sql
    assert count == Service.objects.count()  # just analysed: the estimate is exact


def test_a_filtered_list_is_counted_exactly_whatever_the_table(many, monkeypatch):
    monkeypatch.setattr(admin_counts, "ESTIMATE_FROM", 10)
    count, sql = counted(Service.objects.filter(department=many.education))
    assert count == Service.objects.filter(department=many.education).count()
    assert "COUNT(" in sql


def test_an_unfiltered_list_counts_once_and_still_says_the_total(client, many):
    client.force_login(many.superuser)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "services_service" in q["sql"]]
    assert len(counts) == 1
    changelist = response.context["cl"]
    assert changelist.full_result_count == changelist.result_count == Service.objects.count()


def test_a_filtered_list_says_how_many_in_all(client, many):
    client.force_login(many.superuser)
    response = client.get(LIST, {"department": many.education.pk})
    changelist = response.context["cl"]
    assert changelist.result_count == Service.objects.filter(department=many.education).count()
    assert changelist.full_result_count == Service.objects.count()
    assert changelist.show_admin_actions
