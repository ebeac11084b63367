"""Levels and life events in a region's report, against hand-counted cases: verified
first, as of the report's moment, frozen with the criteria they were counted by."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from reports.build import build_region_report
from reports.models import ReportSnapshot
from services import actions, criteria_writes
from services.models import Answer, Criterion, LifeEvent

pytestmark = pytest.mark.django_db

PROOF = "https://egov.kz/cms/ru/services/school"


def first_level():
    return dict.fromkeys(Criterion.objects.filter(level=1).values_list("code", flat=True), "yes")


@pytest.fixture
def answered(world):
    """First grade: electronic (its claim accepted), level 1, still needs a visit.
    Kindergarten: on paper, its head claims level 1 (awaiting). Seed subsidy: no answers.
    School: first grade and kindergarten; birth: kindergarten."""
    actions.verify_claim(
        world.first_grade.status_changes.latest("changed_at", "pk"), by=world.digital_office
    )
    world.before_answers = timezone.now()
    criteria_writes.answer_criteria(
        world.first_grade,
        answers=first_level() | {"no_visit": Answer.NO},
        by=world.digital_office,
    )
    criteria_writes.answer_criteria(
        world.kindergarten, answers=first_level(), by=world.head_of_education, evidence_url=PROOF
    )
    school, birth = LifeEvent.objects.get(code="school"), LifeEvent.objects.get(code="birth")
    criteria_writes.set_life_events(world.first_grade, events=[school], by=world.digital_office)
    criteria_writes.set_life_events(
        world.kindergarten, events=[school, birth], by=world.digital_office
    )
    return world


def test_the_report_counts_levels_verified_and_claimed(answered):
    content = build_region_report(answered.zhambyl, as_of=timezone.localdate()).content
    summary = content["summary"]
    assert summary["levels"] == [2, 1, 0, 0, 0]
    assert summary["levels_claimed"] == [1, 2, 0, 0, 0]
    assert summary["electronic_needing_visit"] == 1
    rows = {row["code"]: row for row in content["departments"]}
    assert rows[answered.education.code]["levels"] == [1, 1, 0, 0, 0]
    assert rows[answered.agriculture.code]["levels"] == [1, 0, 0, 0, 0]


def test_electronic_services_at_level_one_or_below_are_the_next_work(answered):
    content = build_region_report(answered.zhambyl, as_of=timezone.localdate()).content
    [work] = content["next_work"]
    assert work["service_id"] == answered.first_grade.pk
    assert (work["level"], work["needs_visit"]) == (1, True)
    assert work["department_short_name_ru"] == answered.education.short_name_ru


def test_life_events_are_rolled_up(answered):
    content = build_region_report(answered.zhambyl, as_of=timezone.localdate()).content
    events = {event["code"]: event for event in content["life_events"]}
    assert set(events) == {"school", "birth"}  # events without a service are left out
    school = events["school"]
    assert (school["services"], school["verified"], school["electronic_needing_visit"]) == (
        2,
        1,
        1,
    )
    assert school["levels"] == [1, 1, 0, 0, 0]
    assert (events["birth"]["services"], events["birth"]["verified"]) == (1, 0)
    assert events["birth"]["name_ru"] == "Рождение или усыновление ребёнка"


def test_a_report_of_an_earlier_moment_reads_the_answers_of_that_moment(answered):
    content = build_region_report(
        answered.zhambyl, as_of=timezone.localdate(), cutoff=answered.before_answers
    ).content
    assert content["summary"]["levels"] == [3, 0, 0, 0, 0]
    assert content["next_work"] == [
        {**content["next_work"][0], "level": 0}
    ]  # electronic then too, its criteria not yet answered


def test_the_report_keeps_the_criteria_it_counted_by(answered):
    snapshot = build_region_report(answered.zhambyl, as_of=timezone.localdate())
    Criterion.objects.filter(level=1).update(level=2)  # the method changes afterwards
    criteria = {row["code"]: row["level"] for row in snapshot.content["criteria"]}
    assert criteria["info_online"] == 1
    assert snapshot.content["summary"]["levels"] == [2, 1, 0, 0, 0]


@pytest.mark.parametrize(
    ("language", "heading", "event"),
    [
        ("ru", "Насколько электронны услуги: по уровням, проверено", "Детский сад и школа"),
        (
            "kk",
            "Қызметтер қаншалықты электрондық: деңгейлер бойынша, тексерілген",
            "Балабақша және мектеп",
        ),
    ],
)
def test_the_report_page_shows_levels_and_life_events(client, answered, language, heading, event):
    snapshot = build_region_report(answered.zhambyl, as_of=timezone.localdate())
    client.force_login(answered.governor)
    page = client.get(
        reverse("reports:snapshot", args=[snapshot.pk]), headers={"accept-language": language}
    ).content.decode()
    assert heading in page and event in page
    assert 'class="next-work' in page


@pytest.mark.parametrize(
    ("language", "sheets", "event"),
    [
        ("ru", ["Уровни", "По жизненным ситуациям", "Следующая работа"], "Детский сад и школа"),
        ("kk", ["Деңгейлер", "Өмірлік жағдайлар бойынша", "Келесі жұмыс"], "Балабақша және мектеп"),
    ],
)
def test_the_report_workbook_has_the_levels_life_events_and_next_work(
    client, answered, language, sheets, event
):
    snapshot = build_region_report(answered.zhambyl, as_of=timezone.localdate())
    client.force_login(answered.governor)
    response = client.get(
        reverse("reports:xlsx", args=[snapshot.pk]), headers={"accept-language": language}
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[-3:] == sheets
    levels, events, work = (book[name] for name in sheets)
    rows = list(levels.iter_rows(values_only=True))
    region, departments = rows[1], {row[0]: row for row in rows[2:4]}  # the region first
    assert region[1:6] == (2, 1, 0, 0, 0) and region[7] == 1  # one still needs a visit
    assert region[6] == 0  # claimed at level 2 or above
    with translation.override(language):
        education = departments[answered.education.short_name]
    assert education[1:6] == (1, 1, 0, 0, 0)
    by_event = {row[0]: row for row in events.iter_rows(min_row=2, values_only=True)}
    assert by_event[event][1:4] == (2, 1, 1)  # services, electronic, still needing a visit
    [next_work] = list(work.iter_rows(min_row=2, values_only=True))
    assert next_work[1] == answered.first_grade.name


def test_a_report_built_before_levels_has_no_levels_sheets(client, answered):
    snapshot = build_region_report(answered.zhambyl, as_of=timezone.localdate())
    content = snapshot.content
    for key in ("levels", "levels_claimed", "electronic_needing_visit"):
        content["summary"].pop(key)
    content.pop("next_work"), content.pop("life_events")
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(content=content)
    client.force_login(answered.governor)
    response = client.get(reverse("reports:xlsx", args=[snapshot.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 4  # summary, departments, not yet electronic, changes


def test_the_national_page_sums_the_life_events_and_shows_the_levels(client, answered):
    from services.criteria_writes import set_life_events

    build_region_report(answered.zhambyl, as_of=timezone.localdate())
    set_life_events(
        answered.almaty_kindergarten,
        events=LifeEvent.objects.filter(code="school"),
        by=answered.head_in_almaty,
    )
    build_region_report(answered.almaty_region, as_of=timezone.localdate())
    client.force_login(answered.national_analyst)
    response = client.get(reverse("reports:national"), headers={"accept-language": "ru"})
    totals = {total.event.code: total for total in response.context["life_events"]}
    school = totals["school"]  # two of Zhambyl's, one of Almaty's
    assert (school.services, school.verified, school.regions) == (3, 1, 2)
    assert totals["birth"].services == 1
    page = response.content.decode()
    assert "По жизненным ситуациям, по стране" in page and "Детский сад и школа" in page
    assert response.context["totals"].electronic_needing_visit == 1
    [zhambyl] = [row for row in response.context["rows"] if row.region == answered.zhambyl]
    assert zhambyl.share_level_two == 0  # no service at level 2 yet
