"""One history for every change of a service, and the service as each change left it.

Each write in ``services.actions`` adds one :class:`ServiceChange` in its own transaction:
what kind of change it was, each field's old and new value, who, when, why and with what
proof — and a copy of what reports read of the service after it. A report of any moment
reads each service's latest row before that moment, so it shows what was true then
whatever has changed since. Rows are never edited or deleted.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import connection, models
from django.db.models import Exists, ExpressionWrapper, F, Func, Lookup, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from services.models.service import Channel, LinkField, Service, Sphere, Status
from services.models.status import ClaimReview, StatusChange
from tracker.append_only import AppendOnlyModel, AppendOnlyQuerySet

# What a report of a past moment reads of a service: each is copied into every history row.
STATE_FIELDS = (
    "department",
    "status",
    "name_kk",
    "name_ru",
    "name_en",
    "sphere",
    "socially_significant",
    "blocker",
    "target_status",
    "target_date",
    "documents_required",
    "documents_before",
    "term_days",
    "term_days_before",
    "last_confirmed",
    "withdrawn_on",
)


class ServiceChangeQuerySet(AppendOnlyQuerySet):
    def for_user(self, user):
        from regions.access import scope_for

        return scope_for(user).filter_through_department(self, path="service__department__")

    def standing_at(self, moment: datetime, *, services=None):
        """Each service's row in force at ``moment`` (its latest before it): the service as
        it stood then. Services added later have none and are left out.

        Annotated with ``status_since`` (when it entered that status) and ``awaiting``
        (its status was a head's claim the digital office had not accepted by then).
        ``services`` narrows the services looked at (a region's, say).
        """
        if services is None and connection.vendor == "postgresql":
            latest = _latest_rows_everywhere(moment)
        else:
            everything = Service.objects.all() if services is None else services
            latest = _latest_row_of_each(moment, everything)
        # In no order: callers sort what they need (a sort of every row costs more than
        # the rest of the query at national scale). Subqueries rather than a join to the
        # status moves: a caller that does not read these two pays nothing for them.
        return (
            self.order_by()
            .filter(_pk_among(latest))
            .annotate(
                status_since=Subquery(_status_move().values("changed_at")),
                awaiting=_awaiting_at(moment),
            )
        )

    def standing_at_either(self, earlier: datetime, later: datetime, *, services):
        """The rows of ``services`` in force at ``earlier`` and at ``later``, in one read:
        a service's one row when nothing changed between, two when something did (and
        one, at ``later``, for a service added between).

        Annotated with ``awaiting_earlier`` and ``awaiting_later`` (see standing_at) and
        ``before_earlier``: the row was in force at ``earlier`` (the latest row changed
        before it), else it is the one of ``later`` alone.
        """
        # One list of both moments' rows, not two IN joined by OR: PostgreSQL would test
        # every row of the history against the two.
        if connection.vendor == "postgresql":
            rows = _latest_rows_at_both(earlier, later, services)
        else:
            rows = _latest_row_of_each(earlier, services).union(
                _latest_row_of_each(later, services)
            )
        return (
            self.order_by()
            .filter(_pk_among(rows))
            .annotate(
                # Both claims read the row's status move through one join: the caller
                # reads them for every row (three probes of the moves a row, else).
                awaiting_earlier=_awaiting_at(earlier, joined=True),
                awaiting_later=_awaiting_at(later, joined=True),
                before_earlier=ExpressionWrapper(
                    Q(changed_at__lt=earlier), output_field=models.BooleanField()
                ),
            )
        )

    def standing_on(self, day: date, *, services=None):
        """The services in the register at the end of ``day`` (Almaty), as they stood."""
        from services.models.service import end_of_day

        return self.standing_at(end_of_day(day), services=services).in_register_on(day)

    def in_register_on(self, day: date):
        """Rows of services not withdrawn by ``day``: the ones a report of that day counts."""
        return self.exclude(withdrawn_on__lte=day)


def _status_move():
    """The status move a history row is in force under (OuterRef: the row's)."""
    return StatusChange.objects.filter(pk=OuterRef("status_change_id")).order_by()


def _awaiting_at(moment: datetime, *, joined: bool = False) -> Q:
    """The row's status was a head's claim the digital office had not accepted by
    ``moment``. A probe of the move's row, not EXISTS: PostgreSQL would hash every move.
    ``joined``: read through the join to the status moves (``status_change__``), which a
    query reading more of the move shares."""
    accepted_by_then = ClaimReview.objects.filter(
        change=OuterRef("status_change"),
        decision=ClaimReview.Decision.ACCEPTED,
        reviewed_at__lt=moment,
    )
    if joined:
        needs_verification = ExpressionWrapper(
            F("status_change__needs_verification"), output_field=models.BooleanField()
        )
    else:
        needs_verification = Subquery(_status_move().values("needs_verification"))
    return Q(needs_verification) & ~Exists(accepted_by_then)


class _AnyOf(Lookup):
    """``pk = ANY(ARRAY(subquery))`` (PostgreSQL): the subquery's ids read once into an
    array, then fetched through the primary key in id order — the order the history was
    written in, so the table is read front to back. ``pk IN (subquery)`` would have the
    planner guess the subquery's size (it misjudges a region's services, and the
    country's latest rows, several times over), then scan the whole history or probe it
    in a hash's random order."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)  # "(SELECT ...)"
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def _pk_among(rows) -> Q | Lookup:
    """The rows whose pk ``rows`` (a values("pk") queryset) gives."""
    if connection.vendor == "postgresql":
        return _AnyOf(F("pk"), Subquery(rows))
    return Q(pk__in=rows)


def _latest_row_of_each(moment: datetime, services):
    """The pk of each of ``services``' latest row before ``moment``: one probe of
    service_change_latest per service, the cheapest way for a region's few thousand."""
    return services.order_by().annotate(row=_latest_before(moment)).values("row")


def _latest_rows_at_both(earlier: datetime, later: datetime, services):
    """The pk of each of ``services``' latest row before ``earlier`` and before ``later``
    (PostgreSQL), in one pass over the services: two probes a service, one list. A pk
    may come twice (nothing changed between); ``pk = ANY`` reads its row once."""
    both = Func(
        _latest_before(earlier),
        _latest_before(later),
        template="unnest(ARRAY[%(expressions)s])",
        output_field=models.BigIntegerField(),
    )
    return services.order_by().annotate(row=both).values("row")


def _latest_before(moment: datetime) -> Subquery:
    """The pk of the service's (OuterRef) latest row before ``moment``."""
    return Subquery(
        ServiceChange.objects.filter(service=OuterRef("pk"), changed_at__lt=moment)
        .order_by("-changed_at", "-pk")
        .values("pk")[:1]
    )


def _latest_rows_everywhere(moment: datetime):
    """The pk of every service's latest row before ``moment`` (PostgreSQL): DISTINCT ON
    over service_change_latest read backwards, one pass of the index and no sort — a
    probe per service would cost twice as much for the whole country."""
    return (
        ServiceChange.objects.filter(changed_at__lt=moment)
        .order_by("-service_id", "-changed_at", "-pk")
        .distinct("service_id")
        .values("pk")
    )


class ServiceChange(AppendOnlyModel):
    """One change of a service: what, who, when, why, proof; and the service after it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("added")
        EDITED = "edited", _("edited")
        STATUS = "status", _("status changed")
        IMPORTED = "imported", _("imported from a file")
        CONFIRMED = "confirmed", _("data confirmed")
        VERIFIED = "verified", _("claim accepted")
        REJECTED = "rejected", _("claim rejected")
        WITHDRAWN = "withdrawn", _("withdrawn from the register")
        RESTORED = "restored", _("returned to the register")
        MOVED = "moved", _("moved to another department")
        CRITERIA = "criteria", _("criteria answered")
        LIFE_EVENTS = "events", _("life events changed")

    # No index of their own on the foreign keys: service_change_latest starts with the
    # service, and nothing looks rows up by department or status move; each index would
    # be one more to write for every row an import adds.
    service = models.ForeignKey(
        Service,
        models.PROTECT,
        related_name="history",
        verbose_name=_("service"),
        db_index=False,
    )
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    # When it took effect: now, or an earlier moment when past records are loaded.
    changed_at = models.DateTimeField(_("changed at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="service_changes",
        verbose_name=_("changed by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    evidence_url = LinkField(_("evidence link"), max_length=500, blank=True)
    # {field: [old, new]} in the database's terms (ids, choice values, ISO dates); see
    # services.history for how a reader sees them.
    changes = models.JSONField(_("what changed"), default=dict, blank=True)
    # The status move in force after this change: its time and claim state.
    status_change = models.ForeignKey(
        StatusChange,
        models.PROTECT,
        related_name="+",
        verbose_name=_("status change"),
        db_index=False,
    )

    # --- the service as this change left it (see STATE_FIELDS) ---
    department = models.ForeignKey(
        "regions.Department",
        models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=500, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=500, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    sphere = models.CharField(_("sphere"), max_length=30, choices=Sphere.choices)
    socially_significant = models.BooleanField(_("socially significant"), default=False)
    channels = models.CharField(_("channels"), max_length=100, blank=True)  # "office,egov"
    blocker = models.TextField(_("why still not electronic"), blank=True)
    target_status = models.CharField(
        _("target status"), max_length=20, choices=Status.choices, blank=True
    )
    target_date = models.DateField(_("target deadline"), null=True, blank=True)
    documents_required = models.PositiveSmallIntegerField(null=True, blank=True)
    documents_before = models.PositiveSmallIntegerField(null=True, blank=True)
    term_days = models.PositiveSmallIntegerField(null=True, blank=True)
    term_days_before = models.PositiveSmallIntegerField(null=True, blank=True)
    last_confirmed = models.DateField(_("data last confirmed"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn from"), null=True, blank=True)

    objects = ServiceChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("history")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="service_change_status_valid"
            ),
        ]
        indexes = [
            # standing_at(): each service's latest row before a moment, read off the
            # index's end ("ORDER BY changed_at DESC, id DESC LIMIT 1").
            models.Index(fields=["service", "changed_at", "id"], name="service_change_latest"),
            # A report's "since the last meeting": a region's rows between two moments.
            models.Index(fields=["changed_at"], name="service_change_when"),
            # ... and the withdrawals recorded earlier that took effect in between: a few
            # rows of the whole history, found without reading every service's history.
            models.Index(
                fields=["withdrawn_on"],
                condition=Q(kind="withdrawn"),
                name="service_change_withdrawal",
            ),
        ]

    def __str__(self):
        return f"{self.service_id} · {self.get_kind_display()}"

    @staticmethod
    def values_of(service: Service, **row) -> tuple:
        """The row recording ``service`` as it is now as plain values, in COLUMNS' order:
        for tracker.bulk.insert_rows, an import's many first rows at once. ``row`` gives
        the change's own columns, and may say how the service stood if not as it is now
        (a generated history's earlier statuses)."""
        values = {name: getattr(service, name) for name in STATE_ATTRIBUTES}
        values |= {"service_id": service.pk, "channels": channels_text(service)} | row
        return tuple(values[name] for name in ServiceChange.COLUMNS)

    @classmethod
    def of(cls, service: Service, **row) -> "ServiceChange":
        """A row recording ``service`` as it is now (not yet saved)."""
        state = {name: getattr(service, name) for name in STATE_ATTRIBUTES}
        return cls(service=service, channels=channels_text(service), **state, **row)


CHANNEL_FIELDS = [(str(channel.value), channel.field_name) for channel in Channel]
STATE_ATTRIBUTES = [("department_id" if name == "department" else name) for name in STATE_FIELDS]


def channels_text(service) -> str:
    return ",".join(value for value, field in CHANNEL_FIELDS if getattr(service, field))


ServiceChange.COLUMNS = [
    "service_id",
    "kind",
    "changed_at",
    "recorded_at",
    "changed_by_id",
    "comment",
    "evidence_url",
    "changes",
    "status_change_id",
    "channels",
    *STATE_ATTRIBUTES,
]
