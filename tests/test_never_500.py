"""No address of the project answers 500, whoever asks and whatever junk they send.

Every URL pattern the project has (found by walking the resolver, not listed by hand) is
asked for with its path filled with real ids of the test world and with junk, by each
role, with junk values for every parameter name the app reads: ServiceFilter's, the admin
lists' lookups (read off each changelist's own filters), pagination, search, sorting and
the pages' own. A refusal (400, 403, 404, a redirect) is fine; a 500 is a bug.

Asking everything with everything would take hours. So every address is asked bare; the
pages that read parameters (lists, exports, reports, search) get every parameter at once
with each junk value, and each parameter on its own with NUL and two more values (two
others for each role); the other pages get all parameters as NUL, then as a word; junk in
the path is asked by the widest role, a narrow one and no one signed in.
"""

import itertools
import re
from datetime import date
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from regions.models import DepartmentAlias, Readiness
from reports.build import build_region_report
from reports.models import ProgressTarget
from services import actions
from services.filters import ServiceFilter
from services.models import Channel, ExportJob, Status, Usage
from services.tasks import run_export
from tracker.models import WorkerHeartbeat

JUNK = [
    "",
    "x",
    "-1",
    "0",
    "999999",
    "99999999999999999999",  # past bigint
    "1.5",
    "²",  # a digit to str.isdigit(), not to int()
    "\x00",
    "KZ-31\x00",
    "../../etc/passwd",
    "x" * 3000,
    "Қазақстан 🇰🇿",
    "' OR '1'='1",
    "%",
    "true",
    "2024-02-30",
]
# What the other pages, and every page asked by the other roles, get.
SHARPEST = ["", "x", "-1", "99999999999999999999", "²", "\x00", "x" * 3000, "Қазақстан 🇰🇿"]
# In place of an id or a code in the path.
JUNK_SEGMENTS = ["x", "99999999999999999999", "\x00", "Қ 🇰🇿"]

# Parameters pages read, besides ServiceFilter's and the admin lists' own lookups.
PAGE_PARAMETERS = [
    "page", "p", "q", "s", "term", "o", "e", "all", "format", "resource", "as_of",
    "from", "to", "a", "b", "next", "language", "app_label", "model_name", "field_name",
    "_popup", "_to_field", "_changelist_filters", "_facets", "action", "_selected_action",
    "select_across", "index", "input_format", "import_file", "file_name", "import_token",
    "original_file_name", "page_size", "lang", "kind", "level", "version",
]  # fmt: skip
# An admin list takes any other parameter for a lookup and refuses it: a page of its own
# is sent only what it reads, or every request would be refused for the first junk name.
CHANGELIST_PARAMETERS = ["p", "q", "o", "e", "all", "_facets", "_popup", "_to_field"]
READS = {  # page -> what it reads, and what each request starts from to reach its depths
    "admin:search": (["s", "page"], [{"s": "a"}]),
    "admin:autocomplete": (["term", "page", "app_label", "model_name", "field_name"], None),
    "reports:compare": (["from", "to"], [{}]),
}  # the autocomplete's starting points: every field an admin offers it for (see below)

# The pages that read parameters: every junk value; each parameter on its own.
READING = re.compile(
    r"_changelist$|_import$|_refused_rows$|^admin:(index|app_list|search|autocomplete)$"
    r"|^reports:(index|region|compare|snapshot)$|^exports:services_|^api:.*-(list|detail)$"
)
ON_ITS_OWN = re.compile(
    r"_changelist$|^exports:services_|^admin:(search|autocomplete)$|^reports:compare$"
    r"|^api:(service|region-figures|department-figures)-list$"
)

ROLES = ["superuser", "digital_office", "head_of_education", "governor", None]

# Logging out would end the role's session; the import's confirm step is the spreadsheet
# import's own to test (services_tests/test_import_admin.py).
POST_SKIPPED = re.compile(r"/process_import/$|/logout/$")


def walk(resolver=None, prefix="", namespace=""):
    """(route, name) of every URL pattern, with its prefixes and namespace."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, namespace + (entry.name or "")


CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")


def fillings(route: str) -> dict[str, bool]:
    """{path: real} for the route with its converters (or regex groups) filled: with
    real values, then each in turn with junk, the others real."""
    regex = route.startswith("^") or "(?P<" in route
    slots = list((REGEX_GROUP if regex else CONVERTER).finditer(route))
    real = [real_values(route, slot) or ["1"] for slot in slots]
    choices = [(values, True) for values in itertools.product(*real)]
    for index in range(len(slots)):
        for value in JUNK_SEGMENTS:
            choices.append(([value if at == index else r[0] for at, r in enumerate(real)], False))
    paths = {}
    for chosen, is_real in choices:
        path, end = "", 0
        for slot, filled in zip(slots, chosen, strict=True):
            path += route[end : slot.start()] + quote(filled, safe="")
            end = slot.end()
        path = "/" + (path + route[end:]).replace("^", "").replace("$", "")
        paths[path] = paths.get(path, False) or is_real
    return paths


def real_values(route: str, slot) -> list[str]:
    name = slot.group("name")
    if slot.group(0).startswith("(?P<"):  # the admin's app list: (?P<app_label>a|b|c)
        body = slot.group("body")
        return body.split("|") if re.fullmatch(r"[\w|]+", body) else []
    if route.startswith(("reports/", "api/")) and name == "code":
        return ["KZ-31", "KZ-19"]
    if route.startswith("api/") and name == "pk":  # the open-data API's rows
        models = {"services": ("services", "service"), "departments": ("regions", "department")}
        return ids_of(*models[route.split("/")[2]])
    if route.startswith("reports/") and name == "pk":
        return ids_of("reports", "reportsnapshot")
    if route.startswith("exports/") and name == "pk":
        return ids_of("services", "exportjob")
    if name == "content_type_id":
        return [str(ContentType.objects.get_for_model(apps.get_model("services.service")).pk)]
    if name == "id":  # a user's password page
        return ids_of("regions", "user")[:2]
    model = re.match(rf"{re.escape(reverse('admin:index')[1:])}(\w+)/(\w+)/", route)
    if model and name == "object_id":
        return ids_of(*model.groups())[:2]
    if name == "object_id":
        return ids_of("services", "service")[:1]
    return []


def ids_of(app_label: str, model_name: str) -> list[str]:
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return []
    return [str(pk) for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)]


def every_address() -> list[tuple[str, str, bool]]:
    """(path, name, real) for every pattern of the project, each of its fillings."""
    found = {}
    for route, name in walk():
        for path, real in fillings(route).items():
            found.setdefault(path, (name, real))
    return sorted((path, name, real) for path, (name, real) in found.items())


def changelist_parameters(user) -> dict[str, list[str]]:
    """Each admin list's own parameters, its filters' lookups as they announce them."""
    found = {}
    for model, model_admin in admin.site._registry.items():
        request = RequestFactory().get("/")
        request.user = user
        changelist = model_admin.get_changelist_instance(request)
        names = {p for spec in changelist.filter_specs for p in spec.expected_parameters()}
        if model_admin.date_hierarchy:
            names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        found[name] = sorted(names | set(CHANGELIST_PARAMETERS))
    return found


def autocomplete_contexts() -> list[dict]:
    """What the admin's autocomplete needs to search at all: a field some admin offers."""
    found = []
    for model_admin in admin.site._registry.values():
        owners = [
            model_admin,
            *(inline(model_admin.model, admin.site) for inline in model_admin.inlines),
        ]
        for owner in owners:
            meta = owner.model._meta
            found += [
                {"app_label": meta.app_label, "model_name": meta.model_name, "field_name": field}
                for field in owner.autocomplete_fields
            ]
    return found


def reads(name: str, lookups: dict[str, list[str]]) -> tuple[list[str], list[dict]]:
    """(the parameters a page is sent, the bases each request starts from)."""
    if name in lookups:
        return lookups[name], [{}]
    if name.startswith("exports:services_"):
        return sorted(ServiceFilter.base_filters), [{}]
    if name in READS:
        names, bases = READS[name]
        return names, bases if bases is not None else autocomplete_contexts()
    return sorted({*PAGE_PARAMETERS, *ServiceFilter.base_filters}), [{}]


def requests_for(path, name, real, lookups, role) -> list[tuple[str, dict]]:
    """What ``role`` sends to one address (see the module's docstring)."""
    sent = [("get", {})]
    if not real:
        return sent
    names, bases = reads(name, lookups)
    reading = READING.search(name)
    values = JUNK if reading and role == "superuser" else SHARPEST if reading else ["\x00", "x"]
    for base in bases:
        junk_names = [n for n in names if n not in base]
        sent += [("get", {**dict.fromkeys(junk_names, v), **base}) for v in values]
        if ON_ITS_OWN.search(name) and role:
            # Each role gives each parameter NUL and two other values of the list.
            turn = 2 * ROLES.index(role)
            sent += [
                ("get", {**base, n: value})
                for at, n in enumerate(names)
                for value in (
                    "\x00",
                    JUNK[(at + turn) % len(JUNK)],
                    JUNK[(at + turn + 1) % len(JUNK)],
                )
            ]
    if not POST_SKIPPED.search(path) and role in ("superuser", "head_of_education"):
        sent += [("post", dict.fromkeys(names, value)) for value in ("\x00", "x")]
    return sent


def ask(client, method, path, data) -> str | None:
    response = getattr(client, method)(path, data)
    if response.status_code < 500:
        return None
    problem = getattr(response, "exc_info", None)
    shown = {k: (v[:20] + "…" if len(v) > 20 else v) for k, v in data.items()}
    if len(set(shown.values())) == 1 and len(shown) > 1:
        shown = f"every parameter = {next(iter(shown.values()))!r}"
    return f"{method.upper()} {path} {shown!r} → {response.status_code} {problem and problem[1]!r}"


@pytest.fixture
def everything(world, settings, tmp_path):
    """The world, plus a row of every kind an address can name."""
    settings.MEDIA_ROOT = tmp_path
    actions.set_status(world.kindergarten, status=Status.PARTIAL, by=world.head_of_education)
    build_region_report(world.zhambyl, as_of=timezone.localdate())
    Usage.objects.create(
        service=world.first_grade, month=date(2024, 1, 1), channel=Channel.values[0], count=5
    )
    ProgressTarget.objects.create(
        region=world.zhambyl, share=100, deadline=date(2030, 12, 31), set_on=date(2024, 1, 1)
    )
    Readiness.objects.create(region=world.zhambyl, period=date(2024, 1, 1))
    DepartmentAlias.objects.create(
        region=world.zhambyl, department=world.education, label="Білім бөлімі"
    )
    for role in ROLES[:-1]:
        ExportJob.objects.create(requested_by=getattr(world, role), format="csv")
    # A worker alive a moment ago: without one, /health/ rightly answers 503 (its own
    # tests cover that); here it must answer like every other page.
    WorkerHeartbeat.beat()
    # The open-data API: one region published, so anyone reaches its rows; and no throttle
    # in the way of a crawl of thousands of requests (tests/api_tests test the throttles).
    world.zhambyl.published_on = timezone.localdate()
    world.zhambyl.save(update_fields=["published_on"])
    settings.API_ANON_RATE = settings.API_USER_RATE = "1000000/min"
    cache.clear()
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_no_address_answers_500_whatever_it_is_sent(everything, role):
    client = Client(raise_request_exception=False)
    if role:
        client.force_login(getattr(everything, role))
    lookups = changelist_parameters(everything.superuser)
    failures, asked = [], 0
    for path, name, real in every_address():
        if not real and role not in ("superuser", "head_of_education", None):
            continue  # junk in the path: the same views, asked by the widest and narrowest
        for method, data in requests_for(path, name, real, lookups, role):
            asked += 1
            if failure := ask(client, method, path, data):
                failures.append(failure)
    assert not failures, f"{len(failures)} of {asked} requests answered 500:\n" + "\n".join(
        failures[:80]
    )


@pytest.mark.django_db
def test_a_background_export_of_any_junk_filter_is_written_or_fails_readably(
    world, settings, tmp_path
):
    """Past EXPORT_BACKGROUND_ROWS the filters are kept on a job and read again by the
    worker: junk there must end as a refusal or a file, not a crash of the job."""
    settings.EXPORT_BACKGROUND_ROWS = 0  # every export a job
    settings.MEDIA_ROOT = tmp_path
    client = Client(raise_request_exception=False)
    client.force_login(world.digital_office)
    failures = []
    for name in ServiceFilter.base_filters:
        for value in JUNK:
            response = client.get("/exports/services.csv", {name: value})
            if response.status_code >= 500:
                failures.append(f"{name}={value[:20]!r} → {response.status_code}")
                continue
            for job in ExportJob.objects.filter(state=ExportJob.State.QUEUED):
                try:
                    run_export(job)
                except Exception as error:
                    failures.append(f"{name}={value[:20]!r}: the job raised {error!r}")
                job.refresh_from_db()
                if job.state not in (ExportJob.State.DONE, ExportJob.State.FAILED):
                    failures.append(f"{name}={value[:20]!r}: the job is left {job.state}")
    assert not failures, "\n".join(failures)
