"""A service's status moved in one step from the service list (services.status_move): the
same write as the service's form, its version checked, a head's move to electronic a claim
with proof — on a page of its own or answered in place."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from services.models import Service, Status, StatusChange
from tests.conftest import make_service

IN_PLACE = {"HTTP_X_STATUS_MOVE": "1"}


def said(english: str) -> str:
    """Part of a message as the head of education reads it (in Kazakh)."""
    with translation.override("kk"):
        whole = {
            "A move to electronic needs an evidence link": gettext(
                "A move to electronic needs an evidence link (the service's eGov page, an "
                "order), which the digital office checks."
            ),
            "the digital office checks the evidence": gettext(
                "“%(service)s” is claimed “%(status)s”; the digital office checks the evidence."
            )
            .split(";")[-1]
            .strip(),
            "awaiting verification": gettext("awaiting verification"),
        }
    return whole[english][:40]


def move_url(service, **query):
    url = reverse("admin:services_service_status_move", args=[service.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def move(client, service, *, in_place=False, **fields):
    data = {
        "status": Status.PARTIAL,
        "comment": "Заявления принимаются через ИС ЦОН",
        "evidence_url": "",
        "expected_version": service.version,
        **fields,
    }
    return client.post(move_url(service), data, **(IN_PLACE if in_place else {}))


def test_a_head_moves_a_service_in_one_step_and_returns_to_the_list(client, world):
    client.force_login(world.head_of_education)
    service = world.kindergarten
    back = reverse("admin:services_service_changelist") + "?status__exact=paper"
    response = move(client, service, next=back)
    assert response.status_code == 302 and response["Location"] == back
    service.refresh_from_db()
    assert service.status == Status.PARTIAL
    latest = StatusChange.objects.filter(service=service).latest()
    assert (latest.old_status, latest.new_status) == (Status.PAPER, Status.PARTIAL)
    assert (latest.comment, latest.changed_by) == (
        "Заявления принимаются через ИС ЦОН",
        world.head_of_education,
    )
    assert not latest.needs_verification


def test_in_place_the_answer_is_the_rows_new_status_cell(client, world):
    client.force_login(world.head_of_education)
    service = world.kindergarten
    opened = client.get(move_url(service), HTTP_ACCEPT_LANGUAGE="kk", **IN_PLACE)
    assert opened.status_code == 200
    form = opened.content.decode()
    assert "<html" not in form and "data-status-move-form" in form  # the fragment alone
    assert f'name="expected_version" value="{service.version}"' in form

    answer = move(client, service, in_place=True).json()
    service.refresh_from_db()
    assert answer["version"] == service.version
    cell = answer["status_html"]
    assert f'data-service="{service.pk}"' in cell
    assert str(Status.PARTIAL.label) in cell and "data-status-move" in cell
    assert str(service) in answer["message"]


def test_a_heads_move_to_electronic_without_proof_is_refused_and_nothing_is_written(client, world):
    service = make_service(
        world.education, "Выдача справки", by=world.head_of_education, evidence_url=""
    )
    client.force_login(world.head_of_education)
    refused = move(client, service, in_place=True, status=Status.ELECTRONIC)
    assert refused.status_code == 400
    assert said("A move to electronic needs an evidence link") in refused.json()["form_html"]
    service.refresh_from_db()
    assert service.status == Status.PAPER
    assert service.history.count() == 1  # only its creation
    assert StatusChange.objects.filter(service=service).count() == 1


def test_a_heads_move_to_electronic_with_proof_is_a_claim_and_keeps_the_link(client, world):
    service = make_service(
        world.education, "Выдача справки", by=world.head_of_education, evidence_url=""
    )
    client.force_login(world.head_of_education)
    proof = "https://egov.kz/cms/ru/services/education/spravka"
    answer = move(
        client, service, in_place=True, status=Status.ELECTRONIC, evidence_url=proof
    ).json()
    service = Service.objects.with_claims().get(pk=service.pk)
    assert service.status == Status.ELECTRONIC and service.awaiting_verification
    assert service.evidence_url == proof
    latest = StatusChange.objects.filter(service=service).latest()
    assert latest.needs_verification and latest.evidence_url == proof
    assert said("the digital office checks the evidence") in answer["message"]
    assert said("awaiting verification") in answer["status_html"]


def test_the_digital_offices_move_to_electronic_is_no_claim(client, world):
    client.force_login(world.digital_office)
    move(client, world.kindergarten, status=Status.ELECTRONIC)
    latest = StatusChange.objects.filter(service=world.kindergarten).latest()
    assert latest.new_status == Status.ELECTRONIC and not latest.needs_verification


def test_a_move_over_someone_elses_newer_one_is_refused(client, world):
    service = world.kindergarten
    seen = service.version
    client.force_login(world.digital_office)
    move(client, service, status=Status.PARTIAL)  # the office moved it meanwhile
    client.force_login(world.head_of_education)
    refused = move(client, service, in_place=True, status=Status.ELECTRONIC, expected_version=seen)
    assert refused.status_code == 400
    service.refresh_from_db()
    assert service.status == Status.PARTIAL
    assert StatusChange.objects.filter(service=service).latest().changed_by == world.digital_office


@pytest.mark.parametrize(
    ("fields", "wrong"),
    [
        ({"comment": ""}, "comment"),
        ({"status": Status.PAPER}, "status"),
        ({"status": "x"}, "status"),
    ],
)
def test_an_incomplete_move_says_what_to_correct_and_writes_nothing(client, world, fields, wrong):
    client.force_login(world.head_of_education)
    service = world.kindergarten
    page = move(client, service, **fields)
    assert page.status_code == 200  # the form again, the field marked
    assert list(page.context["form"].errors) == [wrong]
    assert page.context["form"].errors[wrong][0] in page.content.decode()
    service.refresh_from_db()
    assert service.status == Status.PAPER
    assert StatusChange.objects.filter(service=service).count() == 1


def test_the_form_speaks_the_readers_language(client, world):
    client.force_login(world.head_of_education)
    page = client.get(move_url(world.kindergarten), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Мәртебені өзгерту" in page and "Change status" not in page


def test_another_departments_service_is_not_found_and_a_reader_may_not_move_one(client, world):
    client.force_login(world.head_of_education)
    assert client.get(move_url(world.seed_subsidy)).status_code == 404
    assert move(client, world.seed_subsidy, status=Status.PARTIAL).status_code == 404
    client.force_login(world.official)  # reads the region's services, changes none
    assert client.get(move_url(world.kindergarten)).status_code == 403
    assert move(client, world.kindergarten).status_code == 403
    for service in (world.seed_subsidy, world.kindergarten):
        service.refresh_from_db()
        assert service.status == Status.PAPER


def test_a_withdrawn_service_is_not_moved(client, world):
    Service.objects.filter(pk=world.kindergarten.pk).update(withdrawn_on="2026-01-01")
    client.force_login(world.digital_office)
    assert move(client, world.kindergarten).status_code == 403


def test_it_returns_only_to_a_page_of_this_site(client, world):
    client.force_login(world.head_of_education)
    response = move(client, world.kindergarten, next="https://elsewhere.example/steal")
    assert response["Location"] == reverse("admin:services_service_changelist")


def test_the_list_offers_the_move_only_on_rows_the_reader_may_change(client, world):
    listed = reverse("admin:services_service_changelist")
    client.force_login(world.digital_office)
    page = client.get(listed).content.decode()
    offered = set(re.findall(r'href="/[^"]*/services/service/(\d+)/status/[?"]', page))
    assert offered == {
        str(pk)
        for pk in Service.objects.filter(department__region=world.zhambyl).values_list(
            "pk", flat=True
        )
    }
    client.force_login(world.official)
    page = client.get(listed).content.decode()
    assert str(world.kindergarten) in page
    assert "/status/" not in page


def test_without_the_script_the_move_returns_to_the_list_as_it_was_filtered(client, world):
    client.force_login(world.head_of_education)
    filtered = reverse("admin:services_service_changelist") + "?status=paper"
    page = client.get(filtered).content.decode()
    link = re.search(r'href="([^"]*/status/\?next=[^"]*)" data-status-move', page).group(1)
    link = html.unescape(link)
    form = client.get(link)
    assert form.status_code == 200 and "<html" in form.content.decode()  # a page of its own
    moved = client.post(
        link,
        {
            "status": Status.PARTIAL,
            "comment": "ИС ЦОН",
            "expected_version": world.kindergarten.version,
        },
    )
    assert moved["Location"] == filtered
