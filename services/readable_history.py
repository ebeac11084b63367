"""A service's history as a reader sees it: each change's labels and values in their
language, never field names, ids or choice codes."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regions.models import Department
from services.levels import LEVEL_NAMES
from services.models import (
    AWAITING_YES,
    Answer,
    ClaimReview,
    Criterion,
    LifeEvent,
    Service,
    ServiceChange,
)

# Values of the history's own fields that are not columns of the service.
EXTRA_LABELS = {
    "withdrawn_on": Service._meta.get_field("withdrawn_on").verbose_name,
    "life_events": LifeEvent._meta.verbose_name_plural,
}
CRITERION = "criterion:"  # a criterion's answer: "criterion:<code>" (services.criteria_writes)
CLAIMED = "claimed"  # a head's "yes" awaiting the digital office


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    """One row of a service's history, ready to show."""

    when: str
    recorded: str  # when it was written, if later than it took effect; else ""
    who: str
    what: str
    status: str
    claim: str  # a claim's state when this row made one: awaiting, accepted, rejected
    comment: str
    evidence_url: str
    fields: list[FieldChange] = field(default_factory=list)


def entries(service: Service) -> list[Entry]:
    """The service's whole history, newest first, in three queries. Who made each change
    is read apart (prefetched): joined, PostgreSQL hashes every user of the country to
    find the few who wrote one service's rows."""
    rows = list(
        ServiceChange.objects.filter(service=service)
        .select_related("status_change__review")
        .prefetch_related("changed_by")
        .order_by("-changed_at", "-pk")
    )
    names = _departments_named(rows) | _criteria_and_events_named(rows)
    return [_entry(row, names) for row in rows]


def _entry(row: ServiceChange, names: dict) -> Entry:
    recorded = ""
    if (row.recorded_at - row.changed_at).total_seconds() > 60:
        recorded = _when(row.recorded_at)
    return Entry(
        when=_when(row.changed_at),
        recorded=recorded,
        who=row.changed_by.get_full_name() or row.changed_by.get_username(),
        what=str(row.get_kind_display()),
        status=str(row.get_status_display()),
        claim=_claim_state(row),
        comment=row.comment,
        evidence_url=row.evidence_url,
        fields=[
            FieldChange(_label(name, names), _shown(name, old, names), _shown(name, new, names))
            for name, (old, new) in row.changes.items()
        ],
    )


def _claim_state(row: ServiceChange) -> str:
    """Shown on the row that made the claim: the status move it records."""
    move = row.status_change
    made_the_move = "status" in row.changes or row.kind == ServiceChange.Kind.CREATED
    if not (move.needs_verification and made_the_move):
        return ""
    review = getattr(move, "review", None)
    if review is None:
        return _("awaiting verification")
    if review.decision == ClaimReview.Decision.ACCEPTED:
        return _("accepted")
    return _("rejected")


def _label(name: str, names: dict) -> str:
    if name.startswith(CRITERION):
        return names.get(name, name.removeprefix(CRITERION))
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    try:
        return str(Service._meta.get_field(name).verbose_name)
    except Exception:  # a field since removed: its name is all there is
        return name


def _shown(name: str, value, names: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name == "department":
        return names.get(value, "—")
    if name.startswith(CRITERION):
        return str(AWAITING_YES) if value == CLAIMED else str(Answer(value).label)
    if name == "life_events":
        return ", ".join(names.get(f"event:{code}", code) for code in value)
    if name in ("level", "level_verified"):
        return f"{value} · {LEVEL_NAMES.get(value, '')}"
    try:
        model_field = Service._meta.get_field(name)
    except Exception:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if model_field.get_internal_type() == "DateField":
        return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return str(value)


def _criteria_and_events_named(rows: list[ServiceChange]) -> dict[str, str]:
    """The names of the criteria and life events the rows mention, in two queries at most
    (none for rows that mention neither)."""
    keys = {name for row in rows for name in row.changes}
    codes = {key.removeprefix(CRITERION) for key in keys if key.startswith(CRITERION)}
    events = {
        code for row in rows for value in row.changes.get("life_events", []) for code in value
    }
    named = {}
    if codes:
        for criterion in Criterion.objects.filter(code__in=codes):
            named[f"{CRITERION}{criterion.code}"] = criterion.name
    if events:
        for event in LifeEvent.objects.filter(code__in=events):
            named[f"event:{event.code}"] = event.name
    return named


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _departments_named(rows: list[ServiceChange]) -> dict[int, str]:
    ids = {
        value
        for row in rows
        for value in row.changes.get("department", [])
        if isinstance(value, int)
    }
    return {department.pk: str(department) for department in Department.objects.filter(pk__in=ids)}


def changes_since(region_id: int, moment, *, most: int = 5) -> str:
    """Who changed the region's services since ``moment``, in a few words: "Aigul N.:
    imported from a file, 3 services, 01.12.2026 16:02; …" — the most recent first."""
    groups = list(
        ServiceChange.objects.filter(
            recorded_at__gte=moment, service__department__region_id=region_id
        )
        .values("changed_by_id", "kind")
        .annotate(services=Count("service_id", distinct=True), last=Max("recorded_at"))
        .order_by("-last")[:most]
    )
    people = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(
            pk__in={group["changed_by_id"] for group in groups}
        )
    }
    kinds = dict(ServiceChange.Kind.choices)
    return "; ".join(
        _("%(who)s: %(what)s, %(services)s, %(when)s")
        % {
            "who": people.get(group["changed_by_id"], "—"),
            "what": kinds.get(group["kind"], group["kind"]),
            "services": ngettext("%(count)d service", "%(count)d services", group["services"])
            % {"count": group["services"]},
            "when": _when(group["last"]),
        }
        for group in groups
    )
