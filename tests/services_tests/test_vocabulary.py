"""The office vocabulary cell by cell: the wordings of real service lists and standards."""

import pytest

from services.models import Channel, Status
from services.spreadsheets import vocabulary
from services.spreadsheets.vocabulary import Term


@pytest.mark.parametrize(
    ("cell", "status"),
    [
        ("Электронная (частично автоматизированная)/бумажная", Status.PARTIAL),
        ("Бумажная, электронная (частично автоматизированная)", Status.PARTIAL),
        ("Электронная (частично автоматизированная)\nБумажная", Status.PARTIAL),
        ("Электронная (частично автоматизированная) и(или) бумажная", Status.PARTIAL),
        ("электрондық (ішінара автоматтандырылған)/ қағаз жүзінде", Status.PARTIAL),
        ("Электрондық (толық автоматтандырылған)", Status.ELECTRONIC),
        ("Электронды/қағаз", Status.ELECTRONIC),
        ("Оказывается в электронном виде", Status.ELECTRONIC),
        ("Қағаз түрінде", Status.PAPER),
        ("проактивная, электронная", Status.PROACTIVE),
        ("готово", None),
        ("электронная очередь и запись", None),
    ],
)
def test_status_cells(cell, status):
    assert vocabulary.status_for(cell) == status


@pytest.mark.parametrize(
    ("cell", "term"),
    [
        ("с момента сдачи пакета документов услугодателю – 5 (пять) рабочих дней", Term(5, True)),
        (
            "1) с момента сдачи пакета документов в Государственную корпорацию – 10 рабочих "
            "дней; 2) максимально допустимое время ожидания – 15 минут",
            Term(10, True),
        ),
        ("в течение 1 (одного) рабочего дня", Term(1, True)),
        ("Незамедлительно", Term(0)),
        ("до 20 минут", Term(0)),
        ("10 к.д.", Term(10, False)),
        ("5 р.д.", Term(5, True)),
        ("15 күнтізбелік күн", Term(15, False)),
        ("1 сағат", Term(0, hours=1)),
        ("по мере поступления", None),
        ("15 штук", None),
    ],
)
def test_term_cells(cell, term):
    assert vocabulary.term_of(cell) == term


@pytest.mark.parametrize(
    ("cell", "channels", "unplaced"),
    [
        (
            "Веб-портал «электронного правительства»: www.egov.kz; Некоммерческое акционерное "
            "общество «Государственная корпорация «Правительство для граждан»; канцелярия "
            "услугодателя",
            {Channel.EGOV, Channel.PSC, Channel.OFFICE},
            [],
        ),
        (
            "Прием заявления и выдача результата оказания государственной услуги "
            "осуществляются через: 1) канцелярию услугодателя; 2) веб-портал www.egov.kz",
            {Channel.OFFICE, Channel.EGOV},
            [],
        ),
        ("портал «Е-лицензирование» www.elicense.kz", {Channel.ELICENSE}, []),
        ("аппарат акима сельского округа", {Channel.AKIM}, []),
        (
            "«электрондық үкімет» веб-порталы: www.egov.kz; «Азаматтарға арналған үкімет» "
            "мемлекеттік корпорациясы",
            {Channel.EGOV, Channel.PSC},
            [],
        ),
        ("ЦОН\nпочтой", {Channel.PSC}, ["почтой"]),
        ("голубиная почта", set(), ["голубиная почта"]),
    ],
)
def test_channel_cells(cell, channels, unplaced):
    assert vocabulary.channels_of(cell) == (channels, unplaced)


@pytest.mark.parametrize(
    ("cell", "paid"),
    [
        ("Бесплатно", False),
        ("Тегін", False),
        ("на платной основе", True),
        ("Государственная пошлина – 0,5 МРП", True),
        ("ақылы", True),
        ("как договоримся", None),
    ],
)
def test_paid_cells(cell, paid):
    assert vocabulary.paid_of(cell) == paid


@pytest.mark.parametrize(
    "cell", ["?ор?аншылы? аны?тама", "Б?л?м", "Баланы? тууын тіркеу", "\ufffdарағанды"]
)
def test_question_marks_in_place_of_letters_are_damage_in_a_name(cell):
    assert vocabulary.is_damaged(cell)


@pytest.mark.parametrize("cell", ["Қорғаншылық анықтама", "Выдача справки"])
def test_a_clean_name_is_not_damage(cell):
    assert not vocabulary.is_damaged(cell)


def test_in_free_text_a_question_is_not_damage_but_a_lost_letter_is():
    assert not vocabulary.is_damaged("Что делать?", name=False)
    assert vocabulary.is_damaged("?ор?аншылы?", name=False)
