"""The criteria on the service page and the list, as each role meets them: a head
answers and claims, the proof is asked on its field, readers see a table, the digital
office decides on the claims from the list; the national level keeps the criteria."""

import pytest
from django.urls import reverse

from services.models import Answer, Criterion, CriterionReview, LifeEvent, ServiceCriterion
from tests.services_tests.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:services_service_changelist")
PROOF = "https://egov.kz/cms/ru/services/kindergarten"


def first_level():
    return list(Criterion.objects.filter(level=1))


def answering(service, answers: dict, **extra):
    data = form_data(service, **extra)
    for criterion in Criterion.objects.filter(active=True):
        data[f"criterion_{criterion.code}"] = answers.get(criterion.code, Answer.UNKNOWN)
    return data


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_head_sees_each_criterion_in_their_language(client, world, language):
    client.force_login(world.head_of_education)
    page = client.get(change_url(world.kindergarten), headers={"accept-language": language})
    text = page.content.decode()
    criterion = first_level()[0]
    assert getattr(criterion, f"name_{language}") in text
    assert 'name="criterion_info_online"' in text and 'name="criteria_evidence_url"' in text
    assert LifeEvent.objects.get(code="birth").name_kk in text or language == "ru"


def test_a_heads_yes_without_proof_is_refused_on_the_field_and_nothing_is_written(client, world):
    client.force_login(world.head_of_education)
    yes = {c.code: Answer.YES for c in first_level()}
    response = client.post(
        change_url(world.kindergarten),
        answering(world.kindergarten, yes),
        headers={"accept-language": "ru"},
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert "нужна ссылка на подтверждение" in response.content.decode()
    assert not ServiceCriterion.objects.exists()


def test_a_heads_yes_with_proof_is_a_claim_and_life_events_are_saved(client, world):
    client.force_login(world.head_of_education)
    yes = {c.code: Answer.YES for c in first_level()}
    birth = LifeEvent.objects.get(code="birth")
    response = client.post(
        change_url(world.kindergarten),
        answering(world.kindergarten, yes, criteria_evidence_url=PROOF, life_events=[birth.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    world.kindergarten.refresh_from_db()
    assert (world.kindergarten.level, world.kindergarten.level_verified) == (1, 0)
    assert ServiceCriterion.objects.get(service=world.kindergarten).awaiting
    assert list(world.kindergarten.life_events.all()) == [birth]


def test_the_digital_office_accepts_the_claims_from_the_list_and_a_head_may_not(client, world):
    client.force_login(world.head_of_education)
    yes = {c.code: Answer.YES for c in first_level()}
    client.post(
        change_url(world.kindergarten),
        answering(world.kindergarten, yes, criteria_evidence_url=PROOF),
    )
    action = {"action": "accept_criteria_claims", "_selected_action": [world.kindergarten.pk]}
    client.post(CHANGELIST, action)  # a head is not offered it
    assert not CriterionReview.objects.exists()

    client.force_login(world.digital_office)
    listed = client.get(f"{CHANGELIST}?criteria_awaiting=true")
    assert [s.pk for s in listed.context["cl"].result_list] == [world.kindergarten.pk]
    client.post(CHANGELIST, action, follow=True)
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.level_verified == 1
    assert not client.get(f"{CHANGELIST}?criteria_awaiting=true").context["cl"].result_list


def test_rejecting_criteria_claims_needs_a_reason(client, world):
    client.force_login(world.head_of_education)
    yes = {c.code: Answer.YES for c in first_level()}
    client.post(
        change_url(world.kindergarten),
        answering(world.kindergarten, yes, criteria_evidence_url=PROOF),
    )
    client.force_login(world.digital_office)
    action = {"action": "reject_criteria_claims", "_selected_action": [world.kindergarten.pk]}
    client.post(CHANGELIST, action)
    assert not CriterionReview.objects.exists()
    client.post(CHANGELIST, {**action, "comment": "Страницы на eGov нет"})
    assert CriterionReview.objects.get().decision == CriterionReview.Decision.REJECTED
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.level == 0


def test_a_reader_sees_the_answers_as_a_table_and_cannot_post_them(client, world):
    client.force_login(world.governor)
    page = client.get(change_url(world.kindergarten), headers={"accept-language": "ru"})
    text = page.content.decode()
    assert 'id="service-criteria"' in text and 'name="criterion_info_online"' not in text
    assert first_level()[0].name_ru in text
    yes = {c.code: Answer.YES for c in first_level()}
    client.post(change_url(world.kindergarten), answering(world.kindergarten, yes))
    assert not ServiceCriterion.objects.exists()


def test_the_national_level_changes_a_criterion_and_every_level_follows(client, world):
    from services.criteria_writes import answer_criteria

    yes = {c.code: Answer.YES for c in Criterion.objects.filter(level__lte=2)}
    answer_criteria(world.kindergarten, answers=yes, by=world.digital_office)
    criterion = Criterion.objects.filter(level=2).first()
    url = reverse("admin:services_criterion_change", args=[criterion.pk])
    data = {
        "code": criterion.code,
        "level": 3,
        "group": criterion.group,
        "name_kk": criterion.name_kk,
        "name_ru": criterion.name_ru,
        "name_en": criterion.name_en,
        "order": criterion.order,
        "active": "on",
    }
    client.force_login(world.digital_office)  # a region's office reads the criteria only
    assert client.get(url).status_code == 200
    client.post(url, {**data, "level": 1})
    criterion.refresh_from_db()
    assert criterion.level == 2

    client.force_login(world.national_analyst)
    response = client.post(url, data)
    assert response.status_code == 302
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.level == 2  # still 2: the moved one is met, level 3's are not
    client.post(url, {**data, "active": ""})  # retired: level 2 is met by the others
    data["level"] = 1
    Criterion.objects.filter(pk=criterion.pk).update(active=True)
    client.post(url, {**data, "active": "on"})
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.level == 2
    assert (
        client.post(
            reverse("admin:services_criterion_delete", args=[criterion.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_a_head_may_read_the_criteria_but_not_change_them(client, world):
    client.force_login(world.head_of_education)
    assert client.get(reverse("admin:services_criterion_changelist")).status_code == 200
    assert client.get(reverse("admin:services_criterion_add")).status_code == 403
    client.force_login(world.outsider)
    assert client.get(reverse("admin:services_criterion_changelist")).status_code == 403
