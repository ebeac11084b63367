"""The API describes itself: an OpenAPI schema with every field's title in the reader's
language, a Swagger UI made of this server's files only, and /api/v1/meta/."""

import json
import re

import pytest
from django.utils import translation

from services.models import Channel, Sphere, Status
from tracker.api import meta

pytestmark = pytest.mark.django_db


def schema(api, language):
    response = api.get("/api/v1/schema/", {"lang": language, "format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def title_of(document, component, field):
    return document["components"]["schemas"][component]["properties"][field].get("title")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_schema_titles_each_field_in_the_readers_language(api, language):
    document = schema(api, language)
    assert {"/api/v1/services/", "/api/v1/figures/regions/", "/api/v1/meta/"} <= set(
        document["paths"]
    )
    with translation.override(language):
        for component, field, label in [
            ("Service", "name_kk", "name (Kazakh)"),
            ("Service", "status", "status"),
            ("Region", "centre_ru", "administrative centre (Russian)"),
            ("RegionFigures", "share_digital", "share electronic"),
        ]:
            expected = translation.gettext(label)
            assert title_of(document, component, field).lower() == expected.lower()
    assert title_of(document, "Service", "name_kk") != title_of(
        schema(api, "en"), "Service", "name_kk"
    )


def test_the_schema_offers_only_the_public_filters(api):
    parameters = {
        parameter["name"]
        for parameter in schema(api, "en")["paths"]["/api/v1/services/"]["get"]["parameters"]
    }
    assert {"region", "department", "status", "sphere", "socially_significant", "q"} <= parameters
    assert not parameters & {"overdue", "at_risk", "has_target", "stale", "awaiting_verification"}


def test_the_docs_page_uses_this_servers_files_only(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    addresses = re.findall(r"""(?:src|href)=["']([^"']+)""", page)
    assert addresses, page
    assert all(address.startswith("/static/") for address in addresses), addresses
    assert "/api/v1/schema/" in page
    assert "//" not in "".join(addresses)


def test_the_meta_endpoint_titles_every_field_in_every_language(api):
    document = api.get("/api/v1/meta/").json()
    endpoints = {endpoint["name"]: endpoint for endpoint in document["endpoints"]}
    assert set(endpoints) == {endpoint.name for endpoint in meta.ENDPOINTS}
    services = endpoints["services"]
    assert services["url"] == "/api/v1/services/"
    names = {field["name"]: field for field in services["fields"]}
    assert set(names) == set(meta.ENDPOINTS[2].serializer().fields)
    for code in ("kk", "ru", "en"):
        with translation.override(code):
            assert names["status"]["title"][code].lower() == translation.gettext("status")
    assert names["status"]["enumeration"] == "status"
    assert names["channels"]["enumeration"] == "channel"
    assert {f["name"] for f in services["filters"]} == {
        "region", "department", "status", "sphere", "socially_significant", "level",
        "life_event", "q",
    }  # fmt: skip
    enumerations = document["enumerations"]
    assert [row["code"] for row in enumerations["status"]] == Status.values
    assert [row["code"] for row in enumerations["sphere"]] == Sphere.values
    assert [row["code"] for row in enumerations["channel"]] == Channel.values
    with translation.override("kk"):
        assert enumerations["status"][0]["title"]["kk"] == str(Status.PAPER.label)


def test_the_schema_is_valid_openapi_with_no_warning(tmp_path):
    """drf-spectacular's own check: a warning here (a field it cannot type, two enums of one
    name) is also a warning of `check --deploy`, which production runs."""
    from django.core.management import call_command

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
