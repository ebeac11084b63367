"""Digital take-up: how much of a service's use is online, and which electronic services
people still take to an office."""

from datetime import date

import pytest
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


def test_a_head_enters_usage_on_their_services_page(client, world):
    from tests.services_tests.test_admin import form_data

    client.force_login(world.head_of_education)
    url = reverse("admin:services_service_change", args=[world.first_grade.pk])
    data = form_data(world.first_grade) | {
        "usage-TOTAL_FORMS": "1",
        "usage-0-month": month(0).isoformat(),
        "usage-0-channel": "egov",
        "usage-0-count": "42",
        "usage-0-service": world.first_grade.pk,
    }
    assert client.post(url, data).status_code == 302
    assert Usage.objects.get(service=world.first_grade).count == 42


def test_readers_and_other_heads_cannot_enter_usage(client, world):
    from tests.services_tests.test_admin import form_data

    data = form_data(world.first_grade) | {
        "usage-TOTAL_FORMS": "1",
        "usage-0-month": month(0).isoformat(),
        "usage-0-channel": "egov",
        "usage-0-count": "42",
        "usage-0-service": world.first_grade.pk,
    }
    url = reverse("admin:services_service_change", args=[world.first_grade.pk])
    client.force_login(world.governor)
    assert client.post(url, data).status_code == 403
    client.force_login(world.head_of_agriculture)
    assert client.post(url, data).status_code == 404
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
