"""Stale data: heads reminded by email, the digital office's list, reports marking it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from regions.models import Membership, Role
from reports.build import build_region_report
from services.models import Service
from services.reminders import remind_stale_heads
from tests.conftest import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale_agriculture(world, settings):
    settings.STALE_AFTER_DAYS = 30
    long_ago = timezone.localdate() - timedelta(days=45)
    Service.objects.filter(pk=world.seed_subsidy.pk).update(last_confirmed=long_ago)
    return world


def test_one_email_goes_to_each_head_with_stale_services_and_none_to_the_others(
    stale_agriculture, mailoutbox
):
    world = stale_agriculture
    assert remind_stale_heads() == 1
    [email] = mailoutbox
    assert email.to == [world.head_of_agriculture.email]
    assert "Субсидирование семян" in email.body
    assert f"?department={world.agriculture.pk}&stale=true" in email.body


def test_a_head_of_two_stale_departments_gets_one_email_naming_both(stale_agriculture, mailoutbox):
    world = stale_agriculture
    Membership.objects.create(
        user=world.head_of_agriculture, role=Role.HEAD, department=world.education
    )
    Service.objects.filter(pk=world.kindergarten.pk).update(last_confirmed=None)
    assert remind_stale_heads() == 2  # education's own head is told too
    emails = {email.to[0]: email.body for email in mailoutbox}
    both = emails[world.head_of_agriculture.email]
    assert "Субсидирование семян" in both and "Постановка на очередь в детский сад" in both
    assert "Субсидирование семян" not in emails[world.head_of_education.email]


def test_inactive_heads_and_heads_without_an_address_are_not_written_to(
    stale_agriculture, mailoutbox
):
    world = stale_agriculture
    world.head_of_agriculture.is_active = False
    world.head_of_agriculture.save()
    assert remind_stale_heads() == 0
    assert mailoutbox == []


def test_when_everything_is_current_nobody_is_written_to(world, mailoutbox):
    assert remind_stale_heads() == 0
    assert mailoutbox == []


def test_the_reminder_runs_on_a_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["remind-heads-of-stale-data"]
    assert entry["task"] == "services.tasks.remind_stale_heads_task"


def test_the_digital_office_lists_the_stale_services(client, stale_agriculture):
    world = stale_agriculture
    client.force_login(world.digital_office)
    response = client.get(reverse("admin:services_service_changelist"), {"stale": "true"})
    assert {s.pk for s in response.context["cl"].queryset} == {world.seed_subsidy.pk}
    export = reverse("exports:services_csv")
    assert response.context["export_csv_url"] == f"{export}?stale=true"


def test_reports_mark_the_stale_department(world, settings):
    # Reports read the history, not the live field: a list last confirmed 45 days ago.
    settings.STALE_AFTER_DAYS = 30
    make_service(
        world.agriculture,
        "Выдача ветеринарных справок",
        by=world.head_of_agriculture,
        at=timezone.now() - timedelta(days=45),
    )
    content = build_region_report(world.zhambyl, as_of=timezone.localdate()).content
    stale = {row["code"]: row["stale"] for row in content["departments"]}
    assert stale == {"AGR": True, "EDU": False}
    assert content["summary"]["stale_departments"] == 1
