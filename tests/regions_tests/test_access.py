"""The one access rule: who sees and who changes which services."""

import pytest
from django.db import IntegrityError

from regions.access import can_edit, scope_for
from regions.models import Department, Membership, Role, User
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
