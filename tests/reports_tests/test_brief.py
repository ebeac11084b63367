"""The governor's brief: verified first, changes read by their meaning, forecasts from the
report history, the digital office's notes, and each department's part."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from reports.build import build_region_report
from reports.models import DepartmentFigures, ProgressTarget, ReportNote, ReportSnapshot
from reports.notes import save_note
from reports.templatetags.report_tags import change, outlook
from services import actions
from services.models import Status

pytestmark = pytest.mark.django_db
ENGLISH = {"accept-language": "en"}


def today():
    return timezone.localdate()


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


# --- meaning, not sign ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "figure", "meaning", "arrow"),
    [
        (8, "overdue", "worse", "▲"),  # more overdue targets: worse, though up
        (-3, "paper", "better", "▼"),  # fewer on paper: better, though down
        (-1, "verified", "worse", "▼"),
        (2, "verified", "better", "▲"),
        (5, "total", "neutral", "▲"),  # a bigger register is news, not progress
        (-3, "partial", "neutral", "▼"),
        (-4, "villages_without_internet", "better", "▼"),  # fewer villages cut off
        (3, "villages_without_internet", "worse", "▲"),
        (5.5, "digital_literacy", "better", "▲"),
    ],
)
def test_a_change_is_coloured_and_worded_by_what_it_means(value, figure, meaning, arrow):
    html = change(value, figure)
    assert f'class="change {meaning}"' in html and arrow in html
    with translation.override("ru"):
        worded = change(value, figure)
    if meaning == "better":
        assert "лучше" in worded
    elif meaning == "worse":
        assert "хуже" in worded
    else:
        assert "лучше" not in worded and "хуже" not in worded


def test_no_change_says_so_and_a_first_report_shows_none():
    with translation.override("kk"):
        assert "өзгеріс жоқ" in change(0, "paper")
    assert change(0, "paper", quiet=True) == '<span class="change flat">0</span>'
    assert change("", "paper") == ""  # nothing to compare with


def test_points_of_a_share_are_worded_too():
    with translation.override("en"):
        assert '▲ +2.5 pp <span class="word">better' in change(0.025, "share_verified", points=True)
    assert change(0.00001, "share_verified", points=True, quiet=True) == ""


def test_the_brief_lists_overdue_targets_then_those_at_risk_by_deadline_then_the_rest():
    from reports.brief import targets_at_risk_first

    targets = [
        {"id": 1, "state": "met", "deadline": "2027-01-01"},
        {"id": 2, "state": "at_risk", "deadline": "2027-03-01"},
        {"id": 3, "state": "overdue", "deadline": "2026-10-01"},
        {"id": 4, "state": "on_track", "deadline": "2026-12-31"},
        {"id": 5, "state": "at_risk", "deadline": "2027-02-01"},
    ]
    assert [t["id"] for t in targets_at_risk_first(targets)] == [3, 5, 2, 1, 4]


# --- verified first ---------------------------------------------------------------------------


def test_a_claim_is_shown_beside_the_verified_figures_never_in_them(client, world):
    # First grade: its head's claim, not yet reviewed. The digital office's own move needs none.
    actions.set_status(world.seed_subsidy, status=Status.ELECTRONIC, by=world.digital_office)
    snapshot = build_region_report(world.zhambyl, as_of=today())
    summary = snapshot.content["summary"]
    assert (summary["digital"], summary["verified"], summary["awaiting_verification"]) == (2, 1, 1)
    assert summary["share_verified"] == 0.3333 and summary["share_digital"] == 0.6667
    assert snapshot.share_verified == 0.3333  # the headline column the national page reads
    education, agriculture = (
        next(row for row in snapshot.content["departments"] if row["code"] == code)
        for code in ("EDU", "AGR")
    )
    assert (education["verified"], education["share_verified"]) == (0, 0.0)
    assert agriculture["rank"] > education["rank"]  # ranked by the verified share
    client.force_login(world.governor)
    page = client.get(url("snapshot", snapshot.pk), headers=ENGLISH).content.decode()
    assert "+1 awaiting verification" in page
    assert "33.3%" in page  # the verified share leads; 66.7% only "with them"
    assert "(66.7% with them)" in page


def test_the_xlsx_reads_verified_first_too(client, world):
    import io

    import openpyxl

    snapshot = build_region_report(world.zhambyl, as_of=today())  # first grade: a claim
    client.force_login(world.governor)
    response = client.get(url("xlsx", snapshot.pk), headers=ENGLISH)
    summary, departments = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[:2]
    figures = {row[0]: row[1] for row in summary.iter_rows(min_row=6, values_only=True)}
    assert figures["Electronic, verified"] == 0 and figures["Share electronic, verified"] == 0
    assert figures["Electronic, awaiting verification"] == 1
    header = [cell.value for cell in departments[1]]
    education = next(
        row for row in departments.iter_rows(min_row=2, values_only=True) if "Education" in row[1]
    )
    assert education[header.index("Electronic, verified")] == 0
    assert education[header.index("Electronic, awaiting verification")] == 1


def test_readiness_shows_its_change_since_the_last_report_by_its_meaning(client, world):
    from regions.models import Readiness

    Readiness.objects.create(
        region=world.zhambyl,
        period=today() - timedelta(days=400),
        villages_without_internet=30,
        villages_without_internet_target=0,
    )
    build_region_report(world.zhambyl, as_of=today() - timedelta(days=30))
    Readiness.objects.create(
        region=world.zhambyl,
        period=today() - timedelta(days=20),
        villages_without_internet=26,
        villages_without_internet_target=0,
    )
    snapshot = build_region_report(world.zhambyl, as_of=today())
    villages = snapshot.content["readiness"]["indicators"][0]
    assert (villages["key"], villages["value"], villages["change"]) == (
        "villages_without_internet",
        26,
        -4,
    )
    client.force_login(world.governor)
    page = client.get(url("snapshot", snapshot.pk), headers=ENGLISH).content.decode()
    assert '<span class="change better">▼ −4 <span class="word">better</span>' in page


# --- forecasts --------------------------------------------------------------------------------


def earlier_report(world, days_ago, share, *, department_share=None):
    """A finished report of an earlier day with the given verified share (the headline
    columns a forecast reads; the content is not read)."""
    snapshot = ReportSnapshot.objects.create(
        region=world.zhambyl,
        as_of=today() - timedelta(days=days_ago),
        state=ReportSnapshot.State.DONE,
        finished_at=timezone.now() - timedelta(days=days_ago),
        share_verified=share,
        content={},
    )
    if department_share is not None:
        DepartmentFigures.objects.create(
            snapshot=snapshot,
            department=world.education,
            total=2,
            digital=1,
            awaiting=0,
            share_verified=department_share,
            rank=1,
        )
    return snapshot


def test_a_targets_forecast_against_a_hand_computed_series(world):
    # Reports 20 and 10 days ago at 10% and 20%; today 1 of 3 verified: 33.33%.
    # Least squares over x = 0, 10, 20: slope 2.3333 / 200 = 0.011667 a day (0.35 a month),
    # the line at today 0.09444 + 20 × 0.011667 = 0.3278; the 67.2 points left take
    # 57.6 days, rounded up: today + 58. se = sqrt(0.000185 / 1 / 200) = 0.00096, so
    # the fast pace (0.01263) reaches it in 54 days, the slow one (0.01070) in 63.
    actions.verify_claim(world.first_grade.status_changes.latest(), by=world.digital_office)
    earlier_report(world, 20, 0.10)
    earlier_report(world, 10, 0.20)
    ProgressTarget.objects.create(
        region=world.zhambyl,
        share=100,
        deadline=today() + timedelta(days=30),
        set_on=today() - timedelta(days=60),
    )
    content = build_region_report(world.zhambyl, as_of=today()).content
    [target] = content["targets"]
    forecast = target["forecast"]
    assert forecast["reaches_on"] == (today() + timedelta(days=58)).isoformat()
    assert forecast["earliest"] == (today() + timedelta(days=54)).isoformat()
    assert forecast["latest"] == (today() + timedelta(days=63)).isoformat()
    assert forecast["days_late"] == 28
    assert forecast["pace_per_30_days"] == pytest.approx(0.35, abs=0.0002)
    # the deadline asks for the 66.67 points left in 30 days: 2.2% a day, 66.7 pp a month
    assert forecast["needed_pace_per_30_days"] == pytest.approx(0.6667, abs=0.0001)
    assert content["summary"]["forecast"]["reaches_on"] == forecast["reaches_on"]  # goal 100%
    with translation.override("en"):
        said = outlook(forecast)
    assert said.startswith("at this pace on ") and "28 days after the deadline" in said
    assert "the deadline needs +66.7 pp a month" in said


def test_a_departments_target_is_forecast_from_its_own_history(world):
    # Education: 0%, 25% then 50% (1 of 2, verified) at 10-day steps: 2.5 points a day,
    # a straight line (no range): 90% in 16 days, the deadline's 20 days away.
    actions.verify_claim(world.first_grade.status_changes.latest(), by=world.digital_office)
    earlier_report(world, 20, 0.0, department_share=0.0)
    earlier_report(world, 10, 0.1, department_share=0.25)
    ProgressTarget.objects.create(
        region=world.zhambyl,
        department=world.education,
        share=90,
        deadline=today() + timedelta(days=20),
        set_on=today() - timedelta(days=30),
    )
    [target] = build_region_report(world.zhambyl, as_of=today()).content["targets"]
    forecast = target["forecast"]
    assert forecast["reaches_on"] == forecast["earliest"] == forecast["latest"]
    assert forecast["reaches_on"] == (today() + timedelta(days=16)).isoformat()
    assert forecast["days_late"] == -4  # four days early


def test_two_reports_are_not_enough_for_a_forecast(world):
    earlier_report(world, 10, 0.20)
    ProgressTarget.objects.create(
        region=world.zhambyl, share=100, deadline=today() + timedelta(days=30), set_on=today()
    )
    content = build_region_report(world.zhambyl, as_of=today()).content
    assert content["targets"][0]["forecast"] is None
    assert content["summary"]["forecast"] is None
    with translation.override("en"):
        assert outlook(None) == "not enough reports yet for a forecast"


# --- notes ------------------------------------------------------------------------------------


def test_a_note_is_numbered_on_the_chart_and_listed_in_the_brief_and_the_pdf(client, world):
    from pypdf import PdfReader

    earlier_report(world, 20, 0.10)
    earlier_report(world, 10, 0.20)
    save_note(
        ReportNote(
            region=world.zhambyl,
            on=today() - timedelta(days=5),
            text_ru="Новый реестр исключил 12 услуг",
            text_kk="Жаңа тізілім 12 қызметті алып тастады",
        ),
        by=world.digital_office,
    )
    snapshot = build_region_report(world.zhambyl, as_of=today())
    client.force_login(world.governor)
    page = client.get(url("snapshot", snapshot.pk), headers={"accept-language": "kk"})
    html = page.content.decode()
    assert '<ul class="notes">' in html and "Жаңа тізілім 12 қызметті алып тастады" in html
    assert "<title>1 · " in html  # the marker on the share's chart
    pdf = client.get(url("pdf", snapshot.pk), headers={"accept-language": "ru"}).content
    import io

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Новый реестр исключил 12 услуг" in " ".join(text.split())


def test_a_note_in_another_language_is_marked_as_such(client, world):
    save_note(
        ReportNote(region=world.zhambyl, on=today(), text_ru="Реестр пересмотрен"),
        by=world.digital_office,
    )
    snapshot = build_region_report(world.zhambyl, as_of=today())
    client.force_login(world.governor)
    kazakh = client.get(url("snapshot", snapshot.pk), headers={"accept-language": "kk"})
    with translation.override("kk"):
        marker = translation.gettext("written in Russian")
    assert marker != "written in Russian"
    assert f'Реестр пересмотрен <span class="muted small translation-missing">({marker})' in (
        kazakh.content.decode()
    )
    russian = client.get(url("snapshot", snapshot.pk), headers={"accept-language": "ru"})
    assert "translation-missing" not in russian.content.decode()


# --- drill-down -------------------------------------------------------------------------------


def test_a_department_row_opens_its_part_of_the_report(client, world):
    actions.set_status(
        world.kindergarten, status=Status.PARTIAL, by=world.digital_office, comment="x"
    )
    snapshot = build_region_report(world.zhambyl, as_of=today())
    client.force_login(world.governor)
    report = client.get(url("snapshot", snapshot.pk), headers=ENGLISH).content.decode()
    link = url("department", snapshot.pk, world.education.pk)
    assert f'href="{link}"' in report
    page = client.get(link, headers=ENGLISH)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Постановка на очередь в детский сад" in html  # not yet electronic
    assert "Зачисление в 1 класс" in html  # electronic, awaiting verification
    assert "awaiting verification" in html
    assert "Субсидирование семян" not in html  # agriculture's, not education's


def test_the_drill_down_keeps_to_who_may_see_the_report(client, world):
    snapshot = build_region_report(world.zhambyl, as_of=today())
    link = url("department", snapshot.pk, world.education.pk)
    client.force_login(world.outsider)
    assert client.get(link).status_code == 404
    client.force_login(world.head_in_almaty)
    assert client.get(link).status_code == 404
    client.force_login(world.governor)
    assert client.get(url("department", snapshot.pk, world.almaty_education.pk)).status_code == 404
    queued = ReportSnapshot.objects.create(region=world.zhambyl, as_of=today())
    assert client.get(url("department", queued.pk, world.education.pk)).status_code == 404
