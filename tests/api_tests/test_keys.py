"""With a key, a user reads what they see in the admin (regions.access), besides what is
published; keys are made in the admin, shown once, and kept only as their hash."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from regions.access import scope_for
from regions.models import Region
from reports.build import build_region_report
from reports.models import ReportSnapshot
from services.models import Service
from tests.api_tests.conftest import key_for, publish, with_key
from tracker.api.models import ApiToken, digest_of

pytestmark = pytest.mark.django_db

ROLES = [
    "head_of_education",
    "head_of_agriculture",
    "head_in_almaty",
    "digital_office",
    "governor",
    "official",
    "department_official",
    "national_analyst",
    "superuser",
    "outsider",
]


def service_ids(client) -> set[int]:
    page = client.get("/api/v1/services/", {"page_size": 1000}).json()
    assert page["next"] is None
    return {row["id"] for row in page["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_a_key_reads_the_services_its_user_sees_in_the_admin(world, role):
    user = getattr(world, role)
    client = with_key(key_for(user))
    assert service_ids(client) == set(
        Service.objects.for_user(user).in_register().values_list("pk", flat=True)
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_key_reads_published_regions_besides_its_users_own(world, role):
    publish(world.almaty_region)
    user = getattr(world, role)
    seen = Service.objects.for_user(user) | Service.objects.filter(
        department__region=world.almaty_region
    )
    assert service_ids(with_key(key_for(user))) == set(seen.values_list("pk", flat=True))


@pytest.mark.parametrize("role", ROLES)
def test_a_key_reads_the_departments_regions_and_figures_its_user_sees(world, role):
    user = getattr(world, role)
    build_region_report(world.zhambyl, as_of=timezone.localdate())
    build_region_report(world.almaty_region, as_of=timezone.localdate())
    client = with_key(key_for(user))
    scope = scope_for(user)

    def found(url, key):
        return {row[key] for row in client.get(url, {"page_size": 1000}).json()["results"]}

    from regions.models import Department

    assert found("/api/v1/departments/", "id") == set(
        Department.objects.for_user(user).values_list("pk", flat=True)
    )
    assert found("/api/v1/regions/", "code") == set(
        scope.filter_regions(Region.objects.all()).values_list("code", flat=True)
    )
    readable = ReportSnapshot.objects.for_user(user).values_list("region__code", flat=True)
    assert found("/api/v1/figures/regions/", "region") == set(readable)


def test_a_head_reads_their_unpublished_services_one_by_one(world):
    client = with_key(key_for(world.head_of_education))
    assert client.get(f"/api/v1/services/{world.kindergarten.pk}/").status_code == 200
    assert client.get(f"/api/v1/services/{world.seed_subsidy.pk}/").status_code == 404


def test_a_wrong_revoked_or_inactive_users_key_is_refused(world, api):
    key = key_for(world.governor)
    assert with_key(key + "x").get("/api/v1/regions/").status_code == 401
    world.governor.is_active = False
    world.governor.save()
    assert with_key(key).get("/api/v1/regions/").status_code == 401
    world.governor.is_active = True
    world.governor.save()
    assert with_key(key).get("/api/v1/regions/").status_code == 200
    ApiToken.objects.filter(user=world.governor).delete()
    response = with_key(key).get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 401
    assert "API" in response.json()["detail"]


def test_only_the_keys_hash_is_kept_and_its_use_is_noted_once_a_day(world):
    key = key_for(world.governor)
    token = ApiToken.objects.get(user=world.governor)
    assert key not in {token.prefix, token.digest, token.name} and token.digest == digest_of(key)
    assert token.last_used_on is None
    with_key(key).get("/api/v1/regions/")
    token.refresh_from_db()
    assert token.last_used_on == timezone.localdate()


# --- keys in the admin -------------------------------------------------------------------

ADD = reverse("admin:tracker_apitoken_add")
LIST = reverse("admin:tracker_apitoken_changelist")


def shown_key(response) -> str:
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    found = [re.search(r"<code>([^<]+)</code>", text) for text in texts]
    keys = [match.group(1) for match in found if match]
    assert len(keys) == 1, texts
    return keys[0]


def test_a_user_makes_a_key_for_themselves_and_sees_it_once(client, world):
    client.force_login(world.governor)
    response = client.post(ADD, {"name": "Дашборд", "user": world.superuser.pk})
    assert response.status_code == 302
    key = shown_key(response)
    token = ApiToken.objects.get()
    assert (token.user, token.created_by) == (world.governor, world.governor)
    assert with_key(key).get("/api/v1/regions/KZ-31/").status_code == 200
    assert key in client.get(LIST).content.decode()  # the message, on the next page
    # Never again: the list and the key's page show its first characters only.
    for url in (LIST, reverse("admin:tracker_apitoken_change", args=[token.pk])):
        page = client.get(url).content.decode()
        assert token.prefix in page and key not in page


def test_a_superuser_makes_a_key_for_anyone(client, world):
    client.force_login(world.superuser)
    response = client.post(ADD, {"name": "Министерство", "user": world.national_analyst.pk})
    key = shown_key(response)
    assert ApiToken.objects.get().user == world.national_analyst
    assert with_key(key).get("/api/v1/regions/KZ-19/").status_code == 200


def test_a_user_sees_and_revokes_their_own_keys_only(client, world):
    key_for(world.governor, name="свой")
    theirs = ApiToken.objects.get(pk=ApiToken.objects.create(
        user=world.digital_office, name="чужой", prefix="abc", digest="0" * 64
    ).pk)  # fmt: skip
    client.force_login(world.governor)
    listed = client.get(LIST).context["cl"].queryset
    assert [token.name for token in listed] == ["свой"]
    assert client.get(reverse("admin:tracker_apitoken_change", args=[theirs.pk])).status_code in (
        302,
        404,
    )
    client.post(reverse("admin:tracker_apitoken_delete", args=[theirs.pk]), {"post": "yes"})
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    mine = ApiToken.objects.get(name="свой")
    client.post(reverse("admin:tracker_apitoken_delete", args=[mine.pk]), {"post": "yes"})
    assert not ApiToken.objects.filter(pk=mine.pk).exists()


def test_a_user_who_sees_nothing_makes_no_key_of_their_own(client, world):
    client.force_login(world.outsider)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()
