"""Criteria answers and life events through spreadsheets: an export read back unchanged,
the spellings offices write, a head's "yes" as a claim that needs proof, and the cells
that refuse their row."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from services import criteria_writes as writes
from services.models import (
    AWAITING_YES,
    Answer,
    Criterion,
    CriterionChange,
    LifeEvent,
    Service,
    ServiceChange,
    ServiceCriterion,
)
from services.resources import ServiceResource
from services.spreadsheets.dataset import dataset_from_file
from services.spreadsheets.importer import import_services
from tests.conftest import make_service
from tests.services_tests.spreadsheet_files import csv_file, xlsx

pytestmark = pytest.mark.django_db

XLSX = reverse("exports:services_xlsx")
CSV = reverse("exports:services_csv")
PROOF = "https://egov.kz/cms/ru/services/kindergarten"
NAME = "Наименование госуслуги"


def criterion(code: str) -> Criterion:
    return Criterion.objects.get(code=code)


def answers_of(service: Service) -> dict[str, tuple[str, bool]]:
    return {
        row.criterion.code: (row.answer, row.awaiting)
        for row in ServiceCriterion.objects.filter(service=service).select_related("criterion")
    }


def events_of(service: Service) -> set[str]:
    return set(service.life_events.values_list("code", flat=True))


def run(world, data, name="list.xlsx", *, user=None, dry_run=False):
    return import_services(
        data,
        name,
        department=world.education,
        user=user or world.digital_office,
        dry_run=dry_run,
    )


def answered(world):
    """The kindergarten answered three ways: verified yes, no, and a head's claim."""
    service = world.kindergarten
    writes.answer_criteria(
        service, answers={"info_online": "yes", "no_visit": "no"}, by=world.digital_office
    )
    writes.answer_criteria(
        service, answers={"apply_online": "yes"}, by=world.head_of_education, evidence_url=PROOF
    )
    events = LifeEvent.objects.filter(code__in=["birth", "culture_sport"])
    writes.set_life_events(service, events=events, by=world.head_of_education)
    service.refresh_from_db()
    return service


@pytest.mark.parametrize("language,suffix", [("kk", XLSX), ("ru", XLSX), ("ru", CSV)])
def test_an_unedited_export_imports_back_with_nothing_changed(client, world, language, suffix):
    service = answered(world)
    client.force_login(world.head_of_education)
    response = client.get(suffix, headers={"accept-language": language})
    data = b"".join(response.streaming_content)
    if suffix == XLSX:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        header = [cell.value for cell in sheet[1]]
        row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[3] == service.name)
        shown = dict(zip(header, row, strict=True))
        with translation.override(language):
            assert shown[criterion("info_online").name] == str(Answer.YES.label)
            assert shown[criterion("no_visit").name] == str(Answer.NO.label)
            assert shown[criterion("prefilled").name] == str(Answer.UNKNOWN.label)
            claim = str(AWAITING_YES)
            events = str(LifeEvent._meta.verbose_name_plural).capitalize()
            assert shown[events] == "; ".join(
                e.name for e in LifeEvent.objects.filter(code__in=["birth", "culture_sport"])
            )
            assert shown[criterion("apply_online").name] == claim
    history = (ServiceChange.objects.count(), CriterionChange.objects.count())
    before = answers_of(service), events_of(service), service.version

    with translation.override(language):
        outcome = run(world, data, f"export.{suffix[-4:]}", user=world.head_of_education)

    assert outcome.problems == [] and (outcome.created, outcome.updated) == (0, 0)
    assert outcome.unchanged == Service.objects.filter(department=world.education).count()
    service.refresh_from_db()
    assert (answers_of(service), events_of(service), service.version) == before
    assert (ServiceChange.objects.count(), CriterionChange.objects.count()) == history


def test_answers_in_the_spellings_offices_write_and_columns_named_in_any_language(world):
    data = csv_file(
        [
            [
                NAME,
                criterion("info_online").name_kk,
                criterion("apply_online").name_ru,
                criterion("digital_signature").name_en,
                "feedback_online",  # the code, as a technical file writes it
                criterion("no_visit").name_ru.upper(),
                criterion("prefilled").name_ru,
            ],
            ["Постановка на очередь в детский сад", "Иә", "+", "да", "✓", "жоқ", "белгісіз"],
            ["Зачисление в 1 класс", "есть", "Нет", "no", "?", "Неизвестно", "-"],
        ]
    )
    with translation.override("en"):
        outcome = run(world, data, "list.csv")
    assert outcome.problems == [] and outcome.updated == 2
    kindergarten = answers_of(world.kindergarten)
    assert {code: answer for code, (answer, _) in kindergarten.items()} == {
        "info_online": "yes",
        "apply_online": "yes",
        "digital_signature": "yes",
        "feedback_online": "yes",
        "no_visit": "no",
    }  # "белгісіз" on an unanswered criterion: unknown already, nothing written
    first_grade = {code: answer for code, (answer, _) in answers_of(world.first_grade).items()}
    assert first_grade == {"info_online": "yes", "apply_online": "no", "digital_signature": "no"}
    world.kindergarten.refresh_from_db()
    assert (world.kindergarten.level, world.kindergarten.level_verified) == (2, 2)
    row = ServiceChange.objects.filter(
        service=world.kindergarten, kind=ServiceChange.Kind.CRITERIA
    ).get()
    assert row.comment == "Imported from list.csv, row 2."
    assert row.changes["level_verified"] == [0, 2]


def test_a_heads_yes_from_a_file_without_proof_is_refused_and_nothing_is_written(world):
    make_service(world.education, "Выдача справки", by=world.head_of_education, evidence_url="")
    data = xlsx(
        [
            [NAME, criterion("info_online").name_ru],
            ["Постановка на очередь в детский сад", "нет"],
            ["Выдача справки", "да"],
        ]
    )
    with translation.override("ru"):
        outcome = run(world, data, user=world.head_of_education)
    assert len(outcome.problems) == 1
    assert outcome.problems[0].startswith("строка 3 файла:")
    assert "ссылк" in outcome.problems[0]  # the evidence link, in the reader's language
    assert not CriterionChange.objects.exists()  # the other row neither: all or nothing


def test_a_heads_yes_from_a_file_with_proof_waits_for_the_digital_office(world):
    data = xlsx(
        [
            [NAME, criterion("info_online").name_ru, "Ссылка на подтверждение"],
            ["Постановка на очередь в детский сад", "да", PROOF],
        ]
    )
    outcome = run(world, data, user=world.head_of_education)
    assert outcome.problems == [] and outcome.updated == 1
    assert answers_of(world.kindergarten) == {"info_online": ("yes", True)}
    world.kindergarten.refresh_from_db()
    assert (world.kindergarten.level, world.kindergarten.level_verified) == (1, 0)
    [claim] = writes.criterion_claims_awaiting(Service.objects.all())
    assert claim.evidence_url == PROOF and claim.changed_by == world.head_of_education
    with pytest.raises(PermissionDenied):
        writes.verify_criterion_claim(claim, by=world.head_of_education)
    writes.verify_criterion_claim(claim, by=world.digital_office)
    assert answers_of(world.kindergarten) == {"info_online": ("yes", False)}


def test_a_head_may_not_answer_another_departments_service_through_a_file(world):
    data = xlsx(
        [
            [NAME, "Управление", criterion("info_online").name_ru, "Ссылка"],
            ["Субсидирование семян", "Управление сельского хозяйства", "да", PROOF],
        ]
    )
    with translation.override("en"):
        outcome = run(world, data, user=world.head_of_education)
    assert outcome.problems and "may not change" in outcome.problems[0]
    assert not CriterionChange.objects.exists()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_cell_that_is_no_answer_or_no_life_event_refuses_its_row(world, language):
    data = xlsx(
        [
            [NAME, criterion("info_online").name_ru, "Жизненные ситуации"],
            ["Постановка на очередь в детский сад", "может быть", ""],
            ["Зачисление в 1 класс", "да", "Рождение ребёнка; Детский сад и школа"],
        ]
    )
    with translation.override(language):
        outcome = run(world, data)
        problems = " ".join(outcome.problems)
        assert "может быть" in problems and criterion("info_online").name in problems
        assert "Рождение ребёнка" in problems
        assert LifeEvent.objects.get(code="school").name in problems  # the known ones listed
        assert "is not an answer" not in problems and "no life event" not in problems
    assert outcome.refused.keys() == {2, 3}
    assert not CriterionChange.objects.exists() and not events_of(world.first_grade)


def test_life_events_named_in_any_language_on_lines_or_with_commas(world):
    data = xlsx(
        [
            [NAME, "Өмірлік жағдайлар"],
            [
                "Постановка на очередь в детский сад",
                "Рождение или усыновление ребёнка\nKindergarten and school; "
                "Мәдениет, спорт және демалыс, retirement",
            ],
            ["Зачисление в 1 класс", "школа"],
        ]
    )
    outcome = run(world, data)
    assert len(outcome.problems) == 1 and "школа" in outcome.problems[0]

    data = xlsx(
        [
            [NAME, "Өмірлік жағдайлар"],
            [
                "Постановка на очередь в детский сад",
                "Рождение или усыновление ребёнка\nKindergarten and school; "
                "Мәдениет, спорт және демалыс, retirement",
            ],
            ["Зачисление в 1 класс", "Детский сад и школа"],
        ]
    )
    assert run(world, data).problems == []
    assert events_of(world.kindergarten) == {"birth", "school", "culture_sport", "retirement"}
    assert events_of(world.first_grade) == {"school"}
    row = ServiceChange.objects.filter(
        service=world.kindergarten, kind=ServiceChange.Kind.LIFE_EVENTS
    ).get()
    assert row.changes["life_events"][1] == ["birth", "culture_sport", "retirement", "school"]

    # A blank cell keeps them; "нет" takes the service out of every life event.
    cleared = xlsx(
        [
            [NAME, "Жизненные ситуации"],
            ["Постановка на очередь в детский сад", ""],
            ["Зачисление в 1 класс", "нет"],
        ]
    )
    assert run(world, cleared).problems == []
    assert len(events_of(world.kindergarten)) == 4 and events_of(world.first_grade) == set()


def test_a_new_service_in_a_file_comes_with_its_answers_and_life_events(world):
    level_one = criterion("info_online")
    data = xlsx(
        [
            [NAME, level_one.name_ru, criterion("apply_online").name_ru, "Жизненные ситуации"],
            ["Выдача дубликата аттестата", "да", "нет", "Детский сад и школа"],
        ]
    )
    outcome = run(world, data)
    assert outcome.problems == [] and outcome.created == 1
    service = Service.objects.get(name_ru="Выдача дубликата аттестата")
    assert answers_of(service) == {"info_online": ("yes", False), "apply_online": ("no", False)}
    assert (service.level, service.level_verified) == (1, 1)
    assert events_of(service) == {"school"}
    kinds = set(ServiceChange.objects.filter(service=service).values_list("kind", flat=True))
    assert kinds == {
        ServiceChange.Kind.CREATED,
        ServiceChange.Kind.CRITERIA,
        ServiceChange.Kind.LIFE_EVENTS,
    }


def test_the_preview_lists_each_answer_old_to_new_and_writes_nothing(world):
    answered(world)
    data = xlsx(
        [
            [NAME, criterion("no_visit").name_ru, criterion("info_online").name_ru],
            ["Постановка на очередь в детский сад", "да", "да"],
        ]
    )
    dataset = dataset_from_file(data, "list.xlsx")
    resource = ServiceResource(department=world.education, user=world.head_of_education)
    with translation.override("ru"):
        result = resource.import_data(dataset, dry_run=True, use_transactions=True)
        [row] = [r for r in result.rows if getattr(r, "changes", None)]
        assert row.changes == [
            (criterion("no_visit").name_ru, "нет", "да, ожидает проверки")
        ]  # info_online is "yes" already: not listed
    assert answers_of(world.kindergarten)["no_visit"] == ("no", False)


def test_a_retired_criterions_column_in_an_older_file_is_left_alone(world):
    retired = criterion("term_met")
    retired.active = False
    retired.save()
    data = xlsx(
        [
            [NAME, retired.name_ru, "Срок оказания"],  # "Срок указан…" is not the term
            ["Постановка на очередь в детский сад", "да", "15 рабочих дней"],
        ]
    )
    outcome = run(world, data)
    assert outcome.problems == []
    world.kindergarten.refresh_from_db()
    assert (world.kindergarten.term_days, world.kindergarten.term_working_days) == (15, True)
    assert not CriterionChange.objects.exists()


def test_the_import_page_lists_each_criterions_column_a_name_with_commas_in_quotes(world):
    resource = ServiceResource(department=world.education, user=world.head_of_education)
    with translation.override("ru"):
        columns = resource.readable_column_names()
    assert "Жизненные ситуации" in columns
    assert f"«{criterion('documents_from_registers').name_ru}»" in columns
    assert criterion("no_visit").name_ru in columns  # no comma: as it is
