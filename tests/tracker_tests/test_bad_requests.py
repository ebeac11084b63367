"""Junk in an address or a form is refused in the reader's language, never a 500.

The fuzz test (tests/test_never_500.py) asks every address with every kind of junk; these
are the cases found there and in the issue, one by one, with what the reader sees.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/?app_label=regions&model_name=membership&field_name=department"


def signed_in(client, user, language="ru"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "address",
    [
        "/reports/%00/",
        "/reports/KZ-31%00/compare/",
        "/admin/services/service/?status=%00",
        "/admin/services/service/?sphere=%00",
        "/admin/services/service/?region=KZ-31%00",
        "/admin/services/usage/?channel__exact=%00",
        "/admin/services/statuschange/?new_status__exact=%00",
        "/admin/regions/department/?level__exact=%00",
        f"{AUTOCOMPLETE}&term=%00",
        "/exports/services.csv?q=%00",
        "/exports/services.xlsx?stale=%00",
        "/exports/services.csv?%00=1",
    ],
)
def test_a_nul_anywhere_in_an_address_is_refused_with_a_page_in_the_readers_language(
    client, world, address
):
    signed_in(client, world.digital_office)
    response = client.get(address)
    assert response.status_code == 400
    assert [t.name for t in response.templates][:1] == ["400.html"]
    page = response.content.decode()
    assert '<html lang="ru">' in page
    assert reverse("admin:index") in page  # a way back


def test_a_nul_in_a_posted_form_is_refused_too(client, world):
    signed_in(client, world.governor)
    response = client.post(reverse("reports:build", args=["KZ-31"]), {"note": "a\x00b"})
    assert response.status_code == 400
    assert not world.zhambyl.report_snapshots.exists()


def test_a_background_export_of_a_nul_is_refused_before_a_job_is_made(client, world, settings):
    settings.EXPORT_BACKGROUND_ROWS = 0  # every export a job
    signed_in(client, world.digital_office)
    assert client.get(reverse("exports:services_csv"), {"stale": "\x00"}).status_code == 400
    assert not world.digital_office.export_jobs.exists()


@pytest.mark.parametrize("page", ["x", "-1", "0", "999", "²", "99999999999999999999"])
def test_the_admin_search_answers_not_found_for_a_page_it_cannot_show(client, world, page):
    signed_in(client, world.superuser)
    assert client.get(reverse("admin:search"), {"s": "a", "page": page}).status_code == 404


def test_the_admin_search_still_answers_its_first_page(client, world):
    signed_in(client, world.superuser)
    response = client.get(reverse("admin:search"), {"s": "serv", "page": "1"})
    assert response.status_code == 200


@pytest.mark.parametrize("region", ["99999999999999999999", "²", "١٢"])
def test_an_export_by_a_region_no_table_can_hold_is_empty_not_an_error(client, world, region):
    signed_in(client, world.superuser)
    response = client.get(reverse("exports:services_csv"), {"region": region})
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).decode().splitlines()) == 1  # header


@pytest.mark.parametrize("department", ["99999999999999999999", "1.5", "0", "²"])
def test_an_export_by_a_department_id_no_table_can_hold_is_refused(client, world, department):
    signed_in(client, world.superuser)
    response = client.get(reverse("exports:services_csv"), {"department": department})
    assert response.status_code == 400


def test_a_list_whose_filter_cannot_be_read_says_so_not_database_error(client, world):
    signed_in(client, world.superuser, language="en")
    response = client.get(reverse("admin:services_service_changelist"), {"status": "zzz"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    again = client.get(reverse("admin:services_service_changelist"), {"status": "zzz", "e": "1"})
    page = again.content.decode()
    assert "This list cannot be filtered like this" in page
    assert "database installation" not in page and "Database error" not in page
