"""The one place that decides who may see and change what.

A user's reach is resolved once from their memberships into a :class:`Scope`; the admin,
imports, exports and reports all filter through it (``Service.objects.for_user(user)``,
``can_edit(user, service)``). No per-object permission table exists: a membership in a
department or a region is the whole grant.

| role            | sees                 | changes              |
|-----------------|----------------------|----------------------|
| head            | own department       | own department       |
| digital office  | whole region         | whole region         |
| governor        | whole region         | nothing              |
| official        | department or region | nothing              |
| national        | every region         | nothing              |
| superuser       | everything           | everything           |
"""

from dataclasses import dataclass

from django.db.models import Q

from regions.models import Membership, Role

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
        if self.sees_everything:
            return queryset
        return queryset.filter(
            Q(pk__in=self.seen_regions) | Q(departments__in=self.seen_departments)
        ).distinct()

    def may_edit_department(self, department) -> bool:
        return (
            self.edits_everything
            or department.pk in self.edited_departments
            or department.region_id in self.edited_regions
        )

    def may_verify_department(self, department) -> bool:
        """Accepting claims is the region's digital office's job (or a superuser's)."""
        return self.edits_everything or department.region_id in self.edited_regions

    @property
    def verifies_anything(self) -> bool:
        return self.edits_everything or bool(self.edited_regions)

    def may_manage_departments(self, region) -> bool:
        """Creating, renaming and importing a region's departments is its digital office's
        job (or a superuser's): a department head changes services, not the list."""
        region_id = getattr(region, "pk", region)
        return self.edits_everything or region_id in self.edited_regions

    @property
    def manages_any_departments(self) -> bool:
        return self.edits_everything or bool(self.edited_regions)

    def filter_managed_regions(self, queryset):
        """The regions whose departments this user may manage."""
        if self.edits_everything:
            return queryset
        return queryset.filter(pk__in=self.edited_regions)

    @staticmethod
    def _apply(queryset, condition):
        return queryset if condition is None else queryset.filter(condition)


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
