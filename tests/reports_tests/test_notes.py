"""Notes that explain a region's jumps: written by its digital office in the admin, kept
with their history, read by the report's readers, drawn on the charts."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from regions.models import Role
from reports.charts import trend_chart
from reports.models import ProgressTarget, ReportNote, ReportNoteVersion
from reports.notes import note_text, notes_for, remove_note, save_note
from tests.conftest import make_user
from tracker.append_only import HistoryIsImmutable

pytestmark = pytest.mark.django_db

NOTES = reverse("admin:reports_reportnote_changelist")
ADD = reverse("admin:reports_reportnote_add")
Action = ReportNoteVersion.Action


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the refusals are read in English here


def change_url(note):
    return reverse("admin:reports_reportnote_change", args=[note.pk])


def delete_url(note):
    return reverse("admin:reports_reportnote_delete", args=[note.pk])


def note(region, on, *, by, **fields):
    fields.setdefault("text_ru", "Новый реестр исключил 12 услуг")
    written = ReportNote(region=region, on=on, **fields)
    save_note(written, by=by)
    return written


def form(region, *, on="2025-03-01", department=None, target=None, **texts):
    return {
        "region": region.pk,
        "on": on,
        "department": department.pk if department else "",
        "target": target.pk if target else "",
        "text_kk": texts.get("text_kk", ""),
        "text_ru": texts.get("text_ru", ""),
        "text_en": texts.get("text_en", ""),
    }


def history(note_id):
    return list(ReportNoteVersion.objects.filter(note_id=note_id).order_by("pk"))


@pytest.fixture
def digital_office_of_almaty(world):
    return make_user("digital.almaty", Role.DIGITAL_OFFICE, region=world.almaty_region)


# --- writing, through the admin ------------------------------------------------------


def test_the_digital_office_adds_a_note_and_its_history_says_who_and_when(client, world):
    client.force_login(world.digital_office)
    before = timezone.now()
    response = client.post(
        ADD,
        form(
            world.zhambyl,
            department=world.agriculture,
            text_ru="Услуги перешли из сельского хозяйства в земельные отношения",
        ),
    )
    assert response.status_code == 302
    added = ReportNote.objects.get()
    assert (added.region, added.on, added.department, added.created_by) == (
        world.zhambyl,
        date(2025, 3, 1),
        world.agriculture,
        world.digital_office,
    )
    [version] = history(added.pk)
    assert (version.action, version.who, version.region, version.department) == (
        Action.ADDED,
        world.digital_office,
        world.zhambyl,
        world.agriculture,
    )
    assert version.text_ru == "Услуги перешли из сельского хозяйства в земельные отношения"
    assert version.on == date(2025, 3, 1)
    assert before <= version.when <= timezone.now()


def test_changing_a_note_writes_a_changed_version_with_the_new_text(client, world):
    written = note(world.zhambyl, date(2025, 3, 1), by=world.digital_office, text_ru="Старый")
    client.force_login(world.digital_office)
    response = client.post(
        change_url(written), form(world.zhambyl, on="2025-03-02", text_kk="Жаңа", text_ru="Новый")
    )
    assert response.status_code == 302
    added, changed = history(written.pk)
    assert (added.action, added.text_ru, added.on) == (Action.ADDED, "Старый", date(2025, 3, 1))
    assert (changed.action, changed.who) == (Action.CHANGED, world.digital_office)
    assert (changed.text_kk, changed.text_ru, changed.on) == ("Жаңа", "Новый", date(2025, 3, 2))


def test_saving_a_note_unchanged_writes_no_version(client, world):
    written = note(world.zhambyl, date(2025, 3, 1), by=world.digital_office, text_ru="Как было")
    client.force_login(world.digital_office)
    response = client.post(change_url(written), form(world.zhambyl, text_ru="Как было"))
    assert response.status_code == 302
    assert [v.action for v in history(written.pk)] == [Action.ADDED]


def test_the_change_page_shows_the_notes_history_read_only(client, world):
    written = note(world.zhambyl, date(2025, 3, 1), by=world.digital_office, text_ru="Первый")
    written.text_ru = "Второй"
    save_note(written, by=world.superuser)
    client.force_login(world.digital_office)
    page = client.get(change_url(written)).content.decode()
    assert "Первый" in page  # only in the history: the form holds the new text
    assert page.count("<td") == 2 * 9  # two versions, nine columns each
    assert ">root<" in page and ">digital<" in page  # who did each


def test_deleting_a_note_keeps_its_history_ending_with_its_removal(client, world):
    written = note(world.zhambyl, date(2025, 3, 1), by=world.digital_office, text_en="Register")
    client.force_login(world.digital_office)
    assert client.post(delete_url(written), {"post": "yes"}).status_code == 302
    assert not ReportNote.objects.exists()
    added, removed = history(written.pk)
    assert added.action == Action.ADDED
    assert (removed.action, removed.who, removed.region) == (
        Action.REMOVED,
        world.digital_office,
        world.zhambyl,
    )
    assert (removed.text_en, removed.on) == ("Register", date(2025, 3, 1))


def test_the_bulk_delete_writes_one_removed_version_per_note(client, world):
    notes = [note(world.zhambyl, date(2025, 3, day), by=world.digital_office) for day in (1, 2, 3)]
    kept = note(world.zhambyl, date(2025, 3, 4), by=world.digital_office)
    client.force_login(world.digital_office)
    response = client.post(
        NOTES,
        {"action": "delete_selected", "_selected_action": [n.pk for n in notes], "post": "yes"},
    )
    assert response.status_code == 302
    assert list(ReportNote.objects.all()) == [kept]
    removed = ReportNoteVersion.objects.filter(action=Action.REMOVED)
    assert sorted(removed.values_list("note_id", "who")) == [
        (n.pk, world.digital_office.pk) for n in notes
    ]
    assert ReportNoteVersion.objects.filter(action=Action.ADDED).count() == 4


def test_a_note_without_any_text_is_refused(client, world):
    client.force_login(world.digital_office)
    response = client.post(ADD, form(world.zhambyl, text_kk="  ", text_ru="", text_en=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Write the note in at least one language."
    ]
    assert not ReportNote.objects.exists() and not ReportNoteVersion.objects.exists()
    with pytest.raises(ValidationError):  # not only the admin's form refuses it
        save_note(ReportNote(region=world.zhambyl, on=date(2025, 3, 1)), by=world.superuser)
    assert not ReportNoteVersion.objects.exists()


def test_a_department_or_target_of_another_region_is_refused(client, world):
    almaty_target = ProgressTarget.objects.create(
        region=world.almaty_region, share=80, deadline=date(2026, 12, 31), set_on=date(2026, 1, 1)
    )
    client.force_login(world.superuser)  # offered every region's departments and targets
    response = client.post(
        ADD,
        form(
            world.zhambyl,
            department=world.almaty_education,
            target=almaty_target,
            text_ru="Не туда",
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["department"] == ["This department belongs to another region."]
    assert errors["target"] == ["This target belongs to another region."]
    assert not ReportNote.objects.exists() and not ReportNoteVersion.objects.exists()


def test_the_digital_office_is_offered_only_its_regions_departments(client, world):
    client.force_login(world.digital_office)
    response = client.post(
        ADD, form(world.zhambyl, department=world.almaty_education, text_ru="Не туда")
    )
    assert "department" in response.context["adminform"].form.errors
    offered = response.context["adminform"].form.fields["department"].queryset
    assert set(offered) == {world.education, world.agriculture}
    assert not ReportNote.objects.exists()


# --- who may do what -----------------------------------------------------------------


def test_a_department_head_neither_sees_nor_adds_notes(client, world):
    client.force_login(world.head_of_education)
    assert client.get(ADD).status_code == 403
    assert client.get(NOTES).status_code == 403
    assert client.post(ADD, form(world.zhambyl, text_ru="Нет")).status_code == 403
    index = client.get(reverse("admin:index")).context["app_list"]
    models = {model["object_name"] for app in index for model in app["models"]}
    assert "ReportNote" not in models
    assert not ReportNote.objects.exists()


def test_another_regions_digital_office_cannot_open_change_or_list_the_note(
    client, world, digital_office_of_almaty
):
    written = note(world.zhambyl, date(2025, 3, 1), by=world.digital_office, text_ru="Наше")
    theirs = note(world.almaty_region, date(2025, 3, 1), by=digital_office_of_almaty)
    client.force_login(digital_office_of_almaty)
    assert client.get(change_url(written)).status_code == 404
    assert client.post(change_url(written), form(world.zhambyl, text_ru="Чужое")).status_code == 404
    assert client.post(delete_url(written), {"post": "yes"}).status_code == 404
    assert list(client.get(NOTES).context["cl"].queryset) == [theirs]
    written.refresh_from_db()
    assert written.text_ru == "Наше"
    assert [v.action for v in history(written.pk)] == [Action.ADDED]


def test_another_regions_digital_office_cannot_add_a_note_to_this_region(
    client, digital_office_of_almaty, world
):
    client.force_login(digital_office_of_almaty)
    response = client.post(ADD, form(world.zhambyl, text_ru="Чужое"))
    assert "region" in response.context["adminform"].form.errors
    assert not ReportNote.objects.exists()


def test_another_regions_digital_office_cannot_bulk_delete_this_regions_notes(
    client, world, digital_office_of_almaty
):
    written = note(world.zhambyl, date(2025, 3, 1), by=world.digital_office)
    client.force_login(digital_office_of_almaty)
    client.post(
        NOTES, {"action": "delete_selected", "_selected_action": [written.pk], "post": "yes"}
    )
    assert ReportNote.objects.filter(pk=written.pk).exists()
    assert [v.action for v in history(written.pk)] == [Action.ADDED]


def test_a_governor_reads_the_regions_notes_but_cannot_change_them(client, world):
    written = note(world.zhambyl, date(2025, 3, 1), by=world.digital_office, text_ru="Наше")
    note(world.almaty_region, date(2025, 3, 1), by=world.superuser)
    client.force_login(world.governor)
    assert list(client.get(NOTES).context["cl"].queryset) == [written]
    page = client.get(change_url(written))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()
    assert "Наше" in page.content.decode()
    assert client.get(ADD).status_code == 403
    assert client.post(change_url(written), form(world.zhambyl, text_ru="Иное")).status_code == 403
    assert client.post(delete_url(written), {"post": "yes"}).status_code == 403
    written.refresh_from_db()
    assert written.text_ru == "Наше"
    assert [v.action for v in history(written.pk)] == [Action.ADDED]


def test_a_national_analyst_reads_every_regions_notes_read_only(client, world):
    mine = note(world.zhambyl, date(2025, 3, 1), by=world.superuser)
    theirs = note(world.almaty_region, date(2025, 3, 2), by=world.superuser)
    client.force_login(world.national_analyst)
    assert set(client.get(NOTES).context["cl"].queryset) == {mine, theirs}
    assert client.get(change_url(theirs)).context["has_change_permission"] is False
    assert client.get(ADD).status_code == 403


# --- the history, without the admin --------------------------------------------------


def test_the_history_is_written_by_the_functions_and_never_rewritten(world):
    written = note(world.zhambyl, date(2025, 3, 1), by=world.digital_office)
    written.text_en = "The new register removed 12 services"
    assert save_note(written, by=world.digital_office).action == Action.CHANGED
    note_id = written.pk
    assert remove_note(written, by=world.superuser).action == Action.REMOVED
    versions = history(note_id)
    assert [v.action for v in versions] == [Action.ADDED, Action.CHANGED, Action.REMOVED]
    assert versions[-1].text_en == "The new register removed 12 services"
    with pytest.raises(HistoryIsImmutable):
        versions[0].save()
    with pytest.raises(HistoryIsImmutable):
        ReportNoteVersion.objects.filter(note_id=note_id).delete()
    world.digital_office.delete()  # the history outlives its writers too
    assert [v.who_id for v in history(note_id)] == [None, None, world.superuser.pk]


# --- reading -------------------------------------------------------------------------


def test_notes_for_gives_the_regions_notes_in_the_window_numbered_by_date_in_one_query(world):
    target = ProgressTarget.objects.create(
        region=world.zhambyl,
        department=world.education,
        share=100,
        deadline=date(2025, 12, 31),
        set_on=date(2025, 1, 1),
    )
    world.agriculture.short_name_ru = "УСХ"
    world.agriculture.save()
    by = world.digital_office
    later = note(world.zhambyl, date(2025, 3, 10), by=by, department=world.agriculture)
    earlier = note(world.zhambyl, date(2025, 2, 1), by=by, target=target, text_kk="Мақсат")
    note(world.zhambyl, date(2025, 1, 31), by=by)  # before the window
    note(world.zhambyl, date(2025, 3, 11), by=by)  # after it
    note(world.almaty_region, date(2025, 2, 15), by=world.superuser)  # another region
    with CaptureQueriesContext(connection) as queries:
        found = notes_for(world.zhambyl, since=date(2025, 2, 1), until=date(2025, 3, 10))
    assert len(queries) == 1
    assert [(n["number"], n["id"], n["on"]) for n in found] == [
        (1, earlier.pk, "2025-02-01"),
        (2, later.pk, "2025-03-10"),
    ]
    first, second = found
    # a note on a target names the target's department
    assert (first["target_id"], first["department_id"]) == (target.pk, world.education.pk)
    assert (first["short_name_kk"], first["text_kk"], first["text_en"]) == (
        "Білім басқармасы",
        "Мақсат",
        "",
    )
    assert (second["department_id"], second["target_id"]) == (world.agriculture.pk, None)
    assert (second["short_name_ru"], second["short_name_en"]) == ("УСХ", "Agriculture Department")


def test_notes_for_without_a_start_reads_from_the_first_note(world):
    note(world.zhambyl, date(2020, 1, 1), by=world.digital_office)
    note(world.zhambyl, date(2025, 1, 1), by=world.digital_office)
    [found] = notes_for(world.zhambyl, until=date(2024, 12, 31))
    assert (found["on"], found["number"], found["department_id"]) == ("2020-01-01", 1, None)
    assert found["short_name_ru"] == ""


def test_note_text_reads_the_readers_language_and_falls_back():
    every = {"text_kk": "Қазақша", "text_ru": "По-русски", "text_en": "In English"}
    russian_only = {"text_kk": "", "text_ru": "По-русски", "text_en": ""}
    english_only = {"text_kk": "", "text_ru": "", "text_en": "In English"}
    with translation.override("kk"):
        assert note_text(every) == "Қазақша"
        assert note_text(russian_only) == "По-русски"
        assert note_text(english_only) == "In English"
    with translation.override("ru"):
        assert note_text(every) == "По-русски"
        assert note_text({**every, "text_ru": ""}) == "Қазақша"
        assert note_text(english_only) == "In English"


# --- on the charts -------------------------------------------------------------------

POINTS = [(date(2025, 1, 1), 0.25), (date(2025, 3, 1), 0.5)]
# trend_chart(POINTS) in English as it was drawn before notes existed.
WITHOUT_NOTES = (
    '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 640 200" '
    'width="640" height="200" font-family="DejaVu Sans, sans-serif" font-size="11">'
    '<line x1="40" x2="620" y1="170.0" y2="170.0" stroke="#9ca3af" stroke-dasharray="3 3"/>'
    '<text x="36" y="174.0" text-anchor="end">0%</text>'
    '<line x1="40" x2="620" y1="90.0" y2="90.0" stroke="#9ca3af" stroke-dasharray="3 3"/>'
    '<text x="36" y="94.0" text-anchor="end">50%</text>'
    '<line x1="40" x2="620" y1="10.0" y2="10.0" stroke="#9ca3af" stroke-dasharray="3 3"/>'
    '<text x="36" y="14.0" text-anchor="end">100%</text>'
    '<polyline points="40.0,130.0 620.0,90.0" fill="none" stroke="#7c3aed" stroke-width="2"/>'
    '<circle cx="40.0" cy="130.0" r="3" fill="#7c3aed"/>'
    '<circle cx="620.0" cy="90.0" r="3" fill="#7c3aed"/>'
    '<text x="40.0" y="192" text-anchor="start">01/01/2025</text>'
    '<text x="620.0" y="192" text-anchor="end">03/01/2025</text></svg>'
)


def test_the_trend_chart_draws_a_numbered_marker_per_note_within_its_dates():
    notes = [
        (date(2025, 1, 31), "1"),  # halfway along the 59 days: x = 40 + 30/59 * 580
        (date(2025, 3, 1), "2"),  # on the last day: within
        (date(2024, 12, 31), "0"),  # before the first day: ignored
        (date(2025, 3, 2), "3"),  # after the last: ignored
    ]
    with translation.override("en"):
        chart = trend_chart(POINTS, notes=notes)
    assert chart.count('<g class="note">') == 2
    assert '<title>1 · 01/31/2025</title><line x1="334.9" x2="334.9"' in chart
    assert 'stroke-dasharray="2 3"' in chart
    assert '<circle cx="334.9" cy="10.0" r="7"' in chart
    assert 'text-anchor="middle" font-size="9">1</text>' in chart
    assert "<title>2 · 03/01/2025</title>" in chart
    assert ">0</text>" not in chart and ">3</text>" not in chart


def test_the_trend_chart_reaches_the_plans_dates_with_its_notes():
    plan = ((date(2025, 1, 1), 0.2), (date(2025, 6, 1), 1.0))
    with translation.override("en"):
        chart = trend_chart(POINTS, plan=plan, notes=[(date(2025, 5, 1), "1")])
    assert chart.count('<g class="note">') == 1


def test_the_trend_chart_without_notes_is_drawn_as_before():
    plan = ((date(2025, 1, 1), 0.2), (date(2025, 6, 1), 1.0))
    with translation.override("en"):
        assert trend_chart(POINTS) == WITHOUT_NOTES
        assert trend_chart(POINTS, notes=[]) == WITHOUT_NOTES
        assert trend_chart(POINTS, notes=None) == WITHOUT_NOTES
        assert trend_chart(POINTS, plan=plan, notes=[]) == trend_chart(POINTS, plan=plan)
        assert trend_chart(POINTS[:1], notes=[(date(2025, 1, 1), "1")]) == ""


def test_a_note_label_is_escaped_on_the_chart():
    with translation.override("en"):
        chart = trend_chart(POINTS, notes=[(date(2025, 2, 1), "<b>")])
    assert "<b>" not in chart and "&lt;b&gt;" in chart


def test_notes_for_numbers_are_the_chart_labels(world):
    today = timezone.localdate()
    note(world.zhambyl, today - timedelta(days=5), by=world.digital_office)
    found = notes_for(world.zhambyl, until=today)
    points = [(today - timedelta(days=10), 0.1), (today, 0.3)]
    chart = trend_chart(
        points, notes=[(date.fromisoformat(n["on"]), str(n["number"])) for n in found]
    )
    assert chart.count('<g class="note">') == 1 and ">1</text></g>" in chart
