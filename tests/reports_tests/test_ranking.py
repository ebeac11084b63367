"""The national ranking: arithmetic a governor can redo, a method the national level sets,
and snapshots frozen once built."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from regions.models import Region
from reports.build import build_region_report
from reports.models import NationalSnapshot, RankingIndicator
from reports.national_build import build_national_snapshot, run_national_build
from reports.ranking import points, ranked
from services import actions
from services.models import Status, Usage
from tests.conftest import add_reported_regions

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def method(**weights):
    """Only the indicators named, with these weights (floor 0, goal 100% unless given)."""
    RankingIndicator.objects.all().delete()
    for key, weight in weights.items():
        weight, floor, goal = weight if isinstance(weight, tuple) else (weight, 0, 100)
        RankingIndicator.objects.create(key=key, weight=weight, floor=floor, goal=goal)


@pytest.fixture
def two_regions(world):
    """Zhambyl: 1 of 3 services electronic and verified, no usage data. Almaty: its one
    service on paper, but 90 of its 100 deliveries last month online."""
    actions.set_status(
        world.first_grade,
        status=Status.ELECTRONIC,
        by=world.head_of_education,
        evidence_url="https://egov.kz/first-grade",
    )
    actions.verify_claim(world.first_grade.status_changes.latest(), by=world.digital_office)
    month = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
    Usage.objects.create(service=world.almaty_kindergarten, month=month, channel="egov", count=90)
    Usage.objects.create(service=world.almaty_kindergarten, month=month, channel="psc", count=10)
    build_region_report(world.zhambyl, as_of=today())
    build_region_report(world.almaty_region, as_of=today())


def regions_of(snapshot):
    return {row["code"]: row for row in snapshot.content["regions"]}


def test_points_grow_in_proportion_between_floor_and_goal():
    assert [points(v, 0.2, 0.7) for v in (None, 0.1, 0.2, 0.45, 0.7, 0.9)] == [
        0.0,
        0.0,
        0.0,
        50.0,
        100.0,
        100.0,
    ]


def test_equal_scores_share_a_rank_and_the_next_one_skips():
    rows = ranked(
        [{"code": c, "score": s} for c, s in [("A", 50), ("B", 70), ("C", 50), ("D", 10)]]
    )
    assert [(row["code"], row["rank"]) for row in rows] == [("B", 1), ("A", 2), ("C", 2), ("D", 4)]


def test_a_hand_computed_ranking(world, two_regions):
    # share verified: Zhambyl 1/3 = 0.3333 -> 33.3 points; Almaty 0 -> 0.
    # take-up, 100 points at 80%: Zhambyl no data -> 0; Almaty 0.9 -> 100.
    method(share_verified=3, take_up=(1, 0, 80))
    snapshot = build_national_snapshot(as_of=today())
    rows = regions_of(snapshot)
    assert rows["KZ-31"]["values"] == {"share_verified": 0.3333, "take_up": None}
    assert rows["KZ-31"]["points"] == {"share_verified": 33.3, "take_up": 0.0}
    assert rows["KZ-19"]["points"] == {"share_verified": 0.0, "take_up": 100.0}
    assert rows["KZ-31"]["score"] == 25.0  # (33.3 × 3 + 0 × 1) / 4 = 24.975
    assert rows["KZ-19"]["score"] == 25.0  # (0 × 3 + 100 × 1) / 4
    assert rows["KZ-31"]["rank"] == rows["KZ-19"]["rank"] == 1
    assert snapshot.content["method"] == [
        {"key": "share_verified", "weight": 3, "floor": 0.0, "goal": 1.0},
        {"key": "take_up", "weight": 1, "floor": 0.0, "goal": 0.8},
    ]


def test_changing_the_weights_changes_the_ranks(world, two_regions):
    method(share_verified=4, take_up=(1, 0, 80))
    earlier = build_national_snapshot(as_of=today())
    # Last week's meeting, as far as the next ranking can tell.
    NationalSnapshot.objects.filter(pk=earlier.pk).update(as_of=today() - timedelta(days=7))
    first = regions_of(earlier)
    assert (first["KZ-31"]["rank"], first["KZ-19"]["rank"]) == (1, 2)  # 26.6 against 20.0
    method(share_verified=1, take_up=(3, 0, 80))
    second = regions_of(build_national_snapshot(as_of=today()))
    assert (second["KZ-31"]["rank"], second["KZ-19"]["rank"]) == (2, 1)  # 8.3 against 75.0
    assert (second["KZ-31"]["rank_change"], second["KZ-19"]["rank_change"]) == (-1, 1)


def test_a_region_without_a_report_scores_nothing_and_is_ranked_last(world, two_regions):
    method(share_verified=1)
    Region.objects.create(code="KZ-99", kind=Region.Kind.OBLAST, name_ru="Тестовая область")
    rows = build_national_snapshot(as_of=today()).content["regions"]
    assert rows[-1]["code"] == "KZ-99" and rows[-1]["report"] is None
    assert rows[-1]["score"] == 0.0 and rows[-1]["values"] == {"share_verified": None}


def test_a_ranking_reads_the_reports_of_its_date_not_later_ones(world, two_regions):
    method(share_verified=1)
    earlier = build_national_snapshot(as_of=today() - timedelta(days=3))
    assert all(row["report"] is None for row in earlier.content["regions"])


def test_a_ranking_reads_each_regions_latest_finished_build(world, two_regions):
    method(share_verified=1)
    zhambyl = world.zhambyl.report_snapshots.get(state="done")
    newer = build_region_report(world.zhambyl, as_of=today())  # the same date, built later
    broken = build_region_report(world.zhambyl, as_of=today())
    type(broken).objects.filter(pk=broken.pk).update(state="failed")  # newest, but failed
    build_region_report(world.zhambyl, as_of=today() - timedelta(days=7))  # an older date
    rows = regions_of(build_national_snapshot(as_of=today()))
    assert rows["KZ-31"]["report"] == {"id": newer.pk, "as_of": today().isoformat()}
    assert newer.pk != zhambyl.pk


def test_a_finished_ranking_is_never_rewritten_and_a_rebuild_holds_the_same(world, two_regions):
    method(share_verified=2, take_up=(1, 0, 80))
    snapshot = build_national_snapshot(as_of=today())
    frozen = snapshot.content
    method(take_up=1)  # the method changes afterwards...
    assert run_national_build(snapshot).content == frozen  # ...a done one is left alone
    snapshot.refresh_from_db()
    assert snapshot.content == frozen
    method(share_verified=2, take_up=(1, 0, 80))
    again = build_national_snapshot(as_of=today())
    assert again.content["regions"] == frozen["regions"]  # same inputs, same ranking
    assert again.previous_id is None  # the same date is not "the previous meeting"


def test_a_ranking_costs_the_same_queries_for_2_or_20_regions(world, two_regions):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            build_national_snapshot(as_of=today())
        return len(captured)

    with_two = queries()
    add_reported_regions(18, by=world.superuser)
    assert queries() == with_two


def test_a_failed_build_says_why_and_is_built_again(world, two_regions, monkeypatch):
    from reports import ranking

    def broken(*args, **kwargs):
        raise ValueError("the method is broken")

    monkeypatch.setattr(ranking, "compute_ranking", broken)
    snapshot = NationalSnapshot.objects.create(as_of=today())
    with pytest.raises(ValueError):
        run_national_build(snapshot)
    assert snapshot.state == "failed" and "the method is broken" in snapshot.error
    monkeypatch.undo()
    assert run_national_build(snapshot).state == "done"


# --- the pages --------------------------------------------------------------------------------


def page(name, *args):
    from django.urls import reverse

    return reverse(f"reports:{name}", args=args)


def test_the_ranking_page_shows_the_method_and_every_regions_breakdown(client, world, two_regions):
    method(share_verified=3, take_up=(1, 0, 80))
    snapshot = build_national_snapshot(as_of=today())
    client.force_login(world.national_analyst)
    response = client.get(page("ranking"), headers={"accept-language": "ru"})
    html = response.content.decode()
    assert response.context["snapshot"] == snapshot
    assert [item["part"] for item in response.context["method"]] == [0.75, 0.25]
    assert "75,0%" in html and "80,0%" in html  # a weight's share, take-up's 100-point value
    assert "33,3% · 33,3" in html  # Zhambyl's share verified: its value and its points
    assert "нет данных" in html  # Zhambyl has no usage data


def test_the_ranking_downloads_as_pdf_and_xlsx(client, world, two_regions):
    import io

    import openpyxl
    from pypdf import PdfReader

    method(share_verified=3, take_up=(1, 0, 80))
    snapshot = build_national_snapshot(as_of=today())
    client.force_login(world.national_analyst)
    pdf = client.get(page("ranking_pdf", snapshot.pk), headers={"accept-language": "kk"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Жамбыл облысы" in text and "25,0" in text
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(page("ranking_xlsx", snapshot.pk)).content)
    )
    ranking_sheet, method_sheet = workbook.worksheets
    assert [c.value for c in ranking_sheet[2]][:4] in (
        [1, None, "Алматы облысы", 25.0],
        [1, None, "Жамбыл облысы", 25.0],
    )
    assert [c.value for c in method_sheet[2]][1:] == [3, 0.75, 0, 1]


def test_building_the_ranking_from_the_page_queues_it_and_shows_its_progress(
    client, world, two_regions, django_capture_on_commit_callbacks
):
    client.force_login(world.national_analyst)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(page("ranking_build"))
    snapshot = NationalSnapshot.objects.get()
    assert response["Location"] == page("ranking_one", snapshot.pk)
    assert len(callbacks) == 1 and snapshot.state == "queued"
    progress = client.get(page("ranking_progress", snapshot.pk)).json()
    assert progress["state"] == "queued"
    run_national_build(snapshot)
    assert client.get(page("ranking_progress", snapshot.pk)).json()["progress"] == 100


@pytest.mark.parametrize("actor", ["governor", "digital_office", "head_of_education"])
def test_only_the_national_level_opens_or_builds_the_ranking(client, world, two_regions, actor):
    snapshot = build_national_snapshot(as_of=today())
    client.force_login(getattr(world, actor))
    for name, args in [
        ("ranking", ()),
        ("ranking_one", (snapshot.pk,)),
        ("ranking_pdf", (snapshot.pk,)),
        ("ranking_xlsx", (snapshot.pk,)),
    ]:
        assert client.get(page(name, *args)).status_code == 404
    assert client.post(page("ranking_build")).status_code == 404
    assert NationalSnapshot.objects.count() == 1


def test_the_national_level_sets_the_method_in_the_admin_and_nobody_else(client, world):
    from django.urls import reverse

    method(share_verified=40)  # (the first method's rows may be gone after a flush)
    indicator = RankingIndicator.objects.get(key="share_verified")
    url = reverse("admin:reports_rankingindicator_change", args=[indicator.pk])
    data = {"key": "share_verified", "weight": 55, "floor": "10", "goal": "90"}
    for outsider in (world.governor, world.digital_office, world.head_of_education):
        client.force_login(outsider)
        assert client.post(url, data).status_code == 403
    indicator.refresh_from_db()
    assert indicator.weight == 40  # untouched
    client.force_login(world.national_analyst)
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.weight, indicator.floor, indicator.goal) == (55, 10, 90)
    # A 100-point value at or below the 0-point one is refused, in words.
    refused = client.post(url, data | {"floor": "90", "goal": "90"})
    assert refused.status_code == 200 and refused.context["adminform"].form.errors


def test_a_worker_builds_the_ranking_asked_for_on_the_page(
    celery_worker, transactional_db, world, client
):
    from django.db import transaction

    from tests.conftest import wait_for

    build_region_report(world.zhambyl, as_of=today())
    client.force_login(world.national_analyst)
    with transaction.atomic():
        client.post(page("ranking_build"))
    snapshot = NationalSnapshot.objects.get()

    def done():
        snapshot.refresh_from_db()
        return snapshot.state == "done"

    wait_for(done, seconds=60)
    assert {row["code"] for row in snapshot.content["regions"]} == {"KZ-19", "KZ-31"}


def test_a_database_without_a_method_gets_the_first_one_and_one_with_a_method_keeps_it():
    from reports.ranking import FIRST_METHOD, ensure_a_method

    method(take_up=7)
    ensure_a_method()
    assert list(RankingIndicator.objects.values_list("key", "weight")) == [("take_up", 7)]
    RankingIndicator.objects.all().delete()
    ensure_a_method()
    assert RankingIndicator.objects.count() == len(FIRST_METHOD)


def test_the_first_methods_weights_add_up_to_100_and_favour_verified_services():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("reports.migrations.0006_national_ranking")
    RankingIndicator.objects.all().delete()
    migration.first_method(apps, None)
    weights = dict(RankingIndicator.objects.values_list("key", "weight"))
    assert sum(weights.values()) == 100
    assert max(weights, key=weights.get) == "share_verified"
