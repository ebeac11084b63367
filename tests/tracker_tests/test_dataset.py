"""`generate_dataset`: realistic data, consistent with itself, written in bulk."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min

from regions.models import Department, Membership
from services.models import DIGITAL_STATUSES, Service, ServiceChange, StatusChange, Usage
from tracker.devtools import dataset

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 1)
SMALL = dataset.Scale(regions=2, departments_per_region=14, services=300)


@pytest.fixture
def generated():
    return dataset.generate(SMALL, seed=7, today=TODAY, say=lambda line: None)


def test_it_writes_the_scale_asked_for(generated):
    assert (generated.regions, generated.departments, generated.services) == (2, 28, 300)
    assert Department.objects.count() == 28 and Service.objects.count() == 300
    assert StatusChange.objects.count() == generated.status_changes
    assert Usage.objects.count() == generated.usage_rows
    # district offices of the same sector carry the sector's name and a district's
    assert Department.objects.filter(code="EDU1", name_ru__contains="район №1").count() == 2
    # a head for every department, a digital office for every region
    assert Membership.objects.filter(role="head").count() == 28
    assert Membership.objects.filter(role="digital_office").count() == 2


def test_every_service_stands_where_its_history_ends(generated):
    standing = {row.service_id: row for row in ServiceChange.objects.standing_on(TODAY)}
    assert len(standing) == Service.objects.count()
    for service in Service.objects.all():
        assert standing[service.pk].status == service.status
        assert service.version == service.status_changes.count()


def test_the_history_has_about_ten_moves_a_service_and_the_share_grows(generated):
    per_service = generated.status_changes / generated.services
    assert 6 <= per_service <= 14
    three_years_ago = ServiceChange.objects.standing_on(date(2023, 12, 1))
    then = three_years_ago.filter(status__in=DIGITAL_STATUSES).count() / 300
    now = Service.objects.filter(status__in=DIGITAL_STATUSES).count() / 300
    assert then < now


def test_usage_covers_36_months_with_seasons(generated):
    span = Usage.objects.aggregate(first=Min("month"), last=Max("month"))
    assert (span["first"], span["last"]) == (date(2023, 11, 1), date(2026, 10, 1))
    months_per_service_channel = (
        Usage.objects.values("service", "channel")
        .annotate(months=Count("pk"))
        .aggregate(most=Max("months"))["most"]
    )
    assert months_per_service_channel == 36
    # education's busy months (July, August) deliver more than its quiet ones
    education = Usage.objects.filter(service__department__code__startswith="EDU")
    busy = sum(education.filter(month__month=8).values_list("count", flat=True))
    quiet = sum(education.filter(month__month=11).values_list("count", flat=True))
    assert busy > quiet


def test_it_refuses_a_database_that_already_has_services(generated):
    with pytest.raises(ValueError, match="already holds services"):
        dataset.generate(SMALL, seed=7, today=TODAY)
    assert Service.objects.count() == 300


def test_the_command_says_what_it_wrote_and_how_long_it_took(generated):
    with pytest.raises(CommandError, match="already holds services"):
        call_command("generate_dataset", "--scale", "region", stdout=StringIO())


def test_the_demo_scale_refuses_to_run_in_production(settings):
    settings.DEBUG = False  # the demo creates users with a published password
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_dataset", "--scale", "demo", stdout=StringIO())
    assert not Service.objects.exists()


def test_a_factor_multiplies_the_departments_and_services_and_so_the_history():
    tripled = dataset.Scale(regions=2, departments_per_region=14, services=300).times(3)
    assert tripled == dataset.Scale(regions=2, departments_per_region=42, services=900)
    report = dataset.generate(tripled, seed=7, today=TODAY, say=lambda line: None)
    assert (report.departments, report.services) == (84, 900)
    assert Service.objects.count() == 900 and Department.objects.count() == 84
    per_service = report.status_changes / report.services
    assert 6 <= per_service <= 14  # the same history a service, three times the services
    per_region = Service.objects.values("department__region").annotate(n=Count("pk"))
    assert all(row["n"] > 200 for row in per_region)  # spread over both regions


def test_the_command_refuses_a_factor_it_cannot_use():
    for arguments in (["--scale", "demo", "--factor", "3"], ["--scale", "region", "--factor", "0"]):
        with pytest.raises(CommandError, match="factor"):
            call_command("generate_dataset", *arguments, stdout=StringIO())
    assert not Service.objects.exists()
