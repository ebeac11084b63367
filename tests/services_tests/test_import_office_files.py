"""A real oblast's service list as its office keeps it: a title naming the oblast, a
header merged over two rows, providers written every way offices write them, statutory
form wordings, terms in words, several channels in one cell, paid or free — and the same
list saved as CSV in each encoding Excel offers."""

import io

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext

from regions.models import Department, DepartmentAlias, ProviderLevel
from services.models import Service, Status
from services.spreadsheets.importer import import_services
from services.spreadsheets.providers import remember_alias
from services.spreadsheets.table import map_header
from tests.services_tests.spreadsheet_files import csv_file, xlsx

pytestmark = pytest.mark.django_db

TITLE = (
    "Перечень государственных услуг, оказываемых местными исполнительными органами "
    "Жамбылской области"
)
UPPER = [
    "№",
    "Код",
    "Наименование государственной услуги",
    "",
    "Услугодатель",
    "Способ обращения",
    "Форма оказания",
    "Срок оказания",
    "Платность",
]
LOWER = ["", "", "на русском языке", "на казахском языке", "", "", "", "", ""]
ROWS = [
    ["1. Образование", "", "", "", "", "", "", "", ""],
    [
        "1",
        "00501001",
        "Выдача справок по опеке и попечительству",
        "Қорғаншылық және қамқоршылық жөнінде анықтама беру",
        "ГУ «Управление образования области»",
        "веб-портал «электронного правительства» www.egov.kz\n"
        "Госкорпорация «Правительство для граждан»",
        "электронная (частично автоматизированная) и (или) бумажная",
        "до 15 рабочих дней",
        "бесплатно",
    ],
    [
        "2",
        "",
        "Назначение пособия на рождение",
        "Бала тууға байланысты жәрдемақы тағайындау",
        "УКЗиСП",
        "ЦОН, egov.kz",
        "эл./бум.",
        "в день обращения",
        "-",
    ],
    [
        "3",
        "",
        "Выдача архитектурно-планировочного задания",
        "Сәулет-жоспарлау тапсырмасын беру",
        "УАиГ",
        "e-license",
        "Электронная, бумажная",
        "15 раб. дней",
        "платно",
    ],
    [
        "4",
        "",
        "Регистрация рождения ребенка",
        "Баланың тууын тіркеу",
        "отделы образования районов",
        "услугодатель\nаким сельского округа",
        "эл. (частично автомат.)",
        "2 часа",
        "н/д",
    ],
    [
        "5",
        "",
        "Выдача разрешения на снос зеленых насаждений",
        "Жасыл екпелерді кесуге рұқсат беру",
        "ЖКХ",
        "канцелярия услугодателя",
        "бумажная",
        "уточнить",
        "0,5 МРП",
    ],
    ["Итого: 5 услуг", "", "", "", "", "", "", "", ""],
]


@pytest.fixture
def oblast(world):
    """The departments of the budget list, named as the budget decision names them."""
    world.education.name_ru = "Управление образования акимата Жамбылской области"
    world.education.save()
    Department.objects.create(
        region=world.zhambyl,
        code="256",
        name_ru="Управление координации занятости и социальных программ акимата Жамбылской области",
        name_kk="Жамбыл облысы әкімдігінің жұмыспен қамтуды үйлестіру және әлеуметтік "
        "бағдарламалар басқармасы",
    )
    Department.objects.create(
        region=world.zhambyl,
        code="265",
        name_ru="Управление архитектуры и градостроительства акимата Жамбылской области",
    )
    Department.objects.create(
        region=world.zhambyl,
        code="273",
        name_kk="Жамбыл облысы әкімдігінің энергетика және тұрғын үй-коммуналдық "
        "шаруашылық басқармасы",
        name_ru="Управление энергетики и жилищно-коммунального хозяйства акимата "
        "Жамбылской области",
    )
    return world


def office_xlsx():
    return xlsx(
        [[TITLE], [], UPPER, LOWER, *ROWS],
        merges=(
            "A1:I1",
            "C3:D3",
            "A3:A4",
            "B3:B4",
            "E3:E4",
            "F3:F4",
            "G3:G4",
            "H3:H4",
            "I3:I4",
            "A5:I5",
        ),
    )


def run(world, data, name="перечень.xlsx", *, user=None, department=None, dry_run=False):
    return import_services(
        data,
        name,
        department=department or world.education,
        user=user or world.digital_office,
        dry_run=dry_run,
    )


def by_ru(name):
    return Service.objects.select_related("department").get(name_ru=name)


def test_the_office_list_lands_whole_on_the_first_pass(oblast):
    outcome = run(oblast, office_xlsx())
    assert outcome.problems == [] and outcome.created == 5

    custody = by_ru("Выдача справок по опеке и попечительству")
    assert custody.department == oblast.education
    assert custody.name_kk == "Қорғаншылық және қамқоршылық жөнінде анықтама беру"
    assert custody.register_code == "00501001"
    assert custody.status == Status.PARTIAL
    assert (custody.channel_egov, custody.channel_psc, custody.channel_office) == (
        True,
        True,
        False,
    )
    assert (custody.term_days, custody.term_working_days, custody.paid) == (15, True, False)

    allowance = by_ru("Назначение пособия на рождение")
    assert allowance.department.code == "256"
    assert allowance.status == Status.ELECTRONIC
    assert (allowance.channel_psc, allowance.channel_egov, allowance.channel_office) == (
        True,
        True,
        False,
    )
    assert (allowance.term_days, allowance.paid) == (0, None)

    planning = by_ru("Выдача архитектурно-планировочного задания")
    assert planning.department.code == "265"
    assert (planning.status, planning.channel_elicense, planning.paid) == (
        Status.ELECTRONIC,
        True,
        True,
    )

    birth = by_ru("Регистрация рождения ребенка")
    assert birth.department == oblast.education
    assert birth.provider_level == ProviderLevel.DISTRICT
    assert (birth.channel_office, birth.channel_akim) == (True, True)
    assert (birth.status, birth.term_days, birth.term_hours) == (Status.PARTIAL, 0, 2)

    trees = by_ru("Выдача разрешения на снос зеленых насаждений")
    assert trees.department.code == "273"
    assert (trees.status, trees.term_days, trees.paid) == (Status.PAPER, None, True)
    assert not Service.objects.filter(name_ru__startswith="на русском").exists()
    assert not Service.objects.filter(name_ru__startswith="Итого").exists()


def test_the_same_list_as_csv_with_the_merged_header_left_blank_lands_the_same(oblast):
    data = csv_file([[TITLE], UPPER, LOWER, *ROWS], encoding="utf-8-sig")
    outcome = run(oblast, data, "перечень.csv")
    assert outcome.problems == [] and outcome.created == 5
    custody = by_ru("Выдача справок по опеке и попечительству")
    assert custody.name_kk == "Қорғаншылық және қамқоршылық жөнінде анықтама беру"
    assert (custody.channel_egov, custody.channel_psc) == (True, True)


def test_excels_unicode_text_utf16_with_tabs_is_read(oblast):
    data = csv_file([UPPER, LOWER, *ROWS], delimiter="\t", encoding="utf-16")
    outcome = run(oblast, data, "перечень.txt")
    assert outcome.problems == [] and outcome.created == 5
    assert (
        by_ru("Назначение пособия на рождение").name_kk
        == "Бала тууға байланысты жәрдемақы тағайындау"
    )


def test_a_windows_1251_file_never_overwrites_good_kazakh_names_with_question_marks(oblast):
    assert run(oblast, office_xlsx()).created == 5
    damaged = csv_file([UPPER, LOWER, *ROWS], encoding="cp1251", errors="replace")
    outcome = run(oblast, damaged, "перечень-1251.csv")
    assert outcome.problems == []
    custody = by_ru("Выдача справок по опеке и попечительству")
    assert custody.name_kk == "Қорғаншылық және қамқоршылық жөнінде анықтама беру"
    assert "?" not in "".join(Service.objects.values_list("name_kk", flat=True))
    damaged_rows = [w for w in outcome.warnings if "?" in w]
    assert len(damaged_rows) == 5 and damaged_rows[0].startswith(
        gettext("row %(row)s of the file: %(problem)s").split("%")[0]
    )


def test_a_damaged_name_of_a_new_service_is_left_out_and_the_rest_of_the_row_imports(world):
    data = csv_file(
        [
            ["Наименование на русском", "Наименование на казахском", "Статус"],
            ["Выдача справки", "?ор?аншылы? аны?тама", "бумажная"],
        ],
        encoding="cp1251",
    )
    outcome = run(world, data, "1251.csv")
    assert outcome.problems == [] and len(outcome.warnings) == 1
    service = by_ru("Выдача справки")
    assert (service.name_kk, service.status) == ("", Status.PAPER)


def test_csv_rows_are_numbered_as_excel_shows_them_after_a_cell_over_several_lines(world):
    data = csv_file(
        [
            ["Наименование услуги", "Способ обращения", "Статус"],
            ["Первая услуга", "ЦОН\negov\nуслугодатель", "бумажная"],
            ["Вторая услуга", "ЦОН", "готово"],
        ]
    )
    with translation.override("ru"):
        outcome = run(world, data, "список.csv")
        row_3 = gettext("row %(row)s of the file: %(problem)s") % {"row": 3, "problem": ""}
    assert len(outcome.problems) == 1 and outcome.problems[0].startswith(row_3)


def test_a_row_with_an_unknown_provider_reports_its_other_problems_in_the_same_pass(world):
    data = xlsx(
        [
            ["Наименование услуги", "Услугодатель", "Статус", "Срок"],
            ["Выдача справки", "отделы ЗАГС районов", "готово", "скоро"],
        ]
    )
    with translation.override("ru"):
        outcome = run(world, data)
        unknown = gettext("no department “%(name)s” in %(region)s; choose which department it is")
        unknown %= {"name": "отделы ЗАГС районов", "region": world.zhambyl}
    assert outcome.unknown_providers == {"отделы ЗАГС районов": [2]}
    assert len(outcome.problems) == 3  # provider, status and term, all at once
    assert any(p.endswith(unknown) for p in outcome.problems)
    assert not Service.objects.filter(name_ru="Выдача справки").exists()


def test_a_label_mapped_once_is_remembered_for_the_next_file(world):
    data = xlsx(
        [["Наименование услуги", "Услугодатель"], ["Регистрация брака", "отделы ЗАГС районов"]]
    )
    assert run(world, data).unknown_providers
    remember_alias(
        "отделы ЗАГС районов", world.agriculture, ProviderLevel.DISTRICT, world.digital_office
    )
    outcome = run(world, data)
    assert outcome.problems == []
    service = by_ru("Регистрация брака")
    assert (service.department, service.provider_level) == (
        world.agriculture,
        ProviderLevel.DISTRICT,
    )
    alias = DepartmentAlias.objects.get()
    assert (alias.region, alias.created_by) == (world.zhambyl, world.digital_office)


@pytest.mark.parametrize(
    "label",
    [
        "Управление сельского хозяйства",
        "ГУ «Управление сельского хозяйства акимата Жамбылской области»",
        'КГУ "Управление сельского хозяйства области"',
        "Ауыл шаруашылығы басқармасы",
        "«Жамбыл облысы әкімдігінің ауыл шаруашылығы басқармасы» КММ",
        "УСХ",
        "AGR",
    ],
)
def test_providers_are_recognised_as_offices_write_them(world, label):
    data = xlsx([["Наименование услуги", "Услугодатель"], ["Субсидии на корма", label]])
    outcome = run(world, data)
    assert outcome.problems == []
    assert by_ru("Субсидии на корма").department == world.agriculture


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("отделы сельского хозяйства районов", ProviderLevel.DISTRICT),
        ("акимы сельских округов", ProviderLevel.RURAL),
        ("общеобразовательные школы", ProviderLevel.SCHOOL),
    ],
)
def test_a_body_below_the_oblast_has_its_level(world, label, level):
    remember_alias(
        "акимы сельских округов", world.agriculture, ProviderLevel.RURAL, world.digital_office
    )
    remember_alias(
        "общеобразовательные школы", world.education, ProviderLevel.SCHOOL, world.digital_office
    )
    data = xlsx([["Наименование услуги", "Услугодатель"], ["Выдача справки", label]])
    assert run(world, data).problems == []
    assert by_ru("Выдача справки").provider_level == level


@pytest.mark.parametrize(
    ("wording", "status"),
    [
        ("электронная (частично автоматизированная) и (или) бумажная", Status.PARTIAL),
        ("эл. (частично автомат.)", Status.PARTIAL),
        ("эл./бум.", Status.ELECTRONIC),
        ("Электронная, бумажная", Status.ELECTRONIC),
        ("электронная (полностью автоматизированная)", Status.ELECTRONIC),
        ("бумажная", Status.PAPER),
        ("ч/а", Status.PARTIAL),
        ("электрондық (ішінара автоматтандырылған) және (немесе) қағаз жүзінде", Status.PARTIAL),
        ("проактивная", Status.PROACTIVE),
    ],
)
def test_statutory_form_wordings_are_statuses(world, wording, status):
    data = xlsx([["Наименование услуги", "Форма оказания"], ["Выдача справки", wording]])
    assert run(world, data).problems == []
    assert by_ru("Выдача справки").status == status


@pytest.mark.parametrize(
    ("term", "days", "working", "hours"),
    [
        ("15", 15, False, None),
        ("до 15 рабочих дней", 15, True, None),
        ("15 раб. дней", 15, True, None),
        ("10 календарных дней", 10, False, None),
        ("от 3 до 10 рабочих дней", 10, True, None),
        ("в день обращения", 0, False, None),
        ("2 часа", 0, False, 2),
        ("30 минут", 0, False, None),
        ("5 жұмыс күні", 5, True, None),
        ("1 месяц", 30, False, None),
    ],
)
def test_terms_in_words_are_days(world, term, days, working, hours):
    data = xlsx([["Наименование услуги", "Срок оказания"], ["Выдача справки", term]])
    assert run(world, data).problems == []
    service = by_ru("Выдача справки")
    assert (service.term_days, service.term_working_days, service.term_hours) == (
        days,
        working,
        hours,
    )


@pytest.mark.parametrize("blank", ["-", "—", "н/д", "б/н", "уточнить", "см. стандарт"])
def test_placeholders_mean_blank_and_keep_what_is_stored(world, blank):
    world.kindergarten.term_days, world.kindergarten.blocker = 7, "Нет интеграции с ГБД ФЛ"
    world.kindergarten.save()
    data = xlsx(
        [
            ["Наименование услуги", "Срок оказания", "Причина", "Платность", "Социально значимая"],
            ["Постановка на очередь в детский сад", blank, blank, blank, blank],
        ]
    )
    assert run(world, data).problems == []
    world.kindergarten.refresh_from_db()
    assert (world.kindergarten.term_days, world.kindergarten.blocker) == (
        7,
        "Нет интеграции с ГБД ФЛ",
    )
    assert world.kindergarten.socially_significant is True


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("Форма оказания", "скоро будет"),
        ("Срок оказания", "долго"),
        ("Способ обращения", "голубиная почта"),
        ("Платность", "как договоримся"),
    ],
)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_unknown_values_refuse_the_file_naming_row_and_value(world, column, value, language):
    data = xlsx([["Наименование услуги", column], ["Новая услуга", value]])
    with translation.override(language):
        outcome = run(world, data)
        row = gettext("row %(row)s of the file: %(problem)s") % {"row": 2, "problem": ""}
    assert len(outcome.problems) == 1
    assert outcome.problems[0].startswith(row) and value in outcome.problems[0]
    assert not Service.objects.filter(name_ru="Новая услуга").exists()


def test_a_title_naming_another_oblast_or_department_warns(world):
    data = xlsx(
        [
            ["Перечень услуг управления сельского хозяйства Алматинской области"],
            ["Наименование услуги", "Статус"],
            ["Новая услуга", "бумажная"],
        ]
    )
    with translation.override("ru"):
        outcome = run(world, data, dry_run=True)
    assert len(outcome.warnings) == 2
    assert "Алматинская область" in outcome.warnings[0]
    assert "Управление сельского хозяйства" in outcome.warnings[1]


def test_a_title_naming_this_oblast_and_department_does_not_warn(world):
    data = xlsx(
        [
            [
                "Перечень государственных услуг, оказываемых управлением образования "
                "Жамбылской области"
            ],
            ["Наименование услуги", "Статус"],
            ["Новая услуга", "бумажная"],
        ]
    )
    assert run(world, data, dry_run=True).warnings == []


def test_an_old_xls_file_is_refused_with_what_to_do(world):
    with translation.override("ru"):
        outcome = run(world, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls")
        expected = gettext(
            "This is an Excel 97–2003 (.xls) file. Open it in Excel, save it as an Excel "
            "workbook (.xlsx) or as CSV, and import that file."
        )
    assert outcome.problems == [expected]


def test_a_user_without_rights_gets_one_sentence_and_nothing_is_read(world):
    data = xlsx([["Наименование услуги"], ["Новая услуга"]])
    outcome = run(world, data, user=world.head_of_education, department=world.agriculture)
    assert len(outcome.problems) == 1
    assert not Service.objects.filter(name_ru="Новая услуга").exists()


def test_words_around_known_channels_land_the_channels_and_are_shown(world):
    data = xlsx([["Наименование услуги", "Способ обращения"], ["Выдача справки", "ЦОН\nпочтой"]])
    with translation.override("ru"):
        outcome = run(world, data)
        row = gettext("row %(row)s of the file: %(problem)s") % {"row": 2, "problem": ""}
    assert outcome.problems == []
    service = by_ru("Выдача справки")
    assert (service.channel_psc, service.channel_office) == (True, False)
    [warning] = outcome.warnings
    assert warning.startswith(row) and "почтой" in warning


def test_a_service_listed_once_per_body_that_delivers_it_is_read_once(world):
    data = xlsx(
        [
            ["Наименование услуги", "Услугодатель", "Форма оказания"],
            ["Выдача справки", "Управление образования", "бумажная"],
            ["Выдача справки", "отделы образования районов", "бумажная"],
        ]
    )
    outcome = run(world, data)
    assert outcome.problems == [] and (outcome.created, outcome.unchanged) == (1, 1)
    assert len(outcome.warnings) == 1
    assert by_ru("Выдача справки").department == world.education


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Полное наименование государственной услуги", "name"),
        ("Мемлекеттік көрсетілетін қызметтің атауы", "name_kk"),
        ("Полное наименование услугодателя", "department"),
        ("Вид (форма) оказания услуги", "status"),
        ("Максимальный срок оказания", "term_days"),
        ("Способы обращения за получением услуги", "channels"),
        ("Платная / бесплатная", "paid"),
        ("Примечание", None),
    ],
)
def test_headers_no_list_foresees_are_read_by_the_words_they_hold(header, column):
    assert map_header(header) == column


def test_a_value_pointing_to_the_standard_is_blank_but_a_blocker_saying_so_is_kept(world):
    data = xlsx(
        [
            ["Наименование услуги", "Срок оказания", "Причина"],
            ["Выдача справки", "согласно срокам, указанным в стандарте", "Нет регламента"],
        ]
    )
    assert run(world, data).problems == []
    service = by_ru("Выдача справки")
    assert (service.term_days, service.blocker) == (None, "Нет регламента")


def test_a_repeat_with_other_details_is_read_once_and_the_preview_names_what_differs(world):
    data = xlsx(
        [
            ["Наименование услуги", "Услугодатель", "Форма оказания", "Срок оказания"],
            ["Выдача справки", "Управление образования", "бумажная", "5 рабочих дней"],
            ["Выдача справки", "отделы образования районов", "бумажная", "10 рабочих дней"],
        ]
    )
    outcome = run(world, data)
    assert outcome.problems == [] and outcome.created == 1
    assert by_ru("Выдача справки").term_days == 5
    [warning] = outcome.warnings
    term = str(Service._meta.get_field("term_days").verbose_name)
    assert term.lower() in warning.lower()


def test_a_workbook_opening_with_a_cover_sheet_is_read_from_the_sheet_with_the_list(world):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Утверждаю: аким области"])
    listing = workbook.create_sheet("Перечень")
    listing.append(["Наименование услуги", "Форма оказания"])
    listing.append(["Выдача справки", "бумажная"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run(world, buffer.getvalue()).problems == []
    assert by_ru("Выдача справки").status == Status.PAPER


def test_one_name_cell_with_the_russian_name_over_the_kazakh_one_gives_both(world):
    data = xlsx(
        [
            ["Наименование услуги", "Срок оказания (рабочих дней)"],
            ["Выдача справки об обучении\nОқу туралы анықтама беру", "5"],
            ["Балабақшаға жолдама\nберу", "3"],
        ]
    )
    assert run(world, data).problems == []
    both = by_ru("Выдача справки об обучении")
    assert both.name_kk == "Оқу туралы анықтама беру"
    assert (both.term_days, both.term_working_days) == (5, True)
    assert Service.objects.get(name_kk="Балабақшаға жолдама беру").name_ru == ""


@pytest.mark.parametrize(
    ("label", "department"),
    [
        ("Управление образования;\nотделы образования районов", "education"),
        ("Управление образования и отделы образования районов", "education"),
        ("Управление образования, Управление сельского хозяйства", None),
    ],
)
def test_several_bodies_in_one_cell_are_one_department_only_when_all_are(world, label, department):
    data = xlsx([["Наименование услуги", "Услугодатель"], ["Выдача справки", label]])
    outcome = run(world, data)
    if department is None:
        assert list(outcome.unknown_providers) == [label]
    else:
        assert outcome.problems == []
        assert by_ru("Выдача справки").department == getattr(world, department)
