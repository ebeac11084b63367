"""The admin's first page: each role's workspace, its figures, their links, their cost."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from regions.models import Department, User
from reports.models import ReportSnapshot
from services import actions
from services.models import Service, Status
from tests.conftest import demo_loaded_for_a_module

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")
FIGURE = re.compile(r'href="([^"]+)"[^>]*data-figure="(\w+)" data-count="(\d+)"')


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_loaded_for_a_module(django_db_blocker, country=False) as logins:
        yield logins


def workspace_of(client, username, language="kk"):
    client.force_login(User.objects.get(username=username))
    response = client.get(INDEX, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def figures(page: str) -> dict[str, tuple[str, int]]:
    return {
        key: (url.replace("&amp;", "&"), int(count)) for url, key, count in FIGURE.findall(page)
    }


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["cl"].result_count


def test_the_head_of_education_sees_their_25_services_5_still_short_of_electronic(client, demo):
    page = workspace_of(client, "head.edu").content.decode()
    assert 'data-role="head"' in page
    shown = figures(page)
    education = Service.objects.filter(department__code="EDU", department__region__code="KZ-31")
    assert shown["total"][1] == 25 == education.count()
    assert shown["electronic"][1] == 20  # the meeting heard: five not yet electronic
    assert shown["verified"][1] + shown["awaiting"][1] == shown["electronic"][1]
    assert Department.objects.get(code="EDU", region__code="KZ-31").name_kk in page


@pytest.mark.parametrize("username", ["head.edu", "head.agr", "digital"])
def test_every_number_leads_to_a_list_of_as_many_services(client, demo, username):
    shown = figures(workspace_of(client, username).content.decode())
    assert len(shown) >= 4
    for key, (url, count) in shown.items():
        assert listed(client, url) == count, key


def test_the_digital_office_sees_the_claims_it_must_decide_oldest_first(client, demo):
    head = User.objects.get(username="head.edu")
    on_paper = Service.objects.filter(
        department__code="EDU", department__region__code="KZ-31", status=Status.PAPER
    ).order_by("pk")[:2]
    first, second = list(on_paper)
    for service in (first, second):  # the head claims two services electronic, in turn
        actions.set_status(
            service,
            status=Status.ELECTRONIC,
            by=head,
            evidence_url=f"https://egov.kz/cms/ru/services/{service.pk}",
        )
    page = workspace_of(client, "digital", "ru").content.decode()
    assert 'data-role="office"' in page
    awaiting = figures(page)["awaiting"][1]
    region = Service.objects.filter(department__region__code="KZ-31")
    assert awaiting == region.with_claims().filter(awaiting_verification=True).count() >= 2
    claims = re.search(r'<ul id="claims"(.*?)</ul>', page, re.S).group(1)
    assert claims.count("<li>") == min(awaiting, 10)
    assert claims.index(f"services/{first.pk}") < claims.index(f"services/{second.pk}")


def test_the_digital_office_sees_departments_whose_data_went_stale(client, demo, settings):
    settings.STALE_AFTER_DAYS = 30
    agriculture = Service.objects.filter(department__code="AGR", department__region__code="KZ-31")
    agriculture.update(last_confirmed=timezone.localdate() - timedelta(days=60))
    page = workspace_of(client, "digital", "ru").content.decode()
    stale = re.search(r'<ul id="stale-departments"(.*?)</ul>', page, re.S).group(1)
    links = re.findall(r'href="([^"]+)" data-count="(\d+)"', stale)
    assert links
    for url, count in links:
        assert listed(client, url.replace("&amp;", "&")) == int(count)
    assert str(agriculture.count()) in stale


def test_the_governor_sees_the_latest_report_in_brief_with_a_link_to_it(client, demo):
    page = workspace_of(client, "akim", "ru").content.decode()
    assert 'data-role="reader"' in page
    assert "190" in re.search(r'<p id="headline">(.*?)</p>', page, re.S).group(1)
    assert re.search(r'href="/reports/snapshots/\d+/"', page)
    laggards = re.search(r'<ol id="laggards"(.*?)</ol>', page, re.S).group(1)
    latest = ReportSnapshot.objects.done().filter(region__code="KZ-31").latest("as_of")
    furthest_behind = latest.department_figures.order_by("rank")[:3]
    assert laggards.count("<li>") == 3
    for row in furthest_behind:
        assert row.department.name_ru in laggards


def test_the_national_analyst_is_led_to_the_national_view(client, demo):
    page = workspace_of(client, "ministry", "ru").content.decode()
    assert 'data-role="national"' in page
    assert reverse("reports:national") in page


def test_a_superuser_keeps_the_plain_index(client, demo):
    assert 'id="workspace"' not in workspace_of(client, "admin").content.decode()
