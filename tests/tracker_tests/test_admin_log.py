"""The admin's log read in the reader's language, whatever language its actor used."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation

from tests.services_tests.test_admin import form_data

pytestmark = pytest.mark.django_db


def test_a_change_made_in_russian_reads_in_kazakh(client, world):
    from datetime import date

    from reports.models import ProgressTarget

    target = ProgressTarget.objects.create(
        region=world.zhambyl, share=50, deadline=date(2027, 1, 31), set_on=date(2026, 1, 1)
    )
    client.force_login(world.digital_office)
    response = client.post(
        reverse("admin:reports_progresstarget_change", args=[target.pk]),
        {
            "region": world.zhambyl.pk,
            "department": "",
            "scope": "all",
            "share": "80",
            "deadline": "2027-01-31",
        },
        headers={"accept-language": "ru"},
    )
    assert response.status_code == 302
    history = client.get(
        reverse("admin:reports_progresstarget_history", args=[target.pk]),
        headers={"accept-language": "kk"},
    ).content.decode()
    with translation.override("kk"):
        label = translation.gettext("share electronic, %")
    assert label != "share electronic, %" and label[0].upper() + label[1:] in history
    assert "Share electronic" not in history


def test_the_forms_hidden_bookkeeping_is_no_change_kept(world):
    from django import forms

    from tracker.admin_log import construct_change_message

    class Form(forms.Form):
        share = forms.IntegerField(label="share")
        expected_version = forms.IntegerField(widget=forms.HiddenInput)

    form = Form({"share": 5, "expected_version": 2}, initial={"share": 4, "expected_version": 1})
    assert form.is_valid()
    assert construct_change_message(form, [], False) == [{"changed": {"fields": ["share"]}}]


def test_recent_actions_name_each_object_in_the_readers_language(client, world):
    service = world.kindergarten
    service.name_kk = "Балабақшаға кезекке қою"
    service.save(update_fields=["name_kk"])
    client.force_login(world.superuser)
    client.post(
        reverse("admin:services_service_change", args=[service.pk]),
        form_data(service, term_days=7),
        headers={"accept-language": "ru"},
    )
    assert LogEntry.objects.get().object_repr == "Постановка на очередь в детский сад"
    index = client.get(reverse("admin:index"), headers={"accept-language": "kk"}).content.decode()
    assert "Балабақшаға кезекке қою" in index


def test_an_import_is_logged_as_data_and_read_in_the_readers_language(client, world):
    from tests.services_tests.test_import_admin import PROCESS, upload

    client.force_login(world.head_of_education)
    preview = upload(
        client,
        world,
        [["Наименование услуги", "Статус"], ["Постановка на очередь в детский сад", "электронная"]],
        language="ru",
    )
    confirm = preview.context["confirm_form"]
    client.post(PROCESS, {**confirm.initial, "department": world.education.pk})
    entry = LogEntry.objects.get(object_id=str(world.kindergarten.pk))
    assert entry.change_message == '[{"imported": "update"}]'  # no sentence kept
    from tracker.admin_log import ReadableEntry

    for language in ("kk", "ru"):
        with translation.override(language):
            said = ReadableEntry(entry).get_change_message()
            assert said == translation.gettext("Changed from a spreadsheet.")
            assert "import_export" not in said and said != "Changed from a spreadsheet."
