"""CSV as the app's exports write it: Excel opens it in Kazakh letters, and no cell of it
is a formula."""

import csv
import io

import pytest

from services.models import Channel
from tests.api_tests.conftest import publish
from tests.conftest import make_service

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8")[1:]), delimiter=";"))


def test_services_as_csv_open_in_excel_with_no_formula(api, world):
    publish(world.zhambyl)
    make_service(
        world.agriculture,
        '=HYPERLINK("http://evil.example","Нажмите")',
        by=world.digital_office,
        name_kk="+Қызмет",
        name_en="@SUM(1+1)",
        channel_egov=True,
        channel_mgov=True,
    )
    response = api.get("/api/v1/services/", {"format": "csv", "q": "HYPERLINK"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="services.csv"' in response["Content-Disposition"]
    header, row = rows_of(response)
    cells = dict(zip(header, row, strict=True))
    assert cells["name_ru"] == '\'=HYPERLINK("http://evil.example","Нажмите")'
    assert cells["name_kk"] == "'+Қызмет"
    assert cells["name_en"] == "'@SUM(1+1)"
    assert cells["channels"] == f"{Channel.OFFICE},{Channel.EGOV},{Channel.MGOV}"
    assert cells["region"] == "KZ-31"
    assert cells["socially_significant"] == "false"


def test_an_empty_page_still_names_its_columns(api, world):
    response = api.get("/api/v1/services/", {"format": "csv"})
    assert rows_of(response) == [
        [
            "id", "register_code", "name_kk", "name_ru", "name_en", "sphere", "status",
            "channels", "term_days", "term_working_days", "term_hours",
            "documents_required", "socially_significant", "level", "life_events",
            "department", "region",
        ]
    ]  # fmt: skip


def test_csv_is_asked_for_by_the_accept_header_too(api, world):
    publish(world.zhambyl)
    response = api.get("/api/v1/regions/", HTTP_ACCEPT="text/csv")
    header, row = rows_of(response)
    assert header[0] == "code" and row[0] == "KZ-31"


def test_a_refusal_comes_as_csv_too(api, world):
    response = api.get("/api/v1/figures/regions/", {"format": "csv", "as_of": "2024-02-30"})
    assert response.status_code == 400
    header, _message = rows_of(response)
    assert header == ["as_of"]
