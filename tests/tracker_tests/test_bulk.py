"""tracker.bulk: many new rows at once, each with its id, the same on every database."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import Service, Status, StatusChange
from tracker.bulk import insert_new

pytestmark = pytest.mark.django_db


def new_services(department, names):
    return [Service(department=department, name_ru=name, status=Status.PARTIAL) for name in names]


def test_new_rows_get_their_ids_and_read_back_as_written(world):
    services = insert_new(Service, new_services(world.education, ["Первая", "Вторая"]))
    assert all(service.pk for service in services)
    stored = {s.pk: s for s in Service.objects.filter(pk__in=[s.pk for s in services])}
    assert [stored[s.pk].name_ru for s in services] == ["Первая", "Вторая"]
    assert {stored[s.pk].status for s in services} == {"partial"}
    assert all(stored[s.pk].created_at for s in services)  # auto_now_add as on save()
    assert not services[0]._state.adding


def test_a_later_insert_takes_a_fresh_id(world):
    services = insert_new(Service, new_services(world.education, ["Первая", "Вторая"]))
    later = Service.objects.create(department=world.education, name_ru="Третья")
    assert later.pk not in {service.pk for service in services}


def test_a_lazy_translation_is_written_as_its_text(world):
    [service] = insert_new(Service, new_services(world.education, ["Первая"]))
    [move] = insert_new(
        StatusChange,
        [
            StatusChange(
                service=service,
                old_status="",
                new_status=Status.PARTIAL,
                changed_at=timezone.now(),
                changed_by=world.digital_office,
                comment=_("Service added."),
            )
        ],
    )
    assert StatusChange.objects.get(pk=move.pk).comment == str(_("Service added."))


def test_the_constraints_hold_and_nothing_is_half_written(world):
    Service.objects.create(department=world.education, name_ru="Занята")
    before = Service.objects.count()
    refused = new_services(world.education, ["Свободна", "Занята"])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new(Service, refused)
    assert Service.objects.count() == before
    assert all(service.pk is None and service._state.adding for service in refused)
