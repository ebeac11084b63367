"""A confirmation does what its preview showed, or nothing: when the data changed in
between (another import, an edit), nothing of the file is written and the person is told
why and by whom, with the file kept to be checked again."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from services import actions
from services.models import Service, Status
from tests.services_tests.spreadsheet_files import xlsx

IMPORT = reverse("admin:services_service_import")
PROCESS = reverse("admin:services_service_process_import")
ENGLISH = {"accept-language": "en"}
NEW_SERVICE = [["Наименование услуги", "Статус"], ["Выдача справки о прописке", "частично"]]


def preview(client, world, rows):
    response = client.post(
        IMPORT,
        {
            "resource": "0",
            "format": "0",
            "department": world.education.pk,
            "import_file": SimpleUploadedFile("список.xlsx", xlsx(rows)),
        },
    )
    assert response.status_code == 200 and response.context["confirm_form"] is not None
    return dict(response.context["confirm_form"].initial)


def named(name):
    return Service.objects.filter(department__region__code="KZ-31", name_ru=name)


@pytest.mark.django_db
def test_the_second_of_two_confirmations_of_one_file_writes_nothing_and_says_who_came_first(
    client, world
):
    first, second = Client(headers=ENGLISH), Client(headers=ENGLISH)
    first.force_login(world.head_of_education)
    second.force_login(world.digital_office)
    first_confirm = preview(first, world, NEW_SERVICE)
    second_confirm = preview(second, world, NEW_SERVICE)

    assert first.post(PROCESS, first_confirm).status_code == 302
    response = second.post(PROCESS, second_confirm)

    assert response.status_code == 409
    assert response.context["refusal"] == "Nothing of your file was written."
    why = response.context["problems"][0]
    assert why.startswith("Since your preview the data changed")
    assert f"{world.head_of_education.username}: added, 1 service" in why
    assert named("Выдача справки о прописке").count() == 1
    # The same file, checked again, now changes nothing: nothing left to confirm twice.
    again = second.post(IMPORT, response.context["check_again"])
    assert again.status_code == 200
    assert [row.import_type for row in again.context["result"].rows] == ["skip"]


@pytest.mark.django_db
def test_an_edit_between_preview_and_confirmation_is_not_overwritten(client, world):
    client = Client(headers=ENGLISH)
    client.force_login(world.head_of_education)
    confirm = preview(
        client,
        world,
        [["Наименование услуги", "Статус"], ["Постановка на очередь в детский сад", "частично"]],
    )
    actions.set_status(
        world.kindergarten,
        status=Status.ELECTRONIC,
        by=world.digital_office,
        comment="Переведена на портал",
    )
    response = client.post(PROCESS, confirm)
    assert response.status_code == 409
    assert f"{world.digital_office.username}: status changed" in response.context["problems"][0]
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.ELECTRONIC


@pytest.mark.django_db
def test_a_confirmation_whose_data_did_not_change_imports_as_the_preview_showed(client, world):
    client.force_login(world.head_of_education)
    confirm = preview(client, world, NEW_SERVICE)
    # A change elsewhere in the region that the file does not touch changes nothing.
    actions.set_status(world.first_grade, status=Status.PARTIAL, by=world.head_of_education)
    assert client.post(PROCESS, confirm).status_code == 302
    assert named("Выдача справки о прописке").get().status == Status.PARTIAL


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two writers at once need a server database"
)
def test_two_confirmations_at_the_same_moment_write_once_and_tell_the_loser(
    transactional_db, world
):
    people = [world.head_of_education, world.digital_office]
    clients = []
    for person in people:
        client = Client(headers=ENGLISH)
        client.force_login(person)
        clients.append((client, preview(client, world, NEW_SERVICE)))
    start, answers = threading.Barrier(len(clients)), {}

    def confirm(index, client, data):
        start.wait()
        try:
            answers[index] = client.post(PROCESS, data)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=(index, client, data))
        for index, (client, data) in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    codes = sorted(answer.status_code for answer in answers.values())
    assert codes == [302, 409]
    [loser] = [answer for answer in answers.values() if answer.status_code == 409]
    assert loser.context["refusal"] == "Nothing of your file was written."
    assert named("Выдача справки о прописке").count() == 1
