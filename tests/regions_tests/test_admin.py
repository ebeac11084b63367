"""Regions, departments, users and memberships in the admin."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_superuser_manages_users_and_their_memberships(client, world):
    client.force_login(world.superuser)
    url = reverse("admin:regions_user_change", args=[world.head_of_education.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "memberships-TOTAL_FORMS" in page.content.decode()


@pytest.mark.parametrize(
    "actor", ["head_of_education", "digital_office", "governor", "national_analyst"]
)
def test_only_the_superuser_opens_user_accounts(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("admin:regions_user_changelist")).status_code == 403
    url = reverse("admin:regions_user_change", args=[world.head_of_education.pk])
    assert client.get(url).status_code == 403


def test_a_head_reads_their_department_but_cannot_rename_it(client, world):
    client.force_login(world.head_of_education)
    url = reverse("admin:regions_department_change", args=[world.education.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = client.post(
        url, {"region": world.zhambyl.pk, "code": "HACK", "name_kk": "x", "name_ru": "x"}
    )
    assert response.status_code == 403
    world.education.refresh_from_db()
    assert world.education.code == "EDU"


def test_a_head_cannot_open_another_regions_department(client, world):
    client.force_login(world.head_of_education)
    url = reverse("admin:regions_department_change", args=[world.almaty_education.pk])
    assert client.get(url).status_code == 404


def test_regions_are_listed_only_where_the_user_has_a_place(client, world):
    client.force_login(world.governor)
    response = client.get(reverse("admin:regions_region_changelist"))
    assert set(response.context["cl"].queryset) == {world.zhambyl}
    client.force_login(world.national_analyst)
    response = client.get(reverse("admin:regions_region_changelist"))
    assert set(response.context["cl"].queryset) == {world.zhambyl, world.almaty_region}


def test_a_user_without_membership_sees_an_empty_admin(client, world):
    client.force_login(world.outsider)
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert page.context["app_list"] == []
