"""Regional readiness: connectivity and digital skills against targets, in the report."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from regions.models import Readiness
from reports.build import build_region_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def readiness(world):
    return Readiness.objects.create(
        region=world.zhambyl,
        period=date(2025, 1, 1),
        villages_without_internet=26,
        villages_without_internet_target=0,
        territory_coverage=Decimal("98.7"),
        territory_coverage_target=100,
        digital_literacy=61,
        digital_literacy_target=80,
        internet_users_target=78,
    )


def test_the_report_shows_each_indicator_against_its_target(readiness, world):
    content = build_region_report(world.zhambyl, as_of=date(2025, 6, 1)).content
    indicators = {i["key"]: i for i in content["readiness"]["indicators"]}
    assert indicators["villages_without_internet"] == {
        "key": "villages_without_internet",
        "value": 26,
        "target": 0,
        "met": False,
        "change": None,  # the region's first report: nothing to compare with
    }
    assert (
        indicators["digital_literacy"]["value"],
        indicators["digital_literacy"]["target"],
        indicators["digital_literacy"]["met"],
    ) == (61.0, 80.0, False)
    assert indicators["internet_users"]["met"] is None  # no figure yet, only the target


def test_fewer_villages_without_internet_than_the_target_counts_as_met(readiness, world):
    readiness.villages_without_internet, readiness.villages_without_internet_target = 3, 5
    readiness.save()
    content = build_region_report(world.zhambyl, as_of=date(2025, 6, 1)).content
    assert content["readiness"]["indicators"][0]["met"] is True


def test_a_report_uses_the_figures_known_on_its_day(readiness, world):
    assert build_region_report(world.zhambyl, as_of=date(2024, 12, 31)).content["readiness"] is None


def test_the_report_page_shows_readiness(client, readiness, world):
    build_region_report(world.zhambyl, as_of=date(2025, 6, 1))
    client.force_login(world.governor)
    page = client.get(
        reverse("reports:region", args=["KZ-31"]), headers={"accept-language": "en"}
    ).content.decode()
    assert "Villages without internet" in page
    # read the right way round: fewer villages without internet is better
    assert "26 over the target — lower is better" in page
    assert "19 short of the target" in page  # digital literacy 61 against 80


def test_readiness_states_read_the_right_way_round_in_kazakh_and_russian(readiness, world):
    from django.utils import translation

    from reports.templatetags.report_tags import readiness_state

    villages, literacy = (
        {"key": key, "value": value, "target": target, "met": False}
        for key, value, target in (
            ("villages_without_internet", 26, 0),
            ("digital_literacy", 61, 80),
        )
    )
    for language in ("kk", "ru"):
        with translation.override(language):
            over, short = readiness_state(villages), readiness_state(literacy)
            assert "26" in over and "19" in short
            assert over != short  # lower-is-better reads differently from a shortfall
            assert "target" not in over and "target" not in short  # in the reader's language


def test_the_digital_office_records_readiness_for_its_region_only(client, world):
    client.force_login(world.digital_office)
    add = reverse("admin:regions_readiness_add")
    form = client.get(add).context["adminform"].form
    assert list(form.fields["region"].queryset) == [world.zhambyl]
    response = client.post(
        add,
        {
            "region": world.zhambyl.pk,
            "period": "2025-01-01",
            "villages_without_internet": "26",
            "source_kk": "",
            "source_ru": "",
            "source_en": "",
        },
    )
    assert response.status_code == 302
    assert Readiness.objects.get().villages_without_internet == 26
    response = client.post(add, {"region": world.almaty_region.pk, "period": "2025-01-01"})
    assert response.status_code == 200  # refused: not a region it may change
    assert Readiness.objects.count() == 1


@pytest.mark.parametrize("actor", ["head_of_education", "governor", "national_analyst"])
def test_others_cannot_record_readiness(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("admin:regions_readiness_add")).status_code == 403
