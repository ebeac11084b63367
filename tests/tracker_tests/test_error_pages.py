"""Refusals a person reads — not allowed, an expired form, a request the page cannot
read — in their language, never Django's English pages."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db


def said(language, message):
    with translation.override(language):
        return gettext(message)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_not_allowed_is_a_page_in_the_readers_language(client, world, settings, language):
    settings.DEBUG = False
    client.force_login(world.head_of_education)  # heads set no targets
    response = client.get(
        reverse("admin:reports_progresstarget_add"), headers={"accept-language": language}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert said(language, "Not allowed") in html and "Forbidden" not in html


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_form_sent_without_its_token_is_explained_in_the_readers_language(world, language):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.governor)
    response = client.post(
        reverse("reports:build", args=["KZ-31"]), headers={"accept-language": language}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert said(language, "The form has expired") in html
    assert "CSRF" not in html and "same-origin" not in html


def test_comparing_without_two_reports_says_so_in_the_readers_language(client, world):
    client.force_login(world.governor)
    response = client.get(
        reverse("reports:compare", args=["KZ-31"]), headers={"accept-language": "ru"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert said("ru", "Choose two finished reports of this region to compare.") in html
    assert "Choose two" not in html


def test_a_read_only_page_names_a_person_without_linking_a_page_that_would_refuse(client, world):
    from reports.build import build_region_report
    from services.models import StatusChange

    snapshot = build_region_report(world.zhambyl, as_of=date.today(), requested_by=world.governor)
    change = StatusChange.objects.filter(service=world.first_grade).latest("changed_at")
    client.force_login(world.governor)
    pages = {
        name: client.get(reverse(name, args=[pk])).content.decode()
        for name, pk in (
            ("admin:reports_reportsnapshot_change", snapshot.pk),
            ("admin:services_statuschange_change", change.pk),
        )
    }
    for name, page in pages.items():
        assert "/admin/regions/user/" not in page, name
    named = world.governor.get_full_name() or world.governor.get_username()
    assert named in pages["admin:reports_reportsnapshot_change"]


def test_a_note_and_an_api_key_name_their_people_without_linking_their_accounts(client, world):
    from reports.models import ReportNote
    from reports.notes import save_note
    from tracker.api.models import ApiToken

    note = ReportNote(region=world.zhambyl, on=date(2025, 3, 1), text_ru="Запуск портала")
    save_note(note, by=world.digital_office)
    key = ApiToken(name="dashboard", user=world.governor, created_by=world.superuser)
    key.new_key()
    key.save()
    client.force_login(world.governor)
    note_page = client.get(reverse("admin:reports_reportnote_change", args=[note.pk]))
    key_page = client.get(reverse("admin:tracker_apitoken_change", args=[key.pk]))
    for page in (note_page, key_page):
        assert page.status_code == 200
        assert "/admin/regions/user/" not in page.content.decode()
    assert world.digital_office.get_username() in note_page.content.decode()
    assert world.superuser.get_username() in key_page.content.decode()
