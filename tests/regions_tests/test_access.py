"""The one access rule: who sees and who changes which services."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.db import IntegrityError
from django.http import Http404

from regions.access import (
    can_edit,
    heads_of,
    region_for,
    reportable_regions,
    scope_for,
    snapshot_for,
)
from regions.models import Department, Membership, Region, Role, User
from reports.models import ReportSnapshot
from services.models import Service

pytestmark = pytest.mark.django_db

# actor -> (services seen, services changeable), by fixture name
EXPECTED = {
    "head_of_education": ({"kindergarten", "first_grade"}, {"kindergarten", "first_grade"}),
    "head_of_agriculture": ({"seed_subsidy"}, {"seed_subsidy"}),
    "digital_office": (
        {"kindergarten", "first_grade", "seed_subsidy"},
        {"kindergarten", "first_grade", "seed_subsidy"},
    ),
    "governor": ({"kindergarten", "first_grade", "seed_subsidy"}, set()),
    "official": ({"kindergarten", "first_grade", "seed_subsidy"}, set()),
    "department_official": ({"kindergarten", "first_grade"}, set()),
    "national_analyst": (
        {"kindergarten", "first_grade", "seed_subsidy", "almaty_kindergarten"},
        set(),
    ),
    "superuser": (
        {"kindergarten", "first_grade", "seed_subsidy", "almaty_kindergarten"},
        {"kindergarten", "first_grade", "seed_subsidy", "almaty_kindergarten"},
    ),
    "outsider": (set(), set()),
}
ALL_SERVICES = ["kindergarten", "first_grade", "seed_subsidy", "almaty_kindergarten"]


def names(world, services):
    by_pk = {getattr(world, name).pk: name for name in ALL_SERVICES}
    return {by_pk[service.pk] for service in services}


@pytest.mark.parametrize("actor", EXPECTED)
def test_each_role_sees_exactly_its_services(world, actor):
    user = getattr(world, actor)
    seen, _changeable = EXPECTED[actor]
    assert names(world, Service.objects.for_user(user)) == seen


@pytest.mark.parametrize("actor", EXPECTED)
def test_each_role_may_change_exactly_its_services(world, actor):
    user = getattr(world, actor)
    _seen, changeable = EXPECTED[actor]
    assert names(world, Service.objects.editable_by(user)) == changeable
    for name in ALL_SERVICES:
        service = Service.objects.select_related("department").get(pk=getattr(world, name).pk)
        assert can_edit(user, service) is (name in changeable), name


def test_an_inactive_user_sees_nothing_whatever_their_memberships(world):
    world.digital_office.is_active = False
    assert not Service.objects.for_user(world.digital_office).exists()
    assert not scope_for(world.digital_office).edits_anything


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Service.objects.for_user(AnonymousUser()).exists()


def test_departments_are_scoped_by_the_same_rule(world):
    assert set(Department.objects.for_user(world.head_of_education)) == {world.education}
    assert set(Department.objects.for_user(world.governor)) == {
        world.education,
        world.agriculture,
    }
    assert set(Department.objects.editable_by(world.governor)) == set()


def test_scope_is_resolved_in_one_query_and_then_reused(world, django_assert_num_queries):
    head = User.objects.get(pk=world.head_of_education.pk)
    with django_assert_num_queries(1):
        first = scope_for(head)
        second = scope_for(head)
    assert first is second
    assert first.edited_departments == {world.education.pk}


def test_a_head_needs_a_department(world):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=world.outsider, role=Role.HEAD, region=world.zhambyl)


def test_a_governor_needs_a_region_not_a_department(world):
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=world.outsider, role=Role.GOVERNOR, department=world.education
        )


def test_a_national_analyst_is_attached_to_no_place(world):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=world.outsider, role=Role.NATIONAL, region=world.zhambyl)


def test_the_same_role_in_the_same_place_is_recorded_once(world):
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=world.head_of_education, role=Role.HEAD, department=world.education
        )


# --- the named questions other apps ask (regions.access, nowhere else) ----------------------

# actor -> (region reports readable, regions whose own records are editable), by region
REGION_RIGHTS = {
    "head_of_education": (set(), set()),
    "head_of_agriculture": (set(), set()),
    "department_official": (set(), set()),
    "digital_office": ({"zhambyl"}, {"zhambyl"}),
    "governor": ({"zhambyl"}, set()),
    "official": ({"zhambyl"}, set()),
    "national_analyst": ({"zhambyl", "almaty_region"}, set()),
    "superuser": ({"zhambyl", "almaty_region"}, {"zhambyl", "almaty_region"}),
    "outsider": (set(), set()),
}
REGIONS = ["zhambyl", "almaty_region"]


def region_names(world, regions):
    by_pk = {getattr(world, name).pk: name for name in REGIONS}
    return {by_pk[region.pk] for region in regions}


def inactive(user):
    user.is_active = False
    user.save()
    return User.objects.get(pk=user.pk)


def refused_everywhere(scope, world):
    """Every region-level question answered no, every filter empty."""
    assert not scope.sees_any_region_report and not scope.edits_any_region
    assert not scope.sees_several_regions
    for name in REGIONS:
        region = getattr(world, name)
        assert not scope.may_see_region_report(region) and not scope.may_edit_region(region)
    assert not scope.filter_reported_regions(Region.objects.all()).exists()
    assert not scope.filter_edited_regions(Region.objects.all()).exists()
    assert not scope.filter_region_reports(ReportSnapshot.objects.all()).exists()


@pytest.fixture
def snapshots(world):
    return {
        name: ReportSnapshot.objects.create(region=getattr(world, name), as_of=date(2026, 3, 2))
        for name in REGIONS
    }


@pytest.mark.parametrize("actor", REGION_RIGHTS)
def test_each_role_reads_exactly_the_region_reports_of_the_regions_it_sees_whole(
    world, snapshots, actor
):
    scope = scope_for(getattr(world, actor))
    readable, _editable = REGION_RIGHTS[actor]
    for name in REGIONS:
        assert scope.may_see_region_report(getattr(world, name)) is (name in readable), name
        assert scope.may_see_region_report(getattr(world, name).pk) is (name in readable), name
    assert scope.sees_any_region_report is bool(readable)
    assert region_names(world, scope.filter_reported_regions(Region.objects.all())) == readable
    reports = scope.filter_region_reports(ReportSnapshot.objects.all())
    assert {snapshot.pk for snapshot in reports} == {snapshots[name].pk for name in readable}


@pytest.mark.parametrize("actor", REGION_RIGHTS)
def test_each_role_changes_exactly_the_region_records_of_its_own_digital_office(world, actor):
    scope = scope_for(getattr(world, actor))
    _readable, editable = REGION_RIGHTS[actor]
    for name in REGIONS:
        assert scope.may_edit_region(getattr(world, name)) is (name in editable), name
        assert scope.may_edit_region(getattr(world, name).pk) is (name in editable), name
    assert scope.edits_any_region is bool(editable)
    assert region_names(world, scope.filter_edited_regions(Region.objects.all())) == editable
    departments = scope.filter_edited_regions(Department.objects.all(), region_field="region_id")
    assert set(departments) == set(
        Department.objects.filter(region__in=[getattr(world, name) for name in editable])
    )
    # The department list is managed by the same people, and claims verified by them.
    assert scope.manages_any_departments is scope.verifies_anything is bool(editable)
    for name in REGIONS:
        assert scope.may_manage_departments(getattr(world, name)) is (name in editable)


def test_a_head_reads_no_region_report_not_even_of_their_own_region(world, snapshots):
    scope = scope_for(world.head_of_education)
    assert Service.objects.for_user(world.head_of_education).exists()  # sees their services
    assert not scope.may_see_region_report(world.education.region)
    refused_everywhere(scope, world)


def test_a_governor_reads_their_regions_report_but_changes_none_of_its_records(world, snapshots):
    scope = scope_for(world.governor)
    assert scope.may_see_region_report(world.zhambyl)
    assert not scope.may_edit_region(world.zhambyl)
    assert not scope.filter_edited_regions(Region.objects.all()).exists()
    assert not scope.filter_edited_regions(Department.objects.all(), region_field="region_id")


def test_a_digital_office_neither_reads_nor_changes_another_regions(world, snapshots):
    scope = scope_for(world.digital_office)
    assert not scope.may_see_region_report(world.almaty_region)
    assert not scope.may_edit_region(world.almaty_region)
    assert list(scope.filter_region_reports(ReportSnapshot.objects.all())) == [snapshots["zhambyl"]]


@pytest.mark.parametrize("actor", ["digital_office", "national_analyst", "governor"])
def test_an_inactive_user_is_refused_every_region_question(world, snapshots, actor):
    refused_everywhere(scope_for(inactive(getattr(world, actor))), world)


def test_anonymous_is_refused_every_region_question(world, snapshots):
    from django.contrib.auth.models import AnonymousUser

    refused_everywhere(scope_for(AnonymousUser()), world)
    assert not reportable_regions(AnonymousUser()).exists()


def test_only_someone_reaching_several_regions_picks_the_region_first(world):
    several = {
        actor for actor in REGION_RIGHTS if scope_for(getattr(world, actor)).sees_several_regions
    }
    assert several == {"national_analyst", "superuser"}
    Membership.objects.create(user=world.governor, role=Role.OFFICIAL, region=world.almaty_region)
    assert scope_for(User.objects.get(pk=world.governor.pk)).sees_several_regions


def test_the_pages_open_a_region_or_a_report_only_within_reach(world, snapshots):
    assert region_for(world.governor, "KZ-31") == world.zhambyl
    assert snapshot_for(world.governor, snapshots["zhambyl"].pk) == snapshots["zhambyl"]
    for user, code, snapshot in [
        (world.governor, "KZ-19", snapshots["almaty_region"]),  # another region
        (world.head_of_education, "KZ-31", snapshots["zhambyl"]),  # one department only
        (world.outsider, "KZ-31", snapshots["zhambyl"]),
        (inactive(world.digital_office), "KZ-31", snapshots["zhambyl"]),
    ]:
        with pytest.raises(Http404):
            region_for(user, code)
        with pytest.raises(Http404):
            snapshot_for(user, snapshot.pk)
    assert set(reportable_regions(world.national_analyst)) == {world.zhambyl, world.almaty_region}


def test_the_heads_of_a_department_are_its_active_head_memberships_only(world):
    second = Membership.objects.create(
        user=world.head_of_agriculture, role=Role.HEAD, department=world.education
    )
    Membership.objects.create(
        user=world.official, role=Role.OFFICIAL, department=world.agriculture
    )  # an official of the department is no head
    heads = heads_of([world.education.pk])
    assert {(m.user, m.department) for m in heads} == {
        (world.head_of_education, world.education),
        (world.head_of_agriculture, world.education),
    }
    inactive(world.head_of_education)
    assert list(heads_of([world.education.pk])) == [second]
    assert not heads_of([]).exists()
    assert {m.user for m in heads_of([world.agriculture.pk])} == {world.head_of_agriculture}


# --- open data: published regions for anyone, one's own reach besides --------------------


@pytest.mark.parametrize("actor", [*EXPECTED, None])
def test_open_data_is_the_published_regions_and_what_one_sees_anyway(world, actor):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    user = getattr(world, actor) if actor else AnonymousUser()
    scope = scope_for(user)
    seen = EXPECTED[actor][0] if actor else set()
    services = scope.filter_open_through_department(Service.objects.all())
    assert names(world, services) == seen
    world.almaty_region.published_on = timezone.localdate()
    world.almaty_region.save()
    services = scope.filter_open_through_department(Service.objects.all())
    assert names(world, services) == seen | {"almaty_kindergarten"}
    assert set(scope.filter_open_departments(Department.objects.all())) == set(
        Department.objects.for_user(user)
    ) | {world.almaty_education}
    assert set(scope.filter_open_regions(Region.objects.all())) == set(
        scope.filter_regions(Region.objects.all())
    ) | {world.almaty_region}
    assert set(scope.filter_open_reported_regions(Region.objects.all())) == set(
        scope.filter_reported_regions(Region.objects.all())
    ) | {world.almaty_region}


@pytest.mark.parametrize("actor", REGION_RIGHTS)
def test_a_region_is_published_by_whoever_changes_its_own_records(world, actor):
    scope = scope_for(getattr(world, actor))
    _readable, editable = REGION_RIGHTS[actor]
    for name in REGIONS:
        assert scope.may_publish_region(getattr(world, name)) is (name in editable), name
    assert scope.publishes_any_region is bool(editable)
    assert region_names(world, scope.filter_publishable_regions(Region.objects.all())) == editable


# Code that reads these decides access itself: it must ask a named question here instead.
RAW_SETS = re.compile(
    r"\.(seen_regions|edited_regions|seen_departments|edited_departments"
    r"|sees_everything|edits_everything)\b"
)


def test_no_code_outside_regions_access_reads_a_scopes_raw_sets():
    root = Path(__file__).resolve().parents[2]
    sources = [*root.glob("*.py")] + [
        path
        for package in ("regions", "services", "reports", "tracker")
        for path in (root / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    readers = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sources
        if path != root / "regions" / "access.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_SETS.search(line)
    ]
    assert len(sources) > 50
    assert readers == []
