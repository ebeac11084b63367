"""A region is open data once its digital office publishes it, and only then: until then
anonymous readers find neither it nor its departments, services or figures."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from regions.models import Region
from reports.build import build_region_report
from tests.api_tests.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(world):
    """Both regions with a report of today; Almaty published, Zhambyl not."""
    for region in (world.zhambyl, world.almaty_region):
        build_region_report(region, as_of=timezone.localdate())
    publish(world.almaty_region)
    return world


def lists(api) -> dict[str, set]:
    def ids(url, key):
        return {row[key] for row in api.get(url, {"page_size": 1000}).json()["results"]}

    return {
        "regions": ids("/api/v1/regions/", "code"),
        "departments": ids("/api/v1/departments/", "id"),
        "services": ids("/api/v1/services/", "id"),
        "region figures": ids("/api/v1/figures/regions/", "region"),
        "department figures": ids("/api/v1/figures/departments/", "department"),
    }


def rows_of(world, region):
    everywhere = (world.education, world.agriculture, world.almaty_education)
    departments = [d for d in everywhere if d.region_id == region.pk]
    services = [
        s
        for s in (world.kindergarten, world.first_grade, world.seed_subsidy,
                  world.almaty_kindergarten)
        if s.department.region_id == region.pk
    ]  # fmt: skip
    return [
        f"/api/v1/regions/{region.code}/",
        f"/api/v1/figures/regions/{region.code}/",
        *(f"/api/v1/departments/{d.pk}/" for d in departments),
        *(f"/api/v1/services/{s.pk}/" for s in services),
    ]


def test_an_unpublished_region_is_in_no_list_and_none_of_its_rows_is_found(api, reported):
    found = lists(api)
    zhambyl = reported.zhambyl
    assert found["regions"] == {"KZ-19"}
    assert found["region figures"] == {"KZ-19"}
    assert found["departments"] == {reported.almaty_education.pk}
    assert found["department figures"] == {reported.almaty_education.pk}
    assert found["services"] == {reported.almaty_kindergarten.pk}
    for url in rows_of(reported, zhambyl):
        assert api.get(url).status_code == 404, url
    for url in rows_of(reported, reported.almaty_region):
        assert api.get(url).status_code == 200, url


def test_a_region_filtered_for_by_name_is_no_way_round(api, reported):
    for url in ("/api/v1/services/", "/api/v1/departments/", "/api/v1/figures/departments/"):
        assert api.get(url, {"region": "KZ-31"}).json()["results"] == [], url
        assert api.get(url, {"region": reported.zhambyl.pk}).json()["results"] == [], url
    assert api.get("/api/v1/figures/regions/", {"region": "KZ-31"}).json()["results"] == []


def test_once_published_everything_of_the_region_is_found(api, reported):
    publish(reported.zhambyl)
    found = lists(api)
    assert found["regions"] == {"KZ-19", "KZ-31"}
    assert found["services"] == {
        reported.kindergarten.pk,
        reported.first_grade.pk,
        reported.seed_subsidy.pk,
        reported.almaty_kindergarten.pk,
    }
    assert len(found["department figures"]) == 3
    for url in rows_of(reported, reported.zhambyl):
        assert api.get(url).status_code == 200, url


def test_a_publication_dated_later_starts_on_its_day(api, reported):
    publish(reported.zhambyl, on=timezone.localdate() + timedelta(days=1))
    assert api.get("/api/v1/regions/KZ-31/").status_code == 404
    publish(reported.zhambyl, on=timezone.localdate())
    assert api.get("/api/v1/regions/KZ-31/").status_code == 200


def test_a_withdrawn_region_is_gone_again(api, reported):
    publish(reported.zhambyl)
    assert api.get("/api/v1/regions/KZ-31/").status_code == 200
    Region.objects.filter(pk=reported.zhambyl.pk).update(published_on=None)
    assert api.get("/api/v1/regions/KZ-31/").status_code == 404
    assert api.get(f"/api/v1/services/{reported.kindergarten.pk}/").status_code == 404


def test_a_withdrawn_service_is_not_open_data(api, reported):
    from services import actions

    publish(reported.zhambyl)
    actions.withdraw_services(
        [reported.seed_subsidy], by=reported.digital_office, on=timezone.localdate(), reason="x"
    )
    assert api.get(f"/api/v1/services/{reported.seed_subsidy.pk}/").status_code == 404


# --- who publishes: the region's digital office, or a superuser -------------------------

CHANGELIST = reverse("admin:regions_region_changelist")


def change_url(region):
    return reverse("admin:regions_region_change", args=[region.pk])


def test_the_digital_office_publishes_its_region_from_the_list(client, reported):
    client.force_login(reported.digital_office)
    response = client.post(
        CHANGELIST,
        {
            "action": "publish_as_open_data",
            "_selected_action": [reported.zhambyl.pk, reported.almaty_region.pk],
        },
    )
    assert response.status_code == 302
    reported.zhambyl.refresh_from_db()
    assert reported.zhambyl.published_on == timezone.localdate()
    client.post(
        CHANGELIST,
        {"action": "withdraw_from_open_data", "_selected_action": [reported.zhambyl.pk]},
    )
    reported.zhambyl.refresh_from_db()
    assert reported.zhambyl.published_on is None


def test_the_digital_office_cannot_publish_or_withdraw_another_region(client, reported):
    client.force_login(reported.digital_office)
    client.post(
        CHANGELIST,
        {"action": "withdraw_from_open_data", "_selected_action": [reported.almaty_region.pk]},
    )
    reported.almaty_region.refresh_from_db()
    assert reported.almaty_region.published_on == timezone.localdate()
    assert client.get(change_url(reported.almaty_region)).status_code == 404


def test_the_digital_office_sets_the_date_and_nothing_else_of_its_region(client, reported):
    client.force_login(reported.digital_office)
    day = timezone.localdate() + timedelta(days=10)
    page = client.get(change_url(reported.zhambyl))
    assert list(page.context["adminform"].form.fields) == ["published_on"]
    response = client.post(
        change_url(reported.zhambyl),
        {"published_on": day.isoformat(), "name_ru": "Взломанная область", "code": "KZ-99"},
    )
    assert response.status_code == 302
    reported.zhambyl.refresh_from_db()
    assert (reported.zhambyl.published_on, reported.zhambyl.code) == (day, "KZ-31")
    assert reported.zhambyl.name_ru == "Жамбылская область"


@pytest.mark.parametrize("role", ["governor", "official", "head_of_education", "national_analyst"])
def test_nobody_else_publishes(client, reported, role):
    client.force_login(getattr(reported, role))
    response = client.post(
        CHANGELIST,
        {"action": "publish_as_open_data", "_selected_action": [reported.zhambyl.pk]},
    )
    assert response.status_code in (200, 302, 403)
    reported.zhambyl.refresh_from_db()
    assert reported.zhambyl.published_on is None
    page = client.get(change_url(reported.zhambyl))
    if page.status_code == 200:
        assert "published_on" not in page.context["adminform"].form.fields


def test_a_superuser_publishes_any_region(client, reported):
    client.force_login(reported.superuser)
    client.post(
        CHANGELIST,
        {"action": "publish_as_open_data", "_selected_action": [reported.zhambyl.pk]},
    )
    reported.zhambyl.refresh_from_db()
    assert reported.zhambyl.published_on == timezone.localdate()
