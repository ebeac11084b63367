"""Which department a provider label in an office's file means.

Offices name the same department many ways: «ГУ "Управление образования области"»,
"Жамбыл облысының білім басқармасы", "УКЗиСП", "ЖКХ", or a body below it ("отделы
образования районов"). A label is matched, in order, against:

1. the region's remembered aliases (:class:`regions.models.DepartmentAlias`), which is
   also where a mapping chosen in the import preview is kept;
2. the departments' names, short names and codes, legal forms and "акимата … области"
   dropped on both sides;
3. the departments' initials, for abbreviations ("УАиГ", "УДР", "ЖКХ");
4. the same words in another grammatical case ("управлением образования");
5. for a body below the oblast (district offices, rural akims, schools), the department
   of the same field ("отделы образования районов" → education, district offices).

Only a single answer counts: a label two departments could claim stays unknown, and the
preview asks the person which one they mean.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from regions.models import Department, DepartmentAlias, ProviderLevel, Region
from services.spreadsheets.vocabulary import WORDS, normalise

PROVIDER_WORDS = WORDS["providers"]
DROPPED = set(PROVIDER_WORDS["dropped"])
BODY_WORDS = set(PROVIDER_WORDS["body_words"])
ABBREVIATION_SKIPS = set(PROVIDER_WORDS["abbreviation_skips"])
STEM = 5  # letters that carry a Russian or Kazakh word whatever its ending


@dataclass(frozen=True)
class Provider:
    department: Department
    level: str


def alias_key(label: str) -> str:
    """A label as it is compared: normalised, legal forms and "области" dropped."""
    return " ".join(word for word in normalise(label).split() if word not in DROPPED)


# Each level with its markers, every part normalised once: [(level, [[part, …], …])].
LEVEL_MARKERS = [
    (level, [[normalise(part) for part in marker.split("&")] for marker in PROVIDER_WORDS[key]])
    for level, key in (
        (ProviderLevel.SCHOOL, "school"),
        (ProviderLevel.RURAL, "rural"),
        (ProviderLevel.DISTRICT, "district"),
    )
]


@lru_cache(maxsize=4096)
def level_of(label: str) -> str:
    """The level a label names: schools, rural akims, district offices, else the oblast."""
    text = normalise(label)
    words = text.split()
    for level, markers in LEVEL_MARKERS:
        if any(_marked(text, words, parts) for parts in markers):
            return level
    return ProviderLevel.OBLAST


def _marked(text: str, words: list[str], parts: list[str]) -> bool:
    """A marker's every part ("аким & сельск") in the text: a phrase, or a word's start."""
    for part in parts:
        if " " in part:
            if part not in text:
                return False
        elif not any(word.startswith(part) for word in words):
            return False
    return True


# Single words that mark a level ("районов", "школы"), left out of a body's field.
LEVEL_WORDS = tuple(
    normalise(marker)
    for key in ("district", "school")
    for marker in PROVIDER_WORDS[key]
    if "&" not in marker and " " not in marker
)


def _is_level_word(word: str) -> bool:
    return word.startswith(LEVEL_WORDS)


def _stems(words) -> frozenset[str]:
    return frozenset(word[:STEM] for word in words)


def region_stems(region: Region) -> list[frozenset[str]]:
    """Each of the region's names as word beginnings: "жамбыл" for "Жамбылской области"."""
    names = []
    for name in (region.name_kk, region.name_ru, region.name_en):
        words = [w for w in alias_key(name).split() if w not in {"region", "city"}]
        if words:
            names.append(frozenset(w if len(w) <= 6 else w[: len(w) - 3] for w in words))
    return names


def _names_region(words: list[str], stems: frozenset[str]) -> bool:
    return all(any(word.startswith(stem) for word in words) for stem in stems)


def own_words(label: str, region_names: list[frozenset[str]]) -> list[str]:
    """A label's words without legal forms and without the region's own name
    ("… Жамбылской области"): how department names are compared."""
    words = alias_key(label).split()
    for stems in region_names:
        if _names_region(words, stems):
            words = [w for w in words if not any(w.startswith(s) for s in stems)]
    return words


class ProviderDirectory:
    """The departments of one region, every way a file may name them, read once."""

    def __init__(self, region: Region):
        self.region = region
        self.departments = list(Department.objects.filter(region=region))
        # The region's own names are dropped from labels ("… Жамбылской области"); another
        # region's name in a label is worth keeping: that label is not this region's.
        self.region_names = region_stems(region)
        self.aliases = {
            alias.key: Provider(alias.department, alias.level or alias.department.level)
            for alias in DepartmentAlias.objects.filter(region=region).select_related("department")
        }
        self.by_key: dict[str, set] = {}
        self.by_initials: dict[str, set] = {}
        self.by_stems: dict[frozenset, set] = {}
        self.by_field: dict[frozenset, set] = {}
        self._resolved: dict[str, Provider | None] = {}
        for department in self.departments:
            labels = [department.code] + [
                getattr(department, f"{base}_{code}")
                for base in ("name", "short_name")
                for code in ("kk", "ru", "en")
            ]
            for label in filter(None, labels):
                words = self._words(label)
                if not words:
                    continue
                self.by_key.setdefault(" ".join(words), set()).add(department)
                self.by_stems.setdefault(_stems(words), set()).add(department)
                field = _stems(w for w in words if w not in BODY_WORDS)
                if field:
                    self.by_field.setdefault(field, set()).add(department)
                for initials in _initials(words):
                    self.by_initials.setdefault(initials, set()).add(department)

    def _words(self, label: str) -> list[str]:
        return own_words(label, self.region_names)

    def resolve(self, label: str) -> Provider | None:
        """The department (and level) a label means; each label worked out once a file."""
        if label not in self._resolved:
            self._resolved[label] = self._resolve(label) or self._resolve_bodies(label)
        return self._resolved[label]

    def _resolve_bodies(self, label: str) -> Provider | None:
        """Several bodies in one cell ("Управление образования; отделы образования
        районов"): the department when every one of them is that department."""
        parts = [p for p in re.split(r"[\n;,]|\s+(?:и|или|және|немесе)\s+", label) if p.strip()]
        if len(parts) < 2:
            return None
        found = [self._resolve(part) for part in parts]
        if None in found or len({provider.department for provider in found}) != 1:
            return None
        return found[0]

    def _resolve(self, label: str) -> Provider | None:
        key = alias_key(label)
        if not key:
            return None
        if key in self.aliases:
            return self.aliases[key]
        words = self._words(label)
        level = level_of(label)
        found = (
            self._only(self.by_key.get(" ".join(words)))
            or self._abbreviation(label)
            or self._only(self.by_stems.get(_stems(words)))
        )
        if found is not None:
            return Provider(found, found.level if level == ProviderLevel.OBLAST else level)
        if level != ProviderLevel.OBLAST:
            field = _stems(w for w in words if w not in BODY_WORDS and not _is_level_word(w))
            department = self._only(self.by_field.get(field)) if field else None
            if department is not None:
                return Provider(department, level)
        return None

    def _abbreviation(self, label: str) -> Department | None:
        letters = "".join(ch for ch in label if ch.isalpha())
        if not (2 <= len(letters) <= 8) or " " in label.strip() or label.upper() == label.lower():
            return None
        if sum(ch.isupper() for ch in letters) < 2:
            return None
        wanted = letters.casefold()
        exact = self._only(self.by_initials.get(wanted))
        if exact is not None or len(wanted) < 3:
            return exact
        # "ЖКХ" in "Управление энергетики и жилищно-коммунального хозяйства" (уэижкх)
        within = {d for initials, ds in self.by_initials.items() if wanted in initials for d in ds}
        return self._only(within)

    @staticmethod
    def _only(departments) -> Department | None:
        return next(iter(departments)) if departments and len(departments) == 1 else None

    def named_in(self, text: str) -> set:
        """The departments a title line names, in whatever case ("оказываемых управлением
        образования")."""
        stems = _stems(self._words(text))
        return {
            department
            for department_stems, departments in self.by_stems.items()
            if len(department_stems) > 1 and department_stems <= stems
            for department in departments
        }

    def regions_named_in(self, text: str, regions) -> set:
        words = alias_key(text).split()
        return {
            region
            for region in regions
            if any(_names_region(words, stems) for stems in region_stems(region))
        }


def _initials(words: list[str]) -> set[str]:
    """ "управление по делам религий" → упдр and удр; "архитектуры и градостроительства"
    with and without its "и"."""
    every = "".join(word[0] for word in words)
    skipped = "".join(word[0] for word in words if word not in ABBREVIATION_SKIPS)
    return {every, skipped}


def remember_alias(label: str, department, level: str, user) -> DepartmentAlias:
    """A label chosen once in a preview means this department in every later file."""
    alias = DepartmentAlias.objects.filter(
        region_id=department.region_id, key=DepartmentAlias.key_of(label)
    ).first() or DepartmentAlias(created_by=user)
    alias.label, alias.department = label, department
    alias.level = "" if level == department.level else level
    alias.save()
    return alias
