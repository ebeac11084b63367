"""The register changes in the admin: withdrawing and returning services, moving them to
another department, merging and renaming departments — by the region's digital office,
refused to everyone else, each leaving its history."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from regions.models import Department, DepartmentChange
from services import actions
from services.models import Service, ServiceChange
from services.reminders import remind_stale_heads
from tests.regions_tests.test_department_import import alias_form

pytestmark = pytest.mark.django_db

SERVICES = reverse("admin:services_service_changelist")
DEPARTMENTS = reverse("admin:regions_department_changelist")


def run(client, url, action, objects, **extra):
    return client.post(
        url, {"action": action, "_selected_action": [o.pk for o in objects], **extra}, follow=True
    )


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def in_readers_language(text: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # the demo's users read Kazakh
        return gettext(text)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_the_digital_office_withdraws_services_from_a_date_with_a_reason(client, world):
    client.force_login(world.digital_office)
    on = timezone.localdate() + timedelta(days=7)
    run(
        client,
        SERVICES,
        "withdraw_selected",
        [world.seed_subsidy],
        comment="Исключена из реестра приказом №12",
        withdraw_on=on.isoformat(),
    )
    assert fresh(world.seed_subsidy).withdrawn_on == on
    row = ServiceChange.objects.filter(service=world.seed_subsidy).first()
    assert (row.kind, row.comment) == ("withdrawn", "Исключена из реестра приказом №12")
    run(client, SERVICES, "restore_selected", [world.seed_subsidy], comment="Ошибка")
    assert fresh(world.seed_subsidy).withdrawn_on is None


def test_a_withdrawal_without_a_reason_or_by_a_head_changes_nothing(client, world):
    client.force_login(world.digital_office)
    response = run(client, SERVICES, "withdraw_selected", [world.seed_subsidy], comment="")
    assert in_readers_language("Say why the service leaves the register.") in messages_of(response)
    client.force_login(world.head_of_agriculture)
    run(client, SERVICES, "withdraw_selected", [world.seed_subsidy], comment="Не нужна")
    assert fresh(world.seed_subsidy).withdrawn_on is None
    assert ServiceChange.objects.filter(service=world.seed_subsidy).count() == 1


def test_moving_services_asks_where_offering_only_the_regions_open_departments(client, world):
    client.force_login(world.digital_office)
    page = run(client, SERVICES, "move_selected", [world.kindergarten])
    offered = set(page.context["form"].fields["to"].queryset)
    assert offered == {world.education, world.agriculture}  # not Almaty's education
    run(
        client,
        SERVICES,
        "move_selected",
        [world.kindergarten],
        apply="1",
        to=world.agriculture.pk,
        comment="Решение акимата №5",
    )
    assert fresh(world.kindergarten).department == world.agriculture
    row = ServiceChange.objects.filter(service=world.kindergarten).first()
    assert (row.kind, row.comment) == ("moved", "Решение акимата №5")
    assert world.education.history.filter(kind=DepartmentChange.Kind.SPLIT).exists()


def test_moving_to_another_regions_department_or_by_a_head_is_refused(client, world):
    client.force_login(world.digital_office)
    response = run(
        client,
        SERVICES,
        "move_selected",
        [world.kindergarten],
        apply="1",
        to=world.almaty_education.pk,
    )
    assert response.context["form"].errors  # not a choice it was offered
    client.force_login(world.head_of_education)
    run(
        client,
        SERVICES,
        "move_selected",
        [world.kindergarten],
        apply="1",
        to=world.agriculture.pk,
    )
    assert fresh(world.kindergarten).department == world.education
    assert ServiceChange.objects.filter(service=world.kindergarten).count() == 1


def test_the_digital_office_merges_departments_and_others_may_not(client, world):
    client.force_login(world.head_of_agriculture)
    run(
        client, DEPARTMENTS, "merge_selected", [world.agriculture], apply="1", to=world.education.pk
    )
    client.force_login(world.head_in_almaty)
    run(
        client, DEPARTMENTS, "merge_selected", [world.agriculture], apply="1", to=world.education.pk
    )
    assert fresh(world.agriculture).closed_on is None
    client.force_login(world.digital_office)
    response = run(
        client,
        DEPARTMENTS,
        "merge_selected",
        [world.agriculture],
        apply="1",
        to=world.education.pk,
        comment="Постановление акимата",
    )
    with translation.override(settings.LANGUAGE_CODE):
        merged = ngettext(
            "Merged into %(department)s: %(count)d service moved.",
            "Merged into %(department)s: %(count)d services moved.",
            1,
        ) % {"count": 1, "department": fresh(world.education)}
    assert merged in messages_of(response)
    assert fresh(world.agriculture).closed_on == timezone.localdate()
    assert fresh(world.seed_subsidy).department == world.education
    merged_into = world.agriculture.history.get(kind=DepartmentChange.Kind.MERGED_INTO)
    assert (merged_into.other, merged_into.services_moved) == (world.education, 1)


def test_a_rename_in_the_admin_is_kept_in_the_departments_history(client, world):
    client.force_login(world.digital_office)
    url = reverse("admin:regions_department_change", args=[world.education.pk])
    client.post(
        url,
        alias_form(
            world.education,
            name_ru="Управление образования и науки",
            **{"aliases-TOTAL_FORMS": "0"},
        ),
    )
    assert fresh(world.education).name_ru == "Управление образования и науки"
    [edited, before] = world.education.history.order_by("-changed_at", "-pk")
    assert edited.changes == {
        "name_ru": ["Управление образования", "Управление образования и науки"]
    }
    assert (before.kind, before.name_ru) == ("created", "Управление образования")
    page = client.get(url).content.decode()
    assert 'id="department-history"' in page
    assert Department.objects.get(pk=world.education.pk).history.count() == 2
    assert Service.objects.filter(department=world.education).count() == 2


def test_the_list_tells_withdrawn_services_and_filters_them_as_its_export_does(client, world):
    actions.withdraw_services(
        [world.seed_subsidy], by=world.digital_office, on=timezone.localdate(), reason="x"
    )
    client.force_login(world.digital_office)
    listed = client.get(SERVICES, {"withdrawn": "true"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert set(listed.context["cl"].queryset) == {world.seed_subsidy}
    assert "исключена из реестра" in listed.content.decode()
    kept = client.get(SERVICES, {"withdrawn": "false"}).context["cl"].queryset
    assert world.seed_subsidy not in set(kept) and world.kindergarten in set(kept)


def test_a_withdrawn_service_is_not_a_stale_one_to_remind_of(world, settings, mailoutbox):
    settings.STALE_AFTER_DAYS = 30
    Service.objects.filter(pk=world.seed_subsidy.pk).update(
        last_confirmed=timezone.localdate() - timedelta(days=45)
    )
    assert remind_stale_heads() == 1
    actions.withdraw_services(
        [fresh(world.seed_subsidy)], by=world.digital_office, on=timezone.localdate(), reason="x"
    )
    assert remind_stale_heads() == 0
