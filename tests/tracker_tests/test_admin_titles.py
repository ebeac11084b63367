"""The admin's titles as sentences of their own: Russian and Kazakh put the model's name
in the case the sentence needs, never Django's nominative."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tracker.admin_titles import TITLES, TitledAdmin

pytestmark = pytest.mark.django_db

OURS = ("regions", "services", "reports", "tracker")


def page(client, name, *args, language):
    response = client.get(reverse(name, args=args), headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "choose", "add", "change"),
    [
        ("ru", "Выберите услугу для изменения", "Добавить услугу", "Изменить услугу"),
        ("kk", "Өзгерту үшін қызметті таңдаңыз", "Қызмет қосу", "Қызметті өзгерту"),
    ],
)
def test_the_service_pages_say_their_titles_in_the_right_case(
    client, world, language, choose, add, change
):
    client.force_login(world.superuser)
    listing = page(client, "admin:services_service_changelist", language=language)
    assert f"<title> {choose} |" in listing and f'title="{add}"' in listing
    assert "Выберите услуга" not in listing and "үщін" not in listing
    assert f"<title> {add} |" in page(client, "admin:services_service_add", language=language)
    changing = page(
        client, "admin:services_service_change", world.first_grade.pk, language=language
    )
    assert f"| {change} |" in changing and "Изменить услуга" not in changing


def test_who_may_only_read_is_asked_to_choose_one_to_view(client, world):
    client.force_login(world.governor)
    listing = page(client, "admin:services_service_changelist", language="ru")
    assert "<title> Выберите услугу для просмотра |" in listing
    viewing = page(client, "admin:services_service_change", world.first_grade.pk, language="ru")
    assert "| Просмотреть услугу |" in viewing


def test_an_animate_noun_takes_its_accusative_too(client, world):
    client.force_login(world.superuser)
    listing = page(client, "admin:regions_user_changelist", language="ru")
    assert "<title> Выберите пользователя для изменения |" in listing


@pytest.mark.parametrize(
    ("language", "button", "question"),
    [
        ("ru", "Удалить пользователя", "Вы уверены, что хотите удалить объект «{}»"),
        ("kk", "Пайдаланушыны жою", "Жойылатын нысан: пайдаланушы «{}»."),
    ],
)
def test_deleting_a_user_is_asked_in_the_right_case(client, world, language, button, question):
    # The button was unfold's "Delete" + the name ("Удалить пользователь"), the question
    # Django's ("удалить пользователь"): ours, and the corrected question, read right.
    client.force_login(world.superuser)
    user = world.outsider  # nothing of theirs forbids deleting them
    changing = page(client, "admin:regions_user_change", user.pk, language=language)
    assert button in changing and "Удалить пользователь" not in changing
    deleting = page(client, "admin:regions_user_delete", user.pk, language=language)
    assert question.format(user.get_username()) in deleting
    assert "удалить пользователь" not in deleting


def test_every_model_of_ours_in_the_admin_has_its_titles():
    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OURS
        and not (isinstance(model_admin, TitledAdmin) and model._meta.label_lower in TITLES)
    ]
    assert missing == []
