"""Digital take-up: how much of a service's use is online, and which electronic services
people still take to an office."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from reports.build import build_region_report
from services import actions
from services.models import Channel, Status, Usage
from tests.conftest import make_service

pytestmark = pytest.mark.django_db
REPORT_DAY = date.today()


def month(back: int) -> date:
    index = REPORT_DAY.year * 12 + REPORT_DAY.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def use(service, month, **counts):
    for channel, count in counts.items():
        Usage.objects.create(service=service, month=month, channel=Channel(channel), count=count)


@pytest.fixture
def usage(world):
    use(world.first_grade, month(1), egov=30, psc=70)
    use(world.first_grade, month(0), egov=50, mgov=10, office=40)
    use(world.seed_subsidy, month(0), psc=20)
    use(world.first_grade, month(14), egov=1000)  # older than twelve months
    return world


def report(world):
    return build_region_report(world.zhambyl, as_of=REPORT_DAY).content


def test_take_up_is_online_deliveries_over_all_of_them(usage):
    content = report(usage)
    education = next(r for r in content["departments"] if r["code"] == "EDU")
    assert (education["usage_total"], education["take_up"]) == (200, 0.45)  # 90 of 200
    assert content["summary"]["take_up"] == round(90 / 220, 4)


def test_months_and_services_without_data_are_left_out_not_counted_as_zero(usage):
    content = report(usage)
    assert content["summary"]["take_up_by_month"] == [
        [month(1).isoformat(), 0.3],
        [month(0).isoformat(), round(60 / 120, 4)],
    ]
    agriculture = next(r for r in content["departments"] if r["code"] == "AGR")
    assert agriculture["take_up"] == 0.0  # data: 20 deliveries, none online
    kindergarten_only = build_region_report(usage.almaty_region, as_of=REPORT_DAY).content
    assert kindergarten_only["summary"]["take_up"] is None  # no data at all: unknown


def test_electronic_services_little_used_online_are_flagged(usage):
    world = usage
    use(world.first_grade, month(2), office=2000)  # now 90 online of 2200
    paper_only = world.seed_subsidy  # paper: nobody expects it online
    flagged = report(world)["little_used"]
    assert [s["service_id"] for s in flagged] == [world.first_grade.pk]
    assert flagged[0]["take_up"] == round(90 / 2200, 4)
    assert paper_only.pk not in {s["service_id"] for s in flagged}


def test_a_rarely_delivered_service_is_not_flagged_on_too_little_data(world):
    rare = make_service(
        world.education, "Редкая услуга", by=world.digital_office, status=Status.ELECTRONIC
    )
    use(rare, month(0), office=5)
    assert report(world)["little_used"] == []


def enter_usage(client, service, count=42):
    """A month's figure entered as a head does: from the service page's link."""
    page = client.get(reverse("admin:services_service_change", args=[service.pk]))
    added = reverse("admin:services_usage_add") + f"?service={service.pk}"
    data = {"service": service.pk, "month": month(0).isoformat(), "channel": "egov"}
    return page, client.post(added, data | {"count": count})


def test_a_head_enters_usage_from_their_services_page(client, world):
    client.force_login(world.head_of_education)
    page, saved = enter_usage(client, world.first_grade)
    assert f"?service={world.first_grade.pk}" in page.content.decode()  # the page's link
    assert saved.status_code == 302
    assert saved.url == reverse("admin:services_service_change", args=[world.first_grade.pk])
    assert Usage.objects.get(service=world.first_grade).count == 42


def test_readers_and_other_heads_cannot_enter_usage(client, world):
    client.force_login(world.governor)
    page, refused = enter_usage(client, world.first_grade)
    assert "services/usage/add/" not in page.content.decode()  # no link to what is refused
    assert refused.status_code == 403
    client.force_login(world.head_of_agriculture)
    _page, refused = enter_usage(client, world.first_grade)
    assert refused.status_code == 200  # the form again: not one of their services
    assert "service" in refused.context["adminform"].form.errors
    assert not Usage.objects.exists()


def test_a_month_is_its_first_day(world):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Usage.objects.create(
            service=world.first_grade, month=date(2026, 6, 15), channel=Channel.EGOV, count=1
        )


def test_moving_status_keeps_usage(world, usage):
    actions.set_status(world.first_grade, status=Status.PROACTIVE, by=world.digital_office)
    assert Usage.objects.filter(service=world.first_grade).count() == 6


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's indexes hold their keys alone"
)
def test_the_usage_index_holds_the_counts_a_report_sums():
    """A report sums a region's months from the unique index alone (an index-only scan):
    without the count beside the keys, every row would cost a visit to the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indexrelid = 'usage_once_per_service_month_channel'::regclass"
        )
        (definition,) = cursor.fetchone()
    assert "(service_id, month, channel) INCLUDE (count)" in definition
