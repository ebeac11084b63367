"""The admin list and its exports are filtered by one FilterSet: for every choice in the
list's sidebar and for every search, the exported file holds exactly the rows the list
shows, through the export link the list itself offers."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from services import actions, criteria_writes
from services.filters import ServiceFilter
from services.models import Answer, Criterion, ExportJob, LifeEvent, Service, Sphere, Status
from services.tasks import run_export
from tests.conftest import make_service

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:services_service_changelist")
CERTIFICATE = "70101001"


@pytest.fixture
def varied(world, settings):
    """Services each choice tells apart: targets missed, near, ahead and absent, stale and fresh
    data, claims awaiting verification, a withdrawn one, several spheres, two regions.
    Every service has a register code of its own, so rows are compared by it (names
    repeat across regions)."""
    settings.STALE_AFTER_DAYS = 30
    today = timezone.localdate()
    make_service(
        world.education,
        "Выдача справки об обучении",
        by=world.digital_office,
        name_kk="Оқу туралы анықтама беру",
        sphere=Sphere.EDUCATION,
        target_status=Status.ELECTRONIC,
        target_date=today - timedelta(days=10),  # missed
    )
    make_service(
        world.agriculture,
        "Выдача ветеринарной справки",
        by=world.digital_office,
        name_kk="Ветеринариялық анықтама беру",
        register_code=CERTIFICATE,
        sphere=Sphere.VETERINARY,
        status=Status.PARTIAL,
        target_status=Status.ELECTRONIC,
        target_date=today + timedelta(days=100),  # ahead
    )
    make_service(
        world.almaty_education,
        "Выдача справки об обучении",
        by=world.head_in_almaty,
        sphere=Sphere.EDUCATION,
        status=Status.PROACTIVE,
    )
    make_service(
        world.education,
        "Зачисление в кружки",
        by=world.digital_office,
        sphere=Sphere.EDUCATION,
        target_status=Status.ELECTRONIC,
        target_date=today + timedelta(days=20),  # near: at risk
    )
    Service.objects.filter(pk=world.seed_subsidy.pk).update(
        last_confirmed=today - timedelta(days=45)
    )
    # The head claims the kindergarten queue is electronic: it awaits the digital office.
    actions.set_status(
        world.kindergarten,
        status=Status.ELECTRONIC,
        by=world.head_of_education,
        comment="На портале",
        evidence_url="https://egov.kz/cms/ru/services/kindergarten",
    )
    # Taken out of the register today.
    actions.withdraw_services(
        [world.first_grade], by=world.digital_office, on=today, reason="Упразднена"
    )
    # Levels, a claimed criterion and a life event: the seed subsidy is informed online
    # (verified level 1); the head claims the queue's information is online too (awaiting);
    # the queue serves families with a newborn.
    first_level = dict.fromkeys(
        Criterion.objects.filter(level=1).values_list("code", flat=True), Answer.YES
    )
    criteria_writes.answer_criteria(
        world.seed_subsidy, answers=first_level, by=world.digital_office
    )
    criteria_writes.answer_criteria(
        world.kindergarten,
        answers=first_level,
        by=world.head_of_education,
        evidence_url="https://egov.kz/cms/ru/services/kindergarten",
    )
    criteria_writes.set_life_events(
        world.kindergarten, events=LifeEvent.objects.filter(code="birth"), by=world.digital_office
    )
    for number, service in enumerate(Service.objects.filter(register_code="").order_by("pk")):
        Service.objects.filter(pk=service.pk).update(register_code=f"{10000001 + number}")
    return world


def shown_and_exported(client, query: str, *, kind: str = "csv") -> tuple[set, set]:
    """The register codes the list shows at ``?query``, and those its export link writes."""
    response = client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200, query
    shown = {service.register_code for service in response.context["cl"].queryset}
    link = response.context[f"export_{kind}_url"]
    assert link in response.content.decode().replace("&amp;", "&")
    return shown, exported_codes(client.get(link), kind)


def exported_codes(response, kind: str) -> set:
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8")[1:]), delimiter=";"))
        return {row[0] for row in rows[1:]}
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


def sidebar_choices(client, query: str = "") -> dict[str, set[str]]:
    """Each filter in the list's sidebar at ``?query``, with its choices' query strings."""
    response = client.get(f"{CHANGELIST}?{query}")
    changelist = response.context["cl"]
    return {
        # Past the first choice, "All": the list without this filter.
        spec.parameter_name: {c["query_string"] for c in list(spec.choices(changelist))[1:]}
        for spec in changelist.filter_specs
    }


@pytest.mark.parametrize("actor", ["superuser", "digital_office"])
def test_every_sidebar_choice_exports_exactly_the_rows_it_lists(client, varied, actor):
    user = getattr(varied, actor)
    client.force_login(user)
    everything = set(Service.objects.for_user(user).values_list("register_code", flat=True))
    sidebar = sidebar_choices(client)
    queries = {query for choices in sidebar.values() for query in choices}
    # A region picked: its departments are offered, each combined with the region.
    for query in sidebar.get("region", ()):
        queries |= {q for choices in sidebar_choices(client, query[1:]).values() for q in choices}
    assert len(queries) > 20

    for query in sorted(queries):
        shown, exported = shown_and_exported(client, query[1:])
        assert exported == shown, query
        # Each choice narrows the list: an export that dropped it would hold more.
        assert shown != everything, query


def test_the_sidebar_offers_every_filter_of_the_filterset(client, varied):
    client.force_login(varied.superuser)
    offered = set(sidebar_choices(client)) | set(sidebar_choices(client, "region=KZ-31"))
    assert offered == set(ServiceFilter.base_filters) - {"q"}  # q is the search box


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        # Words that are not next to each other in the name: each must appear somewhere.
        ("справки обучении", {"Выдача справки об обучении"}),
        ("обучении СПРАВКИ", {"Выдача справки об обучении"}),
        ("анықтама", {"Выдача справки об обучении", "Выдача ветеринарной справки"}),
        (CERTIFICATE, {"Выдача ветеринарной справки"}),
        (f"ветеринарной {CERTIFICATE}", {"Выдача ветеринарной справки"}),  # two fields
        ("справки семян", set()),
    ],
)
def test_a_search_exports_exactly_the_rows_it_lists(client, varied, phrase, expected):
    client.force_login(varied.digital_office)
    query = f"q={phrase}"
    shown, exported = shown_and_exported(client, query)
    assert exported == shown
    names = Service.objects.filter(register_code__in=shown).values_list("name_ru", flat=True)
    assert set(names) == expected
    assert shown_and_exported(client, query, kind="xlsx") == (shown, shown)


def test_a_search_and_filters_together_export_exactly_the_rows_listed(client, varied):
    client.force_login(varied.superuser)
    shown, exported = shown_and_exported(client, "q=справки&region=KZ-31&status=paper")
    assert exported == shown
    assert len(shown) == 1  # the education certificate of Zhambyl, not Almaty's


def test_several_statuses_at_once_export_exactly_the_rows_listed(client, varied):
    client.force_login(varied.superuser)
    shown, exported = shown_and_exported(client, "status=paper&status=partial")
    assert exported == shown
    assert {s.status for s in Service.objects.filter(register_code__in=shown)} == {
        Status.PAPER,
        Status.PARTIAL,
    }


def test_the_list_with_counts_shown_still_exports_exactly_its_rows(client, varied):
    client.force_login(varied.digital_office)
    shown, exported = shown_and_exported(client, "_facets=True&awaiting_verification=true")
    claimed = Service.objects.filter(pk__in=[varied.kindergarten.pk, varied.first_grade.pk])
    assert exported == shown == set(claimed.values_list("register_code", flat=True))


def test_a_background_export_writes_exactly_the_rows_listed(client, varied, settings, tmp_path):
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    client.force_login(varied.digital_office)
    response = client.get(CHANGELIST, {"awaiting_verification": "true"})
    shown = {service.register_code for service in response.context["cl"].queryset}
    assert len(shown) == 2
    assert client.get(response.context["export_xlsx_url"]).status_code == 302  # a job
    job = run_export(ExportJob.objects.get())
    with job.file.open("rb") as handle:
        sheet = openpyxl.load_workbook(handle).active
        assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == shown


def test_a_lookup_the_filterset_does_not_know_is_refused_not_applied_to_the_list_alone(
    client, varied
):
    client.force_login(varied.digital_office)
    response = client.get(CHANGELIST, {"department__id__exact": varied.agriculture.pk})
    assert response.status_code == 400


def test_a_value_the_filterset_refuses_is_refused_by_the_list_too(client, varied):
    client.force_login(varied.digital_office)
    assert client.get(reverse("exports:services_csv"), {"status": "digital"}).status_code == 400
    response = client.get(CHANGELIST, {"status": "digital"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
