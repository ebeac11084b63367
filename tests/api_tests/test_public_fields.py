"""Every field of every public answer is one this list expects: a field added to a model
or a serializer reaches nobody until it is added here, on purpose."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.build import build_region_report
from services import actions
from services.models import Status
from tests.api_tests.conftest import publish
from tests.conftest import make_service

pytestmark = pytest.mark.django_db

REGION = {
    "code", "kind", "name_kk", "name_ru", "name_en",
    "centre_kk", "centre_ru", "centre_en", "published_on",
}  # fmt: skip
DEPARTMENT = {
    "id", "region", "code", "name_kk", "name_ru", "name_en",
    "short_name_kk", "short_name_ru", "short_name_en", "kind", "level",
}  # fmt: skip
SERVICE = {
    "id", "register_code", "name_kk", "name_ru", "name_en", "sphere", "status", "channels",
    "term_days", "term_working_days", "term_hours", "documents_required",
    "socially_significant", "level", "life_events", "department", "region",
}  # fmt: skip
REGION_FIGURES = {
    "region", "as_of", "services_total", "services_digital", "services_verified",
    "share_digital", "share_verified", "share_digital_change", "socially_significant",
    "socially_significant_digital", "share_socially_significant", "take_up", "usage_total",
    "departments_count", "levels", "level_two_or_above", "electronic_needing_visit",
}  # fmt: skip
DEPARTMENT_FIGURES = {
    "region", "as_of", "department", "code", "kind", "name_kk", "name_ru", "name_en",
    "total", "paper", "partial", "electronic", "proactive", "digital", "digital_verified",
    "share_digital", "share_verified", "share_digital_change", "usage_total", "take_up",
    "rank",
}  # fmt: skip
PAGE = {"count", "next", "previous", "results"}
CURSOR_PAGE = {"next", "previous", "results"}  # the services: no count of the register

# What a service holds that no answer may carry, under any name.
PRIVATE_VALUES = ["https://egov.kz/cms/ru/services", "Нет интеграции с ГБД ФЛ", "Проверено"]


@pytest.fixture
def published(world):
    """Zhambyl published; a service with every private thing a service can have (an
    evidence link, a blocker, a target, a comment on its move); two reports."""
    publish(world.zhambyl)
    today = timezone.localdate()
    build_region_report(world.zhambyl, as_of=today - timedelta(days=7))
    lagging = make_service(
        world.agriculture,
        "Выдача разрешения на пользование водными ресурсами",
        by=world.digital_office,
        blocker=PRIVATE_VALUES[1],
        target_status=Status.ELECTRONIC,
        target_date=today + timedelta(days=30),
    )
    actions.set_status(
        lagging, status=Status.PARTIAL, by=world.digital_office, comment=PRIVATE_VALUES[2]
    )
    build_region_report(world.zhambyl, as_of=today)
    return world


ENDPOINTS = [
    ("/api/v1/regions/", REGION, "/api/v1/regions/KZ-31/"),
    ("/api/v1/departments/", DEPARTMENT, "/api/v1/departments/{education}/"),
    ("/api/v1/services/", SERVICE, "/api/v1/services/{kindergarten}/"),
    ("/api/v1/figures/regions/", REGION_FIGURES, "/api/v1/figures/regions/KZ-31/"),
    ("/api/v1/figures/departments/", DEPARTMENT_FIGURES, None),
]


@pytest.mark.parametrize(("url", "expected", "row_url"), ENDPOINTS, ids=lambda v: str(v))
def test_every_public_field_is_one_the_list_expects(api, published, url, expected, row_url):
    page = api.get(url).json()
    assert set(page) == (CURSOR_PAGE if url == "/api/v1/services/" else PAGE)
    assert page["results"], "nothing to check"
    for row in page["results"]:
        assert set(row) == expected, f"unexpected: {set(row) - expected}"
    if row_url:
        row_url = row_url.format(
            education=published.education.pk, kindergarten=published.kindergarten.pk
        )
        assert set(api.get(row_url).json()) == expected


def test_no_answer_carries_evidence_blockers_or_comments(api, published):
    for url, _expected, _row in ENDPOINTS:
        text = api.get(url).content.decode()
        for private in PRIVATE_VALUES:
            assert private not in text, f"{url} shows {private!r}"
