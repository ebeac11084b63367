"""The digital office sets its oblast up from the files it already has, in Chromium:
departments from the budget list, then the service list with a provider nobody knew."""

import pytest
from playwright.sync_api import expect

from regions.models import Department, DepartmentAlias, ProviderLevel
from services.models import Service, Status
from tests.services_tests.spreadsheet_files import xlsx

from .conftest import LANGUAGES

pytestmark = pytest.mark.usefixtures("demo")

BUDGET_LIST = [
    ["Администраторы бюджетных программ Жамбылской области"],
    ["Код", "Наименование", ""],
    ["", "на русском языке", "на казахском языке"],
    [
        "273",
        "Управление энергетики и жилищно-коммунального хозяйства акимата Жамбылской области",
        "Жамбыл облысы әкімдігінің энергетика және тұрғын үй-коммуналдық шаруашылық басқармасы",
    ],
    ["274", "Управление по делам религий акимата Жамбылской области", ""],
]

SERVICE_LIST = [
    ["Перечень государственных услуг местных исполнительных органов Жамбылской области"],
    [
        "№",
        "Наименование государственной услуги",
        "",
        "Услугодатель",
        "Способ обращения",
        "Форма оказания",
        "Срок оказания",
    ],
    ["", "на русском языке", "на казахском языке", "", "", "", ""],
    [
        "1",
        "Выдача разрешения на вырубку деревьев",
        "Ағаштарды кесуге рұқсат беру",
        "ЖКХ",
        "egov.kz\nЦОН",
        "электронная (частично автоматизированная) и (или) бумажная",
        "до 10 рабочих дней",
    ],
    [
        "2",
        "Регистрация религиозных миссионеров",
        "Діни миссионерлерді тіркеу",
        "УДР",
        "канцелярия услугодателя",
        "бумажная",
        "30 календарных дней",
    ],
    [
        "3",
        "Регистрация смерти",
        "Қайтыс болуды тіркеу",
        "отделы ЗАГС районов",
        "ЦОН\nпортал",
        "эл./бум.",
        "в день обращения",
    ],
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_digital_office_sets_the_region_up_from_its_files(visit, demo, language, tmp_path):
    office = visit(language)
    page = office.page
    budget, services = tmp_path / "budget.xlsx", tmp_path / "перечень.xlsx"
    budget.write_bytes(xlsx(BUDGET_LIST, merges=("B2:C2",)))
    services.write_bytes(xlsx(SERVICE_LIST, merges=("B2:C2",)))
    office.log_in("digital", demo)

    # 1. The budget list: two departments, one named in Russian only.
    page.goto("/admin/regions/department/import/")
    page.set_input_files("input[name=import_file]", budget)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    office.assert_no_english()
    office.shot("departments-preview")
    page.get_by_role("button", name=office.say("Confirm import")).click()
    page.wait_for_load_state()
    office.assert_no_english()
    office.shot("departments-imported")
    religion = Department.objects.get(code="274")
    assert religion.translation_missing and religion.name_kk == ""
    page.goto("/admin/regions/department/?translation_missing=yes")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text(office.name_of(religion))
    office.shot("translation-missing")

    # 2. The service list: "ЖКХ" and "УДР" are found, "отделы ЗАГС районов" is asked.
    education = Department.objects.get(code="EDU")
    page.goto("/admin/services/service/import/")
    page.select_option("select[name=department]", str(education.pk))
    page.set_input_files("input[name=import_file]", services)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    expect(page.locator("#unknown-providers")).to_contain_text("отделы ЗАГС районов")
    expect(page.locator("#refused-rows tbody tr")).to_have_count(1)
    expect(page.get_by_role("button", name=office.say("Confirm import"))).to_have_count(0)
    office.assert_no_english()
    office.shot("unknown-provider")

    page.select_option("select[name=map-0-department]", str(education.pk))
    page.get_by_role("button", name=office.say("Remember and check the file again")).click()
    page.wait_for_load_state()
    expect(page.locator("#row-changes tbody tr")).to_have_count(3)
    office.assert_no_english()
    office.shot("preview")
    assert not Service.objects.filter(name_ru="Регистрация смерти").exists()

    page.get_by_role("button", name=office.say("Confirm import")).click()
    page.wait_for_load_state()
    office.assert_no_english()
    office.shot("imported")
    trees = Service.objects.get(name_ru="Выдача разрешения на вырубку деревьев")
    assert (trees.department.code, trees.status, trees.term_days) == ("273", Status.PARTIAL, 10)
    assert (trees.channel_egov, trees.channel_psc, trees.name_kk) == (
        True,
        True,
        "Ағаштарды кесуге рұқсат беру",
    )
    assert Service.objects.get(name_ru="Регистрация религиозных миссионеров").department == religion
    death = Service.objects.get(name_ru="Регистрация смерти")
    assert (death.department, death.provider_level) == (education, ProviderLevel.DISTRICT)
    assert DepartmentAlias.objects.get(label="отделы ЗАГС районов").department == education
