"""The admin, by HTTP, for every role: what each may open and change, and what is refused."""

import re
from datetime import date

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from regions.models import Department
from services import actions
from services.models import Channel, Service, Status, StatusChange, Usage
from tests.conftest import make_service

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:services_service_changelist")
ADD = reverse("admin:services_service_add")


def change_url(service):
    return reverse("admin:services_service_change", args=[service.pk])


def history_url(service):
    return reverse("admin:services_service_history", args=[service.pk])


def form_data(service, **overrides):
    """The change form as the browser would post it, unchanged unless overridden."""
    data = {
        "department": service.department_id,
        "register_code": service.register_code,
        "name_kk": service.name_kk,
        "name_ru": service.name_ru,
        "name_en": service.name_en,
        "sphere": service.sphere,
        "provider_level": service.provider_level,
        "status": service.status,
        "status_comment": "",
        "evidence_url": service.evidence_url,
        "blocker": service.blocker,
        "expected_version": service.version,
        "documents_required": service.documents_required or "",
        "term_days": service.term_days or "",
        "target_status": service.target_status,
        "target_date": service.target_date or "",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "status_changes-MIN_NUM_FORMS": "0",
        "status_changes-MAX_NUM_FORMS": "0",
    }
    for field in (
        "socially_significant",
        "channel_office",
        "channel_psc",
        "channel_egov",
        "channel_mgov",
        "channel_video",
    ):
        if getattr(service, field):
            data[field] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def listed(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    return {service.pk for service in response.context["cl"].result_list}


# --- what each role sees ------------------------------------------------------------------


def test_head_of_education_lists_only_education_services(client, world):
    client.force_login(world.head_of_education)
    assert listed(client) == {world.kindergarten.pk, world.first_grade.pk}


def test_governor_lists_the_whole_region_and_nothing_else(client, world):
    client.force_login(world.governor)
    assert listed(client) == {world.kindergarten.pk, world.first_grade.pk, world.seed_subsidy.pk}


def test_national_analyst_lists_every_region(client, world):
    client.force_login(world.national_analyst)
    assert world.almaty_kindergarten.pk in listed(client)


def test_a_user_without_membership_is_refused_the_list(client, world):
    client.force_login(world.outsider)
    assert client.get(CHANGELIST).status_code == 403


def test_head_cannot_open_another_departments_service(client, world):
    client.force_login(world.head_of_education)
    assert client.get(change_url(world.seed_subsidy)).status_code == 404
    assert client.get(history_url(world.seed_subsidy)).status_code == 404
    assert client.get(change_url(world.almaty_kindergarten)).status_code == 404


def test_head_cannot_change_another_departments_service_by_posting(client, world):
    client.force_login(world.head_of_education)
    response = client.post(
        change_url(world.seed_subsidy),
        form_data(world.seed_subsidy, status=Status.ELECTRONIC, status_comment="x"),
    )
    assert response.status_code == 404
    world.seed_subsidy.refresh_from_db()
    assert world.seed_subsidy.status == Status.PAPER


def test_the_department_filter_offers_only_visible_departments(client, world):
    client.force_login(world.head_of_education)
    response = client.get(CHANGELIST)
    body = response.content.decode()
    assert "Управление сельского хозяйства" not in body
    assert "Ауыл шаруашылығы басқармасы" not in body


# --- changing a status in the form -------------------------------------------------------


def test_head_changes_a_status_and_exactly_one_history_row_is_written(client, world):
    client.force_login(world.head_of_education)
    before = StatusChange.objects.count()
    response = client.post(
        change_url(world.kindergarten),
        form_data(
            world.kindergarten, status=Status.PARTIAL, status_comment="Приём заявлений через ИС ЦОН"
        ),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PARTIAL
    assert StatusChange.objects.count() == before + 1
    row = StatusChange.objects.latest()
    assert (row.service, row.changed_by, row.comment, row.old_status, row.new_status) == (
        world.kindergarten,
        world.head_of_education,
        "Приём заявлений через ИС ЦОН",
        Status.PAPER,
        Status.PARTIAL,
    )


def test_a_status_move_without_a_comment_is_refused(client, world):
    client.force_login(world.head_of_education)
    response = client.post(
        change_url(world.kindergarten), form_data(world.kindergarten, status=Status.PARTIAL)
    )
    assert response.status_code == 200
    assert "status_comment" in response.context["adminform"].form.errors
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PAPER


def test_editing_other_fields_needs_no_comment_and_writes_no_history(client, world):
    client.force_login(world.head_of_education)
    before = StatusChange.objects.count()
    response = client.post(
        change_url(world.kindergarten),
        form_data(world.kindergarten, blocker="Нет интеграции с ГБД"),
    )
    assert response.status_code == 302
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.blocker == "Нет интеграции с ГБД"
    assert world.kindergarten.version == 1
    assert StatusChange.objects.count() == before


def test_a_form_opened_before_someone_elses_save_is_refused(client, world):
    stale = form_data(world.kindergarten, blocker="Моя правка")
    client.force_login(world.digital_office)
    assert (
        client.post(
            change_url(world.kindergarten), form_data(world.kindergarten, blocker="Правка офиса")
        ).status_code
        == 302
    )
    client.force_login(world.head_of_education)
    response = client.post(change_url(world.kindergarten), stale)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [error.code for error in errors] == ["stale"]
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.blocker == "Правка офиса"


def test_digital_office_changes_any_service_of_its_region(client, world):
    client.force_login(world.digital_office)
    response = client.post(
        change_url(world.seed_subsidy),
        form_data(world.seed_subsidy, status=Status.ELECTRONIC, status_comment="Проверено"),
    )
    assert response.status_code == 302
    world.seed_subsidy.refresh_from_db()
    assert world.seed_subsidy.status == Status.ELECTRONIC


def test_digital_office_cannot_open_another_regions_service(client, world):
    client.force_login(world.digital_office)
    assert client.get(change_url(world.almaty_kindergarten)).status_code == 404


@pytest.mark.parametrize("actor", ["governor", "official", "national_analyst"])
def test_read_only_roles_see_the_service_but_cannot_change_it(client, world, actor):
    client.force_login(getattr(world, actor))
    page = client.get(change_url(world.kindergarten))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = client.post(
        change_url(world.kindergarten),
        form_data(world.kindergarten, status=Status.ELECTRONIC, status_comment="x"),
    )
    assert response.status_code == 403
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PAPER


@pytest.mark.parametrize("actor", ["governor", "official", "national_analyst", "outsider"])
def test_read_only_roles_cannot_add_services(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(ADD).status_code == 403


def test_head_adds_a_service_to_their_department_with_its_first_history_row(client, world):
    client.force_login(world.head_of_education)
    data = form_data(
        world.kindergarten,
        name_ru="Дополнительное образование",
        name_kk="",
        name_en="",
        expected_version="",
    )
    response = client.post(ADD, data)
    assert response.status_code == 302
    service = Service.objects.get(name_ru="Дополнительное образование")
    assert service.department == world.education
    assert [(r.old_status, r.new_status, r.changed_by) for r in service.status_changes.all()] == [
        ("", Status.PAPER, world.head_of_education)
    ]


def test_head_cannot_add_a_service_to_another_department(client, world):
    client.force_login(world.head_of_education)
    data = form_data(world.seed_subsidy, name_ru="Чужая услуга", expected_version="")
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "department" in response.context["adminform"].form.errors
    assert not Service.objects.filter(name_ru="Чужая услуга").exists()


def test_the_service_page_leads_with_status_and_its_whole_history_in_the_readers_language(
    client, world
):
    actions.set_status(
        world.kindergarten,
        status=Status.PARTIAL,
        by=world.digital_office,
        comment="Заявления принимаются через ИС ЦОН",
    )
    actions.update_service(
        world.kindergarten,
        by=world.head_of_education,
        changes={"blocker": "Нет доступа к ГБД ФЛ"},
        expected_version=1,
    )
    client.force_login(world.head_of_education)
    page = client.get(change_url(world.kindergarten), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    status, history, names = (
        page.index('name="status"'),
        page.index('id="service-history"'),
        page.index('name="name_ru"'),
    )
    assert status < history < names  # the status first, then its history, then the rest
    table = page[history : page.index("</table>", history)]
    assert "Заявления принимаются через ИС ЦОН" in table
    assert "Нет доступа к ГБД ФЛ" in table
    assert "частично автоматизированная" in table
    assert "blocker" not in table and "status_change" not in table  # no field names


def test_the_history_button_shows_every_change_not_djangos_change_log(client, world):
    actions.update_service(
        world.kindergarten,
        by=world.head_of_education,
        changes={"term_days": 3},
        expected_version=0,
    )
    client.force_login(world.head_of_education)
    url = reverse("admin:services_service_history", args=[world.kindergarten.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    table = page[page.index('id="service-history"') :]
    assert "срок оказания (дней)" in table
    assert '→ <span class="font-medium">3</span>' in table
    assert "update through import_export" not in page
    # another department's head gets nothing of it
    client.force_login(world.head_of_agriculture)
    assert client.get(url).status_code in (302, 404)


def test_nobody_deletes_a_service_in_the_admin_not_even_the_superuser(client, world):
    client.force_login(world.superuser)
    url = reverse("admin:services_service_delete", args=[world.kindergarten.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Service.objects.filter(pk=world.kindergarten.pk).exists()


# --- history is read-only in the admin, for everyone -------------------------------------


def test_superuser_cannot_add_change_or_delete_history_in_the_admin(client, world):
    client.force_login(world.superuser)
    row = StatusChange.objects.filter(service=world.kindergarten).get()
    assert client.get(reverse("admin:services_statuschange_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:services_statuschange_change", args=[row.pk]), {"comment": "rewritten"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:services_statuschange_delete", args=[row.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    row.refresh_from_db()
    assert row.comment != "rewritten"


def test_history_list_is_scoped_like_services(client, world):
    client.force_login(world.head_of_education)
    response = client.get(reverse("admin:services_statuschange_changelist"))
    services = {row.service_id for row in response.context["cl"].result_list}
    assert services == {world.kindergarten.pk, world.first_grade.pk}


# --- the bulk action ------------------------------------------------------------------------


def run_action(client, action, services, **extra):
    data = {"action": action, "_selected_action": [s.pk for s in services], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_bulk_set_status_writes_one_history_row_per_service(client, world):
    extra = make_service(world.education, "Выдача дубликата аттестата", by=world.head_of_education)
    client.force_login(world.head_of_education)
    before = StatusChange.objects.count()
    response = run_action(
        client,
        "set_status_of_selected",
        [world.kindergarten, extra],
        status=Status.ELECTRONIC,
        comment="Подключено к eGov",
    )
    assert response.status_code == 200
    assert StatusChange.objects.count() == before + 2
    for service in (world.kindergarten, extra):
        service.refresh_from_db()
        assert service.status == Status.ELECTRONIC
        assert service.status_changes.latest().comment == "Подключено к eGov"


def test_bulk_set_status_without_a_comment_changes_nothing(client, world):
    client.force_login(world.head_of_education)
    run_action(client, "set_status_of_selected", [world.kindergarten], status=Status.ELECTRONIC)
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PAPER


def test_bulk_set_status_cannot_reach_services_outside_the_users_list(client, world):
    client.force_login(world.head_of_education)
    run_action(
        client,
        "set_status_of_selected",
        [world.kindergarten, world.seed_subsidy],
        status=Status.ELECTRONIC,
        comment="x",
    )
    world.seed_subsidy.refresh_from_db()
    assert world.seed_subsidy.status == Status.PAPER


def test_governor_cannot_run_the_bulk_action(client, world):
    client.force_login(world.governor)
    run_action(
        client,
        "set_status_of_selected",
        [world.kindergarten],
        status=Status.ELECTRONIC,
        comment="x",
    )
    world.kindergarten.refresh_from_db()
    assert world.kindergarten.status == Status.PAPER


# --- the changelist does not grow with the data ---------------------------------------------


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_changelist_query_count_stays_flat_from_10_to_500_services(client, world):
    client.force_login(world.digital_office)

    def fill_to(total):
        missing = total - Service.objects.count()
        Service.objects.bulk_create(
            Service(
                department=world.agriculture if n % 2 else world.education,
                name_ru=f"Услуга {total}-{n}",
                status=Status.values[n % 4],
                target_status=Status.PROACTIVE if n % 3 == 0 else "",
                target_date="2020-01-01" if n % 3 == 0 else None,
            )
            for n in range(missing)
        )

    fill_to(10)
    at_10 = changelist_queries(client)
    fill_to(500)
    at_500 = changelist_queries(client)
    assert at_500 == at_10
    assert at_500 <= 15


# --- search ---------------------------------------------------------------------------------


def test_search_finds_services_by_any_language_name_and_by_register_code(client, world):
    make_service(
        world.agriculture,
        "Выдача ветеринарной справки",
        by=world.digital_office,
        name_kk="Ветеринариялық анықтама беру",
        register_code="70101001",
    )
    client.force_login(world.digital_office)

    def found(term):
        response = client.get(CHANGELIST, {"q": term})
        return {s.name_ru for s in response.context["cl"].queryset}

    assert found("Субсидирование") == {"Субсидирование семян"}
    assert found("субсидирование СЕМЯН") == {"Субсидирование семян"}  # any case, any script
    assert found("анықтама") == {"Выдача ветеринарной справки"}
    assert found("70101001") == {"Выдача ветеринарной справки"}


def test_search_never_reaches_beyond_the_users_scope(client, world):
    client.force_login(world.head_of_education)
    response = client.get(CHANGELIST, {"q": "Субсидирование"})
    assert list(response.context["cl"].queryset) == []


# --- the reader's language -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "paper", "refusal", "department"),
    [
        ("kk", "қағаз түрінде", "Мәртебенің өзгеру себебін көрсетіңіз.", "Білім басқармасы"),
        ("ru", "бумажная", "Укажите причину изменения статуса.", "Управление образования"),
        ("en", "paper", "Say why the status changes.", "Education Department"),
    ],
)
def test_the_admin_answers_in_the_readers_language(
    client, world, language, paper, refusal, department
):
    client.force_login(world.head_of_education)
    headers = {"accept-language": language}
    page = client.get(change_url(world.kindergarten), headers=headers).content.decode()
    assert paper in page
    assert department in page
    response = client.post(
        change_url(world.kindergarten),
        form_data(world.kindergarten, status=Status.PARTIAL),
        headers=headers,
    )
    assert response.context["adminform"].form.errors["status_comment"] == [refusal]


def department_choices(client, **parameters):
    response = client.get(CHANGELIST, parameters)
    specs = response.context["cl"].filter_specs
    return {
        pk
        for spec in specs
        if getattr(spec, "parameter_name", "") == "department"
        for pk, _ in spec.lookup_choices
    }


def test_the_department_filter_offers_only_departments_the_user_sees(client, world):
    client.force_login(world.head_of_education)
    assert department_choices(client) == set()  # one department: nothing to choose

    client.force_login(world.digital_office)
    region = world.education.region
    offered = department_choices(client)
    assert offered == set(Department.objects.filter(region=region).values_list("pk", flat=True))
    assert Department.objects.exclude(region=region).exists()  # others exist, not offered


def test_someone_who_sees_every_region_picks_the_region_before_its_departments(client, world):
    client.force_login(world.superuser)
    assert department_choices(client) == set()  # no 600 links: choose a region first

    region = world.education.region
    offered = department_choices(client, region=region.code)
    assert offered == set(Department.objects.filter(region=region).values_list("pk", flat=True))


# --- usage rows -----------------------------------------------------------------------------


def usage_url(row):
    return reverse("admin:services_usage_change", args=[row.pk])


def usage_data(row, **overrides):
    return {
        "service": row.service_id,
        "month": row.month.isoformat(),
        "channel": row.channel,
        "count": row.count,
        **overrides,
    }


@pytest.fixture
def kindergarten_usage(world):
    return Usage.objects.create(
        service=world.kindergarten, month=date(2026, 1, 1), channel=Channel.EGOV, count=7
    )


@pytest.mark.parametrize(
    ("actor", "target"),
    [("head_of_education", "seed_subsidy"), ("digital_office", "almaty_kindergarten")],
)
def test_a_usage_row_cannot_be_moved_into_a_service_outside_the_editors_reach(
    client, world, kindergarten_usage, actor, target
):
    client.force_login(getattr(world, actor))
    foreign = getattr(world, target)
    response = client.post(
        usage_url(kindergarten_usage), usage_data(kindergarten_usage, service=foreign.pk)
    )
    assert response.status_code == 200
    assert "service" in response.context["adminform"].form.errors
    # The refused id is shown bare: no name of, or link to, the other department's service.
    assert change_url(foreign) not in response.content.decode()
    kindergarten_usage.refresh_from_db()
    assert kindergarten_usage.service == world.kindergarten


def test_a_head_moves_a_usage_row_between_their_own_services(client, world, kindergarten_usage):
    client.force_login(world.head_of_education)
    response = client.post(
        usage_url(kindergarten_usage),
        usage_data(kindergarten_usage, service=world.first_grade.pk),
    )
    assert response.status_code == 302
    kindergarten_usage.refresh_from_db()
    assert kindergarten_usage.service == world.first_grade


def test_saving_a_usage_row_under_a_foreign_service_is_refused_even_past_the_form(
    rf, world, kindergarten_usage
):
    request = rf.post("/")
    request.user = world.head_of_education
    kindergarten_usage.service = world.seed_subsidy
    with pytest.raises(PermissionDenied):
        admin.site._registry[Usage].save_model(request, kindergarten_usage, None, True)
    kindergarten_usage.refresh_from_db()
    assert kindergarten_usage.service == world.kindergarten


def service_page_queries(client, service):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(change_url(service)).status_code == 200
    return len(queries)


def test_a_service_pages_queries_do_not_grow_with_its_usage_rows(client, world):
    from datetime import date

    client.force_login(world.head_of_education)
    service = world.kindergarten

    def months(count):
        Usage.objects.filter(service=service).delete()
        Usage.objects.bulk_create(
            Usage(
                service=service, month=date(2024 + n // 12, n % 12 + 1, 1), channel="psc", count=5
            )
            for n in range(count)
        )

    months(2)
    service_page_queries(client, service)  # warm: what a first load reads once
    few = service_page_queries(client, service)
    months(24)
    assert service_page_queries(client, service) == few


# --- a service's department ---------------------------------------------------------------


def test_a_service_page_offers_only_the_departments_of_its_own_region(client, world):
    client.force_login(world.superuser)
    service = world.kindergarten
    offered = client.get(change_url(service)).context["adminform"].form.fields["department"]
    assert set(offered.queryset) == set(Department.objects.filter(region=world.zhambyl))
    assert world.almaty_education not in offered.queryset


def test_the_department_select_shows_the_region_its_choice_marked_and_names_escaped(client, world):
    Department.objects.filter(pk=world.agriculture.pk).update(name_ru="Сельское <хозяйство>")
    client.force_login(world.superuser)
    page = client.get(change_url(world.kindergarten), HTTP_ACCEPT_LANGUAGE="ru")
    select = re.search(
        r'<select name="department"[^>]*>(.*?)</select>', page.content.decode(), re.S
    ).group(1)
    options = re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', select)
    offered = {int(value) for value, _selected, _label in options if value}
    assert offered == set(
        Department.objects.filter(region=world.zhambyl).values_list("pk", flat=True)
    )
    assert [int(v) for v, selected, _ in options if selected] == [world.education.pk]
    assert "Сельское &lt;хозяйство&gt;" in select


def test_moving_a_service_to_another_regions_department_is_refused(client, world):
    client.force_login(world.superuser)
    service = world.kindergarten
    response = client.post(
        change_url(service), form_data(service, department=world.almaty_education.pk)
    )
    assert response.status_code == 200  # the form again, saying why
    assert "department" in response.context["adminform"].form.errors
    service.refresh_from_db()
    assert service.department == world.education
    assert not service.history.filter(kind="moved").exists()


def typed_department_choices(client, region, term=""):
    """What the service page's typed department choice offers (the admin's autocomplete)."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "services",
            "model_name": "service",
            "field_name": "department",
            "region": region.pk,
            "term": term,
        },
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


def test_a_region_of_many_departments_offers_them_by_typing(client, world, monkeypatch):
    # a region larger than a select is worth (at ten times the country, 300 departments)
    monkeypatch.setattr(admin.site.get_model_admin(Service), "departments_in_a_select", 1)
    client.force_login(world.superuser)
    page = client.get(change_url(world.kindergarten)).content.decode()
    select = re.search(r'<select name="department"[^>]*>(.*?)</select>', page, re.S)
    assert "admin-autocomplete" in select.group(0)
    assert f"region={world.zhambyl.pk}" in select.group(0)
    # only the department it is in is written into the page
    assert re.findall(r'<option value="(\d+)"', select.group(1)) == [str(world.education.pk)]

    offered = typed_department_choices(client, world.zhambyl)
    assert offered == set(
        Department.objects.filter(region=world.zhambyl).values_list("pk", flat=True)
    )
    assert world.almaty_education.pk not in offered
    assert typed_department_choices(client, world.zhambyl, "сельск") == {world.agriculture.pk}


def test_the_typed_choice_speaks_the_readers_language(client, world, monkeypatch):
    monkeypatch.setattr(admin.site.get_model_admin(Service), "departments_in_a_select", 1)
    client.force_login(world.superuser)
    page = client.get(change_url(world.kindergarten), HTTP_ACCEPT_LANGUAGE="kk")
    words_url = reverse("choice_words", kwargs={"language": "kk"})
    assert f'src="{words_url}"' in page.content.decode()
    assert 'lang="kk"' in page.content.decode()
    words = client.get(words_url).content.decode()
    assert 'define("select2/i18n/kk"' in words
    assert "Nothing matches." not in words and "Searching" not in words  # Kazakh, not English
    with translation.override("kk"):
        assert translation.gettext("Nothing matches.") in words
    assert client.get(reverse("choice_words", kwargs={"language": "xx"})).status_code == 404


def test_the_typed_department_choice_offers_only_departments_the_user_may_change(client, world):
    client.force_login(world.head_of_education)
    assert typed_department_choices(client, world.zhambyl) == {world.education.pk}
    # another region's number in the address shows nothing of that region
    assert typed_department_choices(client, world.almaty_education.region) == set()


def test_the_typed_department_choice_tells_an_outsider_nothing(client, world):
    client.force_login(world.outsider)  # staff, but no membership anywhere
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "services", "model_name": "service", "field_name": "department"},
    )
    assert response.status_code == 403
    assert world.education.name_ru not in response.content.decode()


def test_a_service_moves_to_a_typed_department_of_its_region_and_no_further(
    client, world, monkeypatch
):
    monkeypatch.setattr(admin.site.get_model_admin(Service), "departments_in_a_select", 1)
    client.force_login(world.superuser)
    service = world.kindergarten
    refused = client.post(
        change_url(service), form_data(service, department=world.almaty_education.pk)
    )
    assert "department" in refused.context["adminform"].form.errors
    moved = client.post(change_url(service), form_data(service, department=world.agriculture.pk))
    assert moved.status_code == 302
    service.refresh_from_db()
    assert service.department == world.agriculture


def test_a_service_page_links_to_its_monthly_deliveries_instead_of_listing_them(
    client, world, kindergarten_usage
):
    Usage.objects.create(
        service=world.kindergarten, month=date(2026, 2, 1), channel=Channel.PSC, count=3
    )
    client.force_login(world.head_of_education)
    page = client.get(change_url(world.kindergarten)).content.decode()
    assert "usage-TOTAL_FORMS" not in page  # no table of rows on the page itself
    listed = reverse("admin:services_usage_changelist") + (
        f"?service__id__exact={world.kindergarten.pk}"
    )
    assert listed in page
    assert "2 көрсеткіш жазылған" in page  # "2 figures recorded", in the head's Kazakh
    assert client.get(listed).context["cl"].result_count == 2  # the link lands on those two
