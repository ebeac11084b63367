"""The one place that decides who may see and change what.

A user's reach is resolved once from their memberships into a :class:`Scope`; the admin,
imports, exports and reports all filter through it (``Service.objects.for_user(user)``,
``can_edit(user, service)``). No per-object permission table exists: a membership in a
department or a region is the whole grant.

| role            | sees                              | changes               |
|-----------------|-----------------------------------|-----------------------|
| head            | own department                    | own department        |
| digital office  | whole region                      | whole region          |
| governor        | whole region                      | nothing               |
| official        | department or region              | nothing               |
| national        | every region, the national view   | the ranking's method, |
|                 |                                   | criteria, life events |
| superuser       | everything                        | everything            |

The open-data API (tracker/api) shows anyone the regions their digital office published
(``Region.published_on``), and a signed-in user what they see here besides
(``scope.filter_open_through_department(services)``).

Every question other code asks is a named method here (``scope.may_edit_region(region)``,
``scope.filter_region_reports(snapshots)``): code elsewhere never reads a scope's raw
sets, so each rule is written once (tests/regions_tests/test_access.py checks it).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from regions.models import Department, Membership, Region, Role, published_condition

# Roles whose holders may change services in the place they are attached to.
EDITING_ROLES = {Role.HEAD, Role.DIGITAL_OFFICE}


@dataclass(frozen=True)
class Scope:
    """What one user may see and change, as sets of region and department ids."""

    sees_everything: bool = False
    edits_everything: bool = False
    seen_regions: frozenset[int] = frozenset()
    seen_departments: frozenset[int] = frozenset()
    edited_regions: frozenset[int] = frozenset()
    edited_departments: frozenset[int] = frozenset()

    @property
    def sees_anything(self) -> bool:
        return self.sees_everything or bool(self.seen_regions or self.seen_departments)

    @property
    def edits_anything(self) -> bool:
        return self.edits_everything or bool(self.edited_regions or self.edited_departments)

    def department_condition(self, path: str = "", *, editable: bool = False) -> Q | None:
        """A Q over rows reaching a department through ``path`` (e.g. ``"department__"``).

        None means "no restriction"; an impossible Q means "nothing".
        """
        if self.edits_everything if editable else self.sees_everything:
            return None
        regions = self.edited_regions if editable else self.seen_regions
        departments = self.edited_departments if editable else self.seen_departments
        department_id = f"{path}id" if path else "id"
        condition = Q(**{f"{path}region_id__in": regions}) | Q(
            **{f"{department_id}__in": departments}
        )
        return condition if (regions or departments) else Q(pk__in=[])

    def filter_departments(self, queryset, *, editable: bool = False):
        return self._apply(queryset, self.department_condition(editable=editable))

    def filter_through_department(
        self, queryset, *, path: str = "department__", editable: bool = False
    ):
        """Filter rows that reach a department through ``path`` (services, history...)."""
        return self._apply(queryset, self.department_condition(path, editable=editable))

    def filter_regions(self, queryset):
        """The regions the user sees anything of (a head: their department's region)."""
        if self.sees_everything:
            return queryset
        return queryset.filter(
            Q(pk__in=self.seen_regions) | Q(departments__in=self.seen_departments)
        ).distinct()

    @property
    def sees_several_regions(self) -> bool:
        """Whether the user's reach spans regions: lists then ask which region before they
        offer its departments (six hundred at once would be unusable)."""
        return self.sees_everything or len(self.seen_regions) > 1

    def may_edit_department(self, department) -> bool:
        return (
            self.edits_everything
            or department.pk in self.edited_departments
            or department.region_id in self.edited_regions
        )

    # --- a region's report: for those who see the whole region -----------------------

    def may_see_region_report(self, region) -> bool:
        """A region's report names every department's services: it is for those whose
        reach is the whole region (digital office, governor, region officials, national
        analysts), not for a department head or a department's official."""
        region_id = getattr(region, "pk", region)
        return self.sees_everything or region_id in self.seen_regions

    @property
    def sees_any_region_report(self) -> bool:
        return self.sees_everything or bool(self.seen_regions)

    @property
    def sees_national_view(self) -> bool:
        """Every region side by side is for those who see every region: national analysts
        and superusers. A governor sees their own region's place in it on their report."""
        return self.sees_everything

    @property
    def may_set_ranking(self) -> bool:
        """The national ranking's method (weights, thresholds) is the national level's:
        national analysts and superusers set it; regions are ranked by it, not asked."""
        return self.sees_everything

    @property
    def may_set_criteria(self) -> bool:
        """The criteria services are scored on, their levels and the life events are the
        national level's, as the ranking's method is: every region is measured alike."""
        return self.sees_everything

    def filter_reported_regions(self, queryset):
        """The regions whose report the user may read (see may_see_region_report)."""
        return self._within(queryset, "pk", self.seen_regions, everything=self.sees_everything)

    def filter_region_reports(self, queryset, *, region_field: str = "region_id"):
        """Rows of region reports (snapshots, the targets they chart) the user may read."""
        return self._within(
            queryset, region_field, self.seen_regions, everything=self.sees_everything
        )

    # --- region-wide records: the region's digital office's ---------------------------

    def may_edit_region(self, region) -> bool:
        """A region's own records (readiness figures, progress targets) are its digital
        office's to change, or a superuser's; governors and officials read them."""
        region_id = getattr(region, "pk", region)
        return self.edits_everything or region_id in self.edited_regions

    @property
    def edits_any_region(self) -> bool:
        return self.edits_everything or bool(self.edited_regions)

    def filter_edited_regions(self, queryset, *, region_field: str = "pk"):
        """The regions whose own records the user may change, or the rows reaching one
        through ``region_field`` (departments: ``"region_id"``)."""
        return self._within(
            queryset, region_field, self.edited_regions, everything=self.edits_everything
        )

    # --- open data: published regions for anyone, the user's own reach besides --------

    def may_publish_region(self, region) -> bool:
        """Publishing a region as open data (Region.published_on), or withdrawing it, is
        its digital office's decision, or a superuser's: like its other own records."""
        return self.may_edit_region(region)

    @property
    def publishes_any_region(self) -> bool:
        return self.edits_any_region

    def filter_publishable_regions(self, queryset):
        """The regions whose publication this user may decide."""
        return self.filter_edited_regions(queryset)

    def filter_open_regions(self, queryset):
        """The regions the open-data API shows this user: every published one, and those
        they see anything of (filter_regions), published or not. Anonymous: published."""
        if self.sees_everything:
            return queryset
        of_departments = Department.objects.filter(pk__in=self.seen_departments)
        seen = Q(pk__in=self.seen_regions) | Q(pk__in=of_departments.values("region_id"))
        return queryset.filter(published_condition() | seen)

    def filter_open_departments(self, queryset):
        """The departments the API shows: those of published regions, and those the user
        sees (filter_departments)."""
        return self._open(queryset, "region__", self.department_condition())

    def filter_open_through_department(self, queryset, *, path: str = "department__"):
        """Rows reaching a department through ``path`` (services) that the API shows: of
        published regions, and those the user sees (Service.objects.for_user)."""
        return self._open(queryset, f"{path}region__", self.department_condition(path))

    def filter_open_reported_regions(self, queryset):
        """The regions whose report figures the API shows: published ones, and those whose
        report the user may read (filter_reported_regions): a department head's reach is
        their services, not their region's figures."""
        if self.sees_everything:
            return queryset
        return queryset.filter(published_condition() | Q(pk__in=self.seen_regions))

    def may_verify_department(self, department) -> bool:
        """Accepting claims is the region's digital office's job (or a superuser's)."""
        return self.may_edit_region(department.region_id)

    @property
    def verifies_anything(self) -> bool:
        return self.edits_any_region

    def may_manage_departments(self, region) -> bool:
        """Creating, renaming and importing a region's departments is its digital office's
        job (or a superuser's): a department head changes services, not the list."""
        return self.may_edit_region(region)

    @property
    def manages_any_departments(self) -> bool:
        return self.edits_any_region

    def filter_managed_regions(self, queryset):
        """The regions whose departments this user may manage."""
        return self.filter_edited_regions(queryset)

    @staticmethod
    def _apply(queryset, condition):
        return queryset if condition is None else queryset.filter(condition)

    @staticmethod
    def _open(queryset, region_path: str, condition):
        """Published through ``region_path``, or within ``condition`` (None: everything)."""
        if condition is None:
            return queryset
        return queryset.filter(published_condition(region_path) | condition)

    @staticmethod
    def _within(queryset, field: str, region_ids, *, everything: bool):
        return queryset if everything else queryset.filter(**{f"{field}__in": region_ids})


NOTHING = Scope()
EVERYTHING = Scope(sees_everything=True, edits_everything=True)


def scope_for(user) -> Scope:
    """The user's scope, resolved with one query and kept on the user object.

    Like Django's own permission cache, it lives as long as the user object: one request.
    Code that changes memberships and checks again must fetch the user anew.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    cached = getattr(user, "_tracker_scope", None)
    if cached is None:
        cached = _resolve(
            Membership.objects.filter(user=user).values_list("role", "region_id", "department_id")
        )
        user._tracker_scope = cached
    return cached


def _resolve(memberships) -> Scope:
    sees_everything = False
    seen_regions, seen_departments = set(), set()
    edited_regions, edited_departments = set(), set()
    for role, region_id, department_id in memberships:
        if role == Role.NATIONAL:
            sees_everything = True
        if region_id:
            seen_regions.add(region_id)
            if role in EDITING_ROLES:
                edited_regions.add(region_id)
        if department_id:
            seen_departments.add(department_id)
            if role in EDITING_ROLES:
                edited_departments.add(department_id)
    return Scope(
        sees_everything=sees_everything,
        seen_regions=frozenset(seen_regions),
        seen_departments=frozenset(seen_departments),
        edited_regions=frozenset(edited_regions),
        edited_departments=frozenset(edited_departments),
    )


def can_edit(user, service) -> bool:
    """May this user change this service (its status, fields, history)?"""
    return scope_for(user).may_edit_department(service.department)


# --- the questions pages ask, answered with a row or a 404 ------------------------------


def reportable_regions(user):
    """Regions whose whole report the user may read."""
    return scope_for(user).filter_reported_regions(Region.objects.all())


def region_for(user, code: str) -> Region:
    """The region whose report pages the user opens, or a 404 that reveals nothing."""
    return get_object_or_404(reportable_regions(user), code=code)


def snapshot_for(user, pk: int):
    """One report snapshot the user may read, or a 404 that reveals nothing."""
    from reports.models import ReportSnapshot

    snapshot = (
        ReportSnapshot.objects.for_user(user)
        .select_related("region", "requested_by", "previous")
        .filter(pk=pk)
        .first()
    )
    if snapshot is None:
        raise Http404("No such report, or not yours to see.")
    return snapshot


def heads_of(department_ids):
    """The active heads of these departments, as memberships with the user and the
    department loaded: who answers for the departments' services."""
    return Membership.objects.filter(
        role=Role.HEAD, department_id__in=department_ids, user__is_active=True
    ).select_related("user", "department")
