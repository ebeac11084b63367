"""One kind of department, or one sphere, in every region: the ministry's question ("who
digitised kindergarten enrolment, who did not?").

Read from the register as it stands now (services not withdrawn, departments not closed),
in two queries whatever the country's size: each region's counts, and the services that
carry a register code, by code — the national register's code is how one service is
matched across regions, whatever each oblast calls it.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from regions.kinds import DepartmentKind
from regions.models import Region
from regions.translated import pick
from reports.figures import DIGITAL, share
from services.models import Service, Sphere


@dataclass(frozen=True)
class Selection:
    """What is compared: a kind of department, or a sphere of services."""

    kind: str = ""
    sphere: str = ""

    @classmethod
    def from_query(cls, query) -> "Selection | None":
        kind, sphere = query.get("kind", ""), query.get("sphere", "")
        if kind in DepartmentKind.values and not sphere:
            return cls(kind=kind)
        if sphere in Sphere.values and not kind:
            return cls(sphere=sphere)
        return None

    @property
    def label(self) -> str:
        return str(DepartmentKind(self.kind).label if self.kind else Sphere(self.sphere).label)

    def services(self):
        services = Service.objects.in_register().filter(department__closed_on__isnull=True)
        if self.kind:
            return services.filter(department__kind=self.kind)
        return services.filter(sphere=self.sphere)


@dataclass
class RegionFigures:
    region: Region
    total: int = 0
    verified: int = 0
    claimed: int = 0

    @property
    def share_verified(self) -> float | None:
        return share(self.verified, self.total)


@dataclass
class SharedService:
    """One service of the register, as each region provides it."""

    register_code: str
    name: str
    statuses: dict[int, str] = field(default_factory=dict)  # region id -> status

    @property
    def electronic_in(self) -> int:
        return sum(status in DIGITAL for status in self.statuses.values())


def region_figures(selection: Selection, regions: list[Region]) -> list[RegionFigures]:
    """Every region's services of the selection, laggards first; regions without any
    last (they may not have such a department, or have not filled in its kind)."""
    digital = Q(status__in=DIGITAL)
    counts = {
        row["department__region_id"]: row
        for row in selection.services()
        .with_claims()
        .values("department__region_id")
        .annotate(
            total=Count("pk"),
            digital=Count("pk", filter=digital),
            claimed=Count("pk", filter=digital & Q(awaiting_verification=True)),
        )
        .order_by()
    }
    rows = []
    for region in regions:
        found = counts.get(region.pk)
        if found is None:
            rows.append(RegionFigures(region))
            continue
        rows.append(
            RegionFigures(
                region,
                total=found["total"],
                verified=found["digital"] - found["claimed"],
                claimed=found["claimed"],
            )
        )
    return sorted(
        rows,
        key=lambda row: (row.total == 0, row.share_verified or 0, -row.total, row.region.code),
    )


def shared_services(selection: Selection, regions: list[Region]) -> list[SharedService]:
    """The selection's services that two regions or more provide under one register code,
    those electronic in the fewest regions first."""
    known = {region.pk for region in regions}
    services: dict[str, SharedService] = {}
    rows = (
        selection.services()
        .exclude(register_code="")
        .values_list(
            "register_code", "department__region_id", "status", "name_kk", "name_ru", "name_en"
        )
        .order_by("register_code", "department__region__code")
    )
    for code, region_id, status, *names in rows:
        if region_id not in known:
            continue
        entry = services.get(code)
        if entry is None:
            named = dict(zip(("name_kk", "name_ru", "name_en"), names, strict=True))
            entry = services[code] = SharedService(code, pick(named))
        # A region listing one code twice (two departments) counts its better status.
        if status in DIGITAL or region_id not in entry.statuses:
            entry.statuses[region_id] = status
    shared = [entry for entry in services.values() if len(entry.statuses) > 1]
    return sorted(shared, key=lambda entry: (entry.electronic_in, entry.register_code))
