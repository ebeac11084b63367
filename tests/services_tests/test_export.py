"""Exports: the rows a person may see, filtered, safe to open, and importable again."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from regions.models import ProviderLevel
from services.exports import COLUMNS
from services.models import Channel, Criterion, LifeEvent, Service, Sphere, Status, StatusChange
from services.spreadsheets.importer import import_services
from services.spreadsheets.table import map_header
from tests.conftest import make_service

pytestmark = pytest.mark.django_db

CSV = reverse("exports:services_csv")
XLSX = reverse("exports:services_xlsx")
DANGEROUS = ['=HYPERLINK("http://x")', "+7 701 000", "-1", "@SUM(A1)", "\tтаб", "\rвозврат"]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_sheet(response):
    data = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_a_head_exports_only_their_departments_services(client, world):
    client.force_login(world.head_of_education)
    rows = csv_rows(client.get(CSV))
    assert sorted(row[3] for row in rows[1:]) == [
        "Зачисление в 1 класс",
        "Постановка на очередь в детский сад",
    ]


def test_the_filter_narrows_the_export_like_the_list(client, world):
    client.force_login(world.digital_office)
    rows = csv_rows(client.get(CSV, {"status": "paper", "region": "KZ-31"}))
    assert {row[3] for row in rows[1:]} == {
        "Постановка на очередь в детский сад",
        "Субсидирование семян",
    }
    rows = csv_rows(client.get(CSV, {"q": "субсид", "socially_significant": "false"}))
    assert [row[3] for row in rows[1:]] == ["Субсидирование семян"]
    rows = csv_rows(
        client.get(CSV, {"department": world.education.pk, "socially_significant": "true"})
    )
    assert [row[3] for row in rows[1:]] == ["Постановка на очередь в детский сад"]


def test_a_filter_cannot_reach_beyond_the_users_scope(client, world):
    client.force_login(world.head_of_education)
    rows = csv_rows(client.get(CSV, {"region": "KZ-19"}))
    assert rows[1:] == []


def test_a_bad_filter_value_is_refused(client, world):
    client.force_login(world.governor)
    refused = client.get(CSV, {"status": "digital"}, headers={"accept-language": "ru"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert '<html lang="ru">' in html and "* status" not in html  # the page, not a field code
    from django.utils import translation

    with translation.override("ru"):
        label = translation.gettext("status")
    assert label[0].upper() + label[1:] + ":" in html


def test_anonymous_readers_are_sent_to_log_in(client, world):
    assert client.get(CSV).status_code == 302


def test_headers_and_values_are_in_the_readers_language(client, world):
    client.force_login(world.head_of_education)
    rows = csv_rows(client.get(CSV, headers={"accept-language": "ru"}))
    header = rows[0]
    assert "Наименование (на русском)" in header or any("русск" in h for h in header)
    status = header.index(next(h for h in header if h.lower().startswith("статус")))
    assert {row[status] for row in rows[1:]} == {"бумажная", "электронная"}


def test_no_csv_cell_starts_a_formula(client, world):
    for number, text in enumerate(DANGEROUS):
        make_service(
            world.education,
            f"Услуга {number}",
            by=world.head_of_education,
            blocker=text,
            name_kk=text + f" {number}",
        )
    client.force_login(world.head_of_education)
    for row in csv_rows(client.get(CSV))[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    cells = {cell for row in csv_rows(client.get(CSV)) for cell in row}
    assert '\'=HYPERLINK("http://x")' in cells  # kept, as text


def test_no_xlsx_cell_is_a_formula(client, world):
    for number, text in enumerate(DANGEROUS):
        make_service(world.education, f"Услуга {number}", by=world.head_of_education, blocker=text)
    client.force_login(world.head_of_education)
    sheet = xlsx_sheet(client.get(XLSX))
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert '=HYPERLINK("http://x")' in {cell.value for cell in cells}


def test_export_edit_in_excel_import_back_changes_exactly_that_service(client, world):
    make_service(world.education, "Выдача дубликата аттестата", by=world.head_of_education)
    client.force_login(world.head_of_education)
    sheet = xlsx_sheet(client.get(XLSX, headers={"accept-language": "ru"}))
    header = [cell.value for cell in sheet[1]]
    status_column = header.index(next(h for h in header if h.lower().startswith("статус"))) + 1
    name_column = header.index(next(h for h in header if "русск" in h.lower())) + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, name_column).value == "Постановка на очередь в детский сад":
            sheet.cell(row, status_column).value = "частично автоматизированная"
    edited = io.BytesIO()
    sheet.parent.save(edited)
    before = {s.pk: (s.status, s.version) for s in Service.objects.all()}
    history = StatusChange.objects.count()

    outcome = import_services(
        edited.getvalue(), "выгрузка.xlsx", department=world.education, user=world.head_of_education
    )

    assert outcome.problems == []
    assert (outcome.created, outcome.updated) == (0, 1)
    after = {s.pk: (s.status, s.version) for s in Service.objects.all()}
    changed = {pk for pk in after if after[pk] != before[pk]}
    assert changed == {world.kindergarten.pk}
    assert after[world.kindergarten.pk][0] == Status.PARTIAL
    assert StatusChange.objects.count() == history + 1


def test_the_admin_list_links_an_export_of_exactly_its_filtered_rows(client, world):
    client.force_login(world.digital_office)
    changelist = reverse("admin:services_service_changelist")
    response = client.get(
        changelist,
        {"status": "paper", "has_target": "false", "department": world.agriculture.pk},
    )
    shown = {service.name_ru for service in response.context["cl"].queryset}
    link = response.context["export_csv_url"]
    assert link in response.content.decode().replace("&amp;", "&")
    exported = {row[3] for row in csv_rows(client.get(link))[1:]}
    assert exported == shown == {"Субсидирование семян"}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_exported_column_is_read_back_by_the_import(language):
    with translation.override(language):
        for column in COLUMNS:
            read_as = map_header(column.label)
            assert read_as == column.field, (column.label, read_as)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_each_exported_column_edited_in_excel_lands_on_import(client, world, language):
    client.force_login(world.digital_office)
    sheet = xlsx_sheet(client.get(XLSX, headers={"accept-language": language}))
    header = [cell.value for cell in sheet[1]]
    with translation.override(language):
        column = {c.field: header.index(c.label) + 1 for c in COLUMNS}
        edits = {
            "name_kk": "Балабақшаға кезекке қою",
            "name_en": "Kindergarten queue",
            "sphere": str(Sphere.HEALTHCARE.label),
            "socially_significant": gettext("no"),
            "status": str(Status.PARTIAL.label),
            "provider_level": str(ProviderLevel.DISTRICT.label),
            "channels": f"{Channel.EGOV.label}; {Channel.PSC.label}",
            "paid": gettext("yes"),
            "documents_required": 3,
            "term_days": 12,
            "term_working_days": gettext("yes"),
            "blocker": "Нет интеграции с ГБД ФЛ",
            "evidence_url": "https://egov.kz/cms/ru/services/kindergarten",
            "target_status": str(Status.ELECTRONIC.label),
            "target_date": "31.12.2027",
        }
        # The criteria of levels 1 and 2 answered "yes", in the reader's word for it, and
        # two life events, one of them with a comma in its name.
        criteria = {
            c.name: gettext("yes") for c in Criterion.objects.filter(level__lte=2, active=True)
        }
        events = LifeEvent.objects.filter(code__in=["birth", "culture_sport"]).order_by("code")
        criteria[capfirst(str(LifeEvent._meta.verbose_name_plural))] = "; ".join(
            event.name for event in events
        )
    shown_only = {"level", "level_verified"}  # follow from the criteria: not imported
    static = {"register_code", "department", "name_ru", "term_hours", *shown_only}
    assert set(edits) | static == set(column)
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, column["name_ru"]).value == "Постановка на очередь в детский сад"
    )
    for field, value in edits.items():
        sheet.cell(row, column[field]).value = value
    for label, value in criteria.items():
        sheet.cell(row, header.index(label) + 1).value = value
    for field in shown_only:
        sheet.cell(row, column[field]).value = 4
    edited = io.BytesIO()
    sheet.parent.save(edited)

    with translation.override(language):
        outcome = import_services(
            edited.getvalue(),
            "выгрузка.xlsx",
            department=world.education,
            user=world.digital_office,
        )

    assert outcome.problems == [] and outcome.updated == 1
    service = Service.objects.get(pk=world.kindergarten.pk)
    assert service.department == world.education
    assert (service.name_kk, service.name_en) == ("Балабақшаға кезекке қою", "Kindergarten queue")
    assert (service.sphere, service.socially_significant) == (Sphere.HEALTHCARE, False)
    assert (service.status, service.provider_level) == (Status.PARTIAL, ProviderLevel.DISTRICT)
    assert [c.value for c in service.channels] == [Channel.PSC, Channel.EGOV]
    assert (service.paid, service.documents_required) == (True, 3)
    assert (service.term_days, service.term_working_days) == (12, True)
    assert service.blocker == "Нет интеграции с ГБД ФЛ"
    assert service.evidence_url == "https://egov.kz/cms/ru/services/kindergarten"
    assert (service.target_status, service.target_date) == (Status.ELECTRONIC, date(2027, 12, 31))
    assert (service.level, service.level_verified) == (2, 2)  # from the answers, not the cells
    assert set(service.life_events.values_list("code", flat=True)) == {"birth", "culture_sport"}
    untouched = Service.objects.exclude(pk=service.pk).filter(department=world.education)
    assert all(s.version == 0 for s in untouched)


def test_an_xlsx_export_cuts_an_over_long_cell_visibly_and_says_so(client, world):
    from django.contrib.messages import get_messages

    whole = "Нет интеграции с базой. " * 2000  # 48,000 characters: over Excel's 32,767
    make_service(
        world.education, "Услуга с длинным описанием", by=world.head_of_education, blocker=whole
    )
    client.force_login(world.head_of_education)
    response = client.get(XLSX, headers={"accept-language": "ru"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    services, listing = book.worksheets[0], book.worksheets[-1]
    cut = [cell for row in services.iter_rows() for cell in row if str(cell.value).endswith("[…]")]
    assert len(cut) == 1 and whole.startswith(cut[0].value.removesuffix(" […]"))
    assert listing.title == "Обрезанные ячейки"
    assert [c.value for c in listing[4]][1:] == [cut[0].coordinate, len(whole)]
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert len(told) == 1 and "32" in told[0] and "CSV" in told[0]
    # The CSV keeps the text whole.
    assert whole in {cell for row in csv_rows(client.get(CSV)) for cell in row}


def test_an_xlsx_export_with_nothing_to_cut_says_nothing(client, world):
    from django.contrib.messages import get_messages

    client.force_login(world.head_of_education)
    response = client.get(XLSX)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.worksheets) == 1
    assert list(get_messages(response.wsgi_request)) == []
