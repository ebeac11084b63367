"""A department's kind, the same in every region: told from the budget code or the names,
never overriding one set by hand."""

import pytest

from regions.kinds import DepartmentKind, infer_kind
from regions.models import Department


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("261", "ГУ «Управление образования акимата Жамбылской области»", "education"),
        ("253", "Денсаулық сақтау басқармасы", "health"),
        ("256", "Управление координации занятости", "social"),
        ("255", "Ауыл шаруашылығы басқармасы", "agriculture"),
        ("EDU", "Білім басқармасы", "education"),
        ("X1", "Управление образования, науки и молодёжной политики", "education"),
        ("X2", "Управление ветеринарии", "veterinary"),
        ("X3", "Жер қатынастары басқармасы", "land"),
        ("X4", "Управление природных ресурсов и регулирования природопользования",
         "natural_resources"),
        ("X5", "Управление туризма", "tourism"),
        ("X6", "Управление пассажирского транспорта и автомобильных дорог", "transport"),
        ("X7", "Аппарат акима", ""),
        ("SPORT", "Управление физической культуры и спорта", "sport"),
        ("CULT", "Управление культуры, архивов и документации", "culture"),
        ("X8", "Дене шынықтыру және спорт басқармасы", "sport"),
    ],
)  # fmt: skip
def test_the_kind_is_told_from_the_budget_code_or_the_name(code, name, kind):
    assert infer_kind(code, name) == kind


@pytest.mark.django_db
def test_a_department_gets_its_kind_when_saved_and_keeps_one_set_by_hand(world):
    assert world.education.kind == DepartmentKind.EDUCATION  # "Управление образования"
    world.agriculture.kind = DepartmentKind.VETERINARY
    world.agriculture.save()
    world.agriculture.name_ru = "Управление сельского хозяйства и ветеринарии"
    world.agriculture.save(update_fields=["name_ru"])
    assert Department.objects.get(pk=world.agriculture.pk).kind == DepartmentKind.VETERINARY
