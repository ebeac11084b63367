"""Every admin form, for every role, refuses a relation that points outside the role's reach.

The test walks the admin site's registry: each registered admin, its add and change form,
every relation field on the form and on its inline rows (foreign keys, one-to-one,
many-to-many, an inline row's parent), for every actor of the world who may open the form
(a superuser is left out: nothing is foreign to them). Each probe posts the form as the
browser would, with that one field set to a "foreign" object — one the actor may not edit
by regions/access.py — and expects a refusal (a form error on that field, 403, 404, or the
actions' redirect back to the form) with nothing written, not even the admin's log, and no
link to the foreign object on the page. An inline row's id and a relation the form shows
read-only are probed too: posting them may be ignored, never obeyed.

A new admin, a new relation on a form, a new inline are covered without a new test; an
admin that someone of limited reach may change fails until ``rows`` gives it a row.
"""

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date
from html.parser import HTMLParser

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.forms.models import InlineForeignKeyField
from django.test import RequestFactory
from django.urls import reverse

from regions.access import scope_for
from regions.models import Department, DepartmentAlias, Readiness, Region, User
from reports.models import ProgressTarget, RankingIndicator, ReportNote, ReportSnapshot
from services.models import Channel, Criterion, LifeEvent, Service, Usage

pytestmark = pytest.mark.django_db

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
# Tables whose rows a refused save must leave as they were (the admin's log included).
WATCHED_APPS = {"regions", "services", "reports", "admin"}


@pytest.fixture
def rows(world):
    """A row of every admin's model the world lacks, in both regions, so that each change
    form opens for its editors and each relation has a foreign object to point at."""
    services = [
        world.kindergarten,
        world.first_grade,
        world.seed_subsidy,
        world.almaty_kindergarten,
    ]
    for month, service in enumerate(services, start=1):  # no two rows would clash if moved
        Usage.objects.create(
            service=service, month=date(2026, month, 1), channel=Channel.EGOV, count=3
        )
    for region, department in (
        (world.zhambyl, world.education),
        (world.almaty_region, world.almaty_education),
    ):
        Readiness.objects.create(region=region, period=date(2025, 1, 1), digital_literacy=61)
        target = ProgressTarget.objects.create(
            region=region,
            department=department,
            share=80,
            deadline=date(2026, 12, 31),
            set_on=date(2026, 1, 1),
        )
        ReportSnapshot.objects.create(region=region, as_of=date(2026, 3, 2))
        ReportNote.objects.create(
            region=region, department=department, target=target, on=date(2026, 3, 2), text_ru="x"
        )
    for number, department in enumerate(
        (world.education, world.agriculture, world.almaty_education)
    ):
        DepartmentAlias.objects.create(department=department, label=f"Псевдоним {number}")
    # the ranking's method (the migration's rows are gone after a flush)
    RankingIndicator.objects.get_or_create(key="share_verified", defaults={"weight": 40})
    return world


def actors(world):
    return {
        field.name: getattr(world, field.name)
        for field in fields(world)
        if isinstance(getattr(world, field.name), User)
    }


# --- whose an object is, by regions.access ---------------------------------------------


def place_of(obj):
    """The department or region a row belongs to, through its foreign keys, the narrowest
    first (a usage row: its service's department); None for rows of no place (users)."""
    if isinstance(obj, Department | Region):
        return obj
    for target in (Department, Service, Region):
        for field in obj._meta.concrete_fields:
            if field.related_model is target and getattr(obj, field.attname) is not None:
                return place_of(getattr(obj, field.name))
    return None


# The national vocabulary: rows of no region that any service may point at.
SHARED_BY_ALL = (Criterion, LifeEvent)


def may_point_at(scope, obj) -> bool:
    if isinstance(obj, SHARED_BY_ALL):
        return True
    place = place_of(obj)
    if isinstance(place, Department):
        return scope.may_edit_department(place)
    if isinstance(place, Region):
        return scope.may_edit_region(place)
    return scope.edits_everything  # no place: only those who may change everything


def foreign_objects(user, model):
    scope = scope_for(user)
    return [obj for obj in model._base_manager.order_by("pk") if not may_point_at(scope, obj)]


# --- the form as a browser posts it -----------------------------------------------------


class PostedForm(HTMLParser):
    """The controls a browser would send from the form with this id, as they stand."""

    SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = defaultdict(list)
        self.select = None  # (name, multiple, [(value, selected)])
        self.option = None  # [value or None, selected, text]
        self.textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        usable = name and "disabled" not in attrs and "__prefix__" not in name
        if tag == "input" and usable:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name].append(attrs.get("value") or "on")
            elif kind not in self.SKIPPED_INPUTS:
                self.data[name].append(attrs.get("value") or "")
        elif tag == "select":
            self.select = (name, "multiple" in attrs, []) if usable else None
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in attrs, ""]
        elif tag == "textarea" and usable:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[2] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option" and self.option is not None:
            value, selected, text = self.option
            self.select[2].append((text.strip() if value is None else value, selected))
            self.option = None
        elif tag == "select" and self.select is not None:
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not multiple and not chosen and options:
                chosen = [options[0][0]]  # a browser sends the first option
            self.data[name].extend(chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.data[name].append(text[1:] if text.startswith("\n") else text)
            self.textarea = None


def posted_form(response, model) -> dict[str, list[str]]:
    parser = PostedForm(f"{model._meta.model_name}_form")
    parser.feed(response.content.decode())
    return dict(parser.data)


# --- what to probe ----------------------------------------------------------------------


@dataclass
class Probe:
    name: str  # as posted: "service", "usage-0-service"
    model: type  # the model the field's value is a row of
    value: list[str]  # as the form stands
    multiple: bool
    strict: bool  # a refusal is expected; else the value may be ignored, not obeyed


def forms_of(context):
    """The change page's form and its inline rows that hold data (not the empty extras)."""
    yield context["adminform"].form
    for inline in context["inline_admin_formsets"]:
        yield from inline.formset.initial_forms


def relation_probes(context, data, obj, model):
    probes = []
    for form in forms_of(context):
        for field_name, field in form.fields.items():
            name = form.add_prefix(field_name)
            value = data.get(name, [])
            if isinstance(field, InlineForeignKeyField):  # the row's parent
                probes.append(Probe(name, type(field.parent_instance), value, False, True))
            elif isinstance(field, forms.ModelChoiceField) and not field.disabled:
                multiple = isinstance(field, forms.ModelMultipleChoiceField)
                # An inline row's id names the row to change: another service's row must be
                # ignored (Django leaves it alone), not changed through this page.
                strict = not (form is not context["adminform"].form and field_name == "id")
                probes.append(Probe(name, field.queryset.model, value, multiple, strict))
    if obj is not None:  # relations not on the form (read-only): posting them changes nothing
        on_form = context["adminform"].form.fields
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.name not in on_form:
                probes.append(Probe(field.name, field.related_model, [], field.many_to_many, False))
    return probes


# --- what the database holds ------------------------------------------------------------


def database(*, with_log=True):
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label in WATCHED_APPS and (with_log or model is not LogEntry)
    }


def fields_in_error(context) -> set[str]:
    if not context or "adminform" not in context:
        return set()
    every_form = [context["adminform"].form] + [
        form for inline in context["inline_admin_formsets"] for form in inline.formset.forms
    ]
    return {form.add_prefix(name) for form in every_form for name in form.errors}


def link_to(obj) -> str | None:
    """The object's admin page, as a refusal must not show it (a raw id box labels the id
    it is given with a link to the row it names)."""
    if type(obj) not in admin.site._registry:
        return None
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# --- the probes -------------------------------------------------------------------------


def probe_form(client, url, model, obj, actor) -> list[str]:
    """Open the form as the actor and post it once per relation field and foreign object;
    the problems found."""
    page = client.get(url)
    if page.status_code != 200:
        return [f"{url}: {page.status_code} for a user the admin lets in"]
    data = posted_form(page, model)
    problems, probed = [], False
    for probe in relation_probes(page.context, data, obj, model):
        for foreign in foreign_objects(actor, probe.model):
            probed = True
            value = [*probe.value, str(foreign.pk)] if probe.multiple else [str(foreign.pk)]
            before = database(with_log=probe.strict)
            response = client.post(url, {**data, probe.name: value})
            where = f"{url} {probe.name}={foreign.pk} ({probe.model.__name__} {foreign})"
            if database(with_log=probe.strict) != before:
                # The form no longer stands as it was opened: the rest would tell nothing.
                return [*problems, f"{where}: the database changed"]
            if probe.strict and not (
                response.status_code in (403, 404)
                or (response.status_code == 302 and response["Location"] == url)  # actions'
                or probe.name in fields_in_error(response.context)
            ):
                problems.append(f"{where}: {response.status_code}, not refused")
            elif link_to(foreign) and link_to(foreign) in response.content.decode():
                problems.append(f"{where}: the refusal links to the foreign object")
    if obj is not None and probed:
        # The probes' premise: the same form, unchanged, is accepted.
        response = client.post(url, data)
        if response.status_code != 302 or response["Location"] == url:
            errors = fields_in_error(response.context)
            problems.append(f"{url}: the unchanged form is refused ({errors}); fix the test")
    return problems


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def forms_to_open(model_admin, user):
    """The add form if the user may add, and the change form of the first row they may
    change: (url, the row or None)."""
    request = request_of(user)
    info = (model_admin.opts.app_label, model_admin.opts.model_name)
    if model_admin.has_add_permission(request):
        yield reverse("admin:{}_{}_add".format(*info)), None
    if model_admin.has_change_permission(request):
        rows = model_admin.get_queryset(request).order_by("pk")
        obj = next((obj for obj in rows if model_admin.has_change_permission(request, obj)), None)
        if obj is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[obj.pk]), obj


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _ in ADMINS])
def test_no_admin_form_lets_a_role_point_outside_its_reach(client, rows, model, model_admin):
    # A superuser may point anywhere: nothing is foreign to them.
    limited = {
        name: actor for name, actor in actors(rows).items() if not scope_for(actor).edits_everything
    }
    problems, opened = [], False
    for name, actor in limited.items():
        client.force_login(actor)
        for url, obj in forms_to_open(model_admin, actor):
            opened = opened or obj is not None
            problems += [
                f"{name}: {problem}" for problem in probe_form(client, url, model, obj, actor)
            ]
    changed_by_someone = any(
        model_admin.has_change_permission(request_of(actor)) for actor in limited.values()
    )
    assert opened or not changed_by_someone, f"give `rows` a {model._meta.label} to change"
    assert not problems, "\n".join(problems)
