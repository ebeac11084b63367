"""What a department is for — education, health, agriculture… — the same in every region.

Comparing "every region's education department" needs to know which department that is:
their names differ from oblast to oblast ("Управление образования", "Білім басқармасы",
"Управление образования, науки и молодёжной политики"), their codes are each region's
own. A department's kind is told from its budget-programme administrator code where it is
one of the codes shared across oblasts, else from the words of its names, and may be set
by hand in the admin (``infer_kind`` never overrides a kind already set).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    EDUCATION = "education", _("education")
    HEALTH = "health", _("healthcare")
    SOCIAL = "social", _("employment and social programmes")
    AGRICULTURE = "agriculture", _("agriculture")
    VETERINARY = "veterinary", _("veterinary")
    LAND = "land", _("land relations")
    NATURAL_RESOURCES = "natural_resources", _("natural resources")
    TOURISM = "tourism", _("tourism")
    ENTREPRENEURSHIP = "entrepreneurship", _("entrepreneurship and industry")
    ARCHITECTURE = "architecture", _("architecture and urban planning")
    CONSTRUCTION = "construction", _("construction")
    HOUSING = "housing", _("housing, utilities and energy")
    TRANSPORT = "transport", _("passenger transport and roads")
    CULTURE = "culture", _("culture, archives and languages")
    SPORT = "sport", _("physical culture and sport")
    YOUTH = "youth", _("youth and internal policy")
    RELIGION = "religion", _("religious affairs")
    DIGITAL = "digital", _("digitalisation")
    FINANCE = "finance", _("finance and economy")
    OTHER = "other", _("other")


# Budget-programme administrator codes that mean the same department in every oblast.
BUDGET_CODES = {
    "261": DepartmentKind.EDUCATION,
    "253": DepartmentKind.HEALTH,
    "256": DepartmentKind.SOCIAL,
    "255": DepartmentKind.AGRICULTURE,
}

# Word stems in department names, Russian and Kazakh, lower case; the first kind whose
# stem appears wins, so the more particular come first: veterinary before agriculture,
# sport before culture ("физической культуры и спорта"), education before youth
# ("образования и молодёжной политики").
NAME_STEMS: list[tuple[DepartmentKind, tuple[str, ...]]] = [
    (DepartmentKind.VETERINARY, ("ветеринар",)),
    (DepartmentKind.EDUCATION, ("образован", "білім")),
    (DepartmentKind.HEALTH, ("здравоохран", "денсаулық")),
    (DepartmentKind.SOCIAL, ("занятост", "социальн", "жұмыспен", "әлеуметтік")),
    (DepartmentKind.AGRICULTURE, ("сельск", "ауыл шаруашылығ")),
    (DepartmentKind.LAND, ("земельн", "жер қатынас")),
    (DepartmentKind.NATURAL_RESOURCES, ("природн", "табиғи ресурс")),
    (DepartmentKind.TOURISM, ("туризм",)),
    (DepartmentKind.ENTREPRENEURSHIP, ("предприниматель", "кәсіпкерлік", "индустриал")),
    (DepartmentKind.ARCHITECTURE, ("архитектур", "градостро", "сәулет", "қала құрылыс")),
    (DepartmentKind.CONSTRUCTION, ("строительств", "құрылыс")),
    (DepartmentKind.HOUSING, ("жилищ", "коммунальн", "энергетик", "тұрғын үй", "энергетика")),
    (DepartmentKind.TRANSPORT, ("пассажир", "дорог", "жолаушы", "жол")),
    (DepartmentKind.SPORT, ("спорт",)),  # "физической культуры и спорта": before culture
    (DepartmentKind.CULTURE, ("культур", "архив", "языков", "мәдениет", "мұрағат", "тілдер")),
    (DepartmentKind.YOUTH, ("молодеж", "молодёж", "внутренней политики", "жастар", "ішкі саясат")),
    (DepartmentKind.RELIGION, ("религи", "дін")),
    (DepartmentKind.DIGITAL, ("цифров", "цифрлық", "цифрландыру")),
    (DepartmentKind.FINANCE, ("финанс", "экономик", "қаржы", "экономика")),
]


def infer_kind(code: str, *names: str) -> str:
    """The kind a department's code or names say; "" when neither says one."""
    by_code = BUDGET_CODES.get((code or "").strip())
    if by_code:
        return by_code
    words = " ".join(name for name in names if name).lower()
    for kind, stems in NAME_STEMS:
        if any(stem in words for stem in stems):
            return kind
    return ""
