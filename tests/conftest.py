"""Shared test data: two regions, their departments, and a named actor for every role."""

import os
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from regions.models import Department, Membership, Region, Role, User
from services import actions
from services.first_set import ensure_first_set
from services.models import Service, Status
from tracker.celery import app as celery_app


@pytest.fixture(scope="session", autouse=True)
def celery_test_broker():
    """Tasks go to CELERY_BROKER_URL when it is set (Redis in CI), else to memory; always
    on a queue of this run's own, so no other worker takes them and no old task lingers."""
    celery_app.conf.update(
        broker_url=os.environ.get("CELERY_BROKER_URL") or "memory://",
        broker_transport_options={"visibility_timeout": 60, "polling_interval": 0.1},
        task_default_queue=f"tracker-tests-{uuid.uuid4().hex[:8]}",
    )
    return celery_app


@pytest.fixture(scope="module")
def celery_worker(celery_test_broker):
    """A real Celery worker, in a thread of this process, consuming this run's queue.

    It has its own database connection, so tests using it need ``transactional_db``:
    the worker sees only what the test has committed.
    """
    from celery.contrib.testing.worker import start_worker

    with start_worker(
        celery_test_broker, pool="solo", perform_ping_check=False, shutdown_timeout=30
    ) as worker:
        yield worker


def wait_for(condition, *, seconds=30.0):
    """Poll until condition() is true (a worker in another thread is doing the work).

    A read that meets SQLite's "locked" is simply polled again: the tests' SQLite is a
    file in WAL mode (tracker.settings), where that is rare, but an in-memory one (a
    TEST NAME unset) locks a table the worker is writing to the test's read."""
    from django.db import OperationalError

    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return
        except OperationalError as error:
            if "locked" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {seconds} s")
        time.sleep(0.1)


@pytest.fixture(autouse=True)
def import_uploads(settings, tmp_path):
    """The folder where the admin keeps uploads between preview and confirmation: one
    of each test's own, so a test can see what was left there."""
    settings.IMPORT_UPLOAD_DIR = tmp_path / "import-uploads"
    return settings.IMPORT_UPLOAD_DIR


@pytest.fixture(autouse=True)
def first_set_of_criteria(request):
    """The criteria and life events the migrations add, for every test with a database:
    a transactional test's flush empties every table, the migrations' rows too."""
    uses = set(request.fixturenames)
    if not (
        {"db", "transactional_db", "live_server"} & uses
        or request.node.get_closest_marker("django_db")
    ):
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & uses or (
        marker is not None and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_first_set()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a password by design; tests need speed, not secrecy."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username, role=None, *, department=None, region=None, **extra):
    extra.setdefault("email", f"{username}@akimat.example.kz")
    user = User.objects.create_user(username, is_staff=True, **extra)
    if role is not None:
        Membership.objects.create(user=user, role=role, department=department, region=region)
    return User.objects.get(pk=user.pk)  # fresh: no cached access scope


def make_service(department, name, *, status=Status.PAPER, by, at=None, **fields):
    # Proof by default: a head's move to electronic needs it (pass "" to test without).
    fields.setdefault("evidence_url", "https://egov.kz/cms/ru/services")
    return actions.create_service(
        department=department, by=by, status=status, at=at, name_ru=name, **fields
    )


def almaty(year, month, day, hour=12, minute=0):
    return timezone.make_aware(
        datetime(year, month, day, hour, minute), timezone.get_default_timezone()
    )


@dataclass
class World:
    zhambyl: Region
    almaty_region: Region
    education: Department
    agriculture: Department
    almaty_education: Department
    head_of_education: User
    head_of_agriculture: User
    head_in_almaty: User
    digital_office: User
    governor: User
    official: User
    department_official: User
    national_analyst: User
    superuser: User
    outsider: User
    kindergarten: Service
    first_grade: Service
    seed_subsidy: Service
    almaty_kindergarten: Service


@pytest.fixture
def world(db):
    zhambyl = Region.objects.create(
        code="KZ-31",
        kind=Region.Kind.OBLAST,
        name_kk="Жамбыл облысы",
        name_ru="Жамбылская область",
        name_en="Zhambyl Region",
        centre_kk="Тараз",
        centre_ru="Тараз",
        centre_en="Taraz",
    )
    almaty_region = Region.objects.create(
        code="KZ-19",
        kind=Region.Kind.OBLAST,
        name_kk="Алматы облысы",
        name_ru="Алматинская область",
        name_en="Almaty Region",
        centre_kk="Қонаев",
        centre_ru="Конаев",
        centre_en="Konaev",
    )
    education = Department.objects.create(
        region=zhambyl,
        code="EDU",
        name_kk="Білім басқармасы",
        name_ru="Управление образования",
        name_en="Education Department",
    )
    agriculture = Department.objects.create(
        region=zhambyl,
        code="AGR",
        name_kk="Ауыл шаруашылығы басқармасы",
        name_ru="Управление сельского хозяйства",
        name_en="Agriculture Department",
    )
    almaty_education = Department.objects.create(
        region=almaty_region,
        code="EDU",
        name_kk="Білім басқармасы",
        name_ru="Управление образования",
        name_en="Education Department",
    )
    head_of_education = make_user("head.edu", Role.HEAD, department=education)
    head_of_agriculture = make_user("head.agr", Role.HEAD, department=agriculture)
    head_in_almaty = make_user("head.almaty", Role.HEAD, department=almaty_education)
    superuser = User.objects.create_superuser("root", password=None)
    world = World(
        zhambyl=zhambyl,
        almaty_region=almaty_region,
        education=education,
        agriculture=agriculture,
        almaty_education=almaty_education,
        head_of_education=head_of_education,
        head_of_agriculture=head_of_agriculture,
        head_in_almaty=head_in_almaty,
        digital_office=make_user("digital", Role.DIGITAL_OFFICE, region=zhambyl),
        governor=make_user("akim", Role.GOVERNOR, region=zhambyl),
        official=make_user("official", Role.OFFICIAL, region=zhambyl),
        department_official=make_user("official.edu", Role.OFFICIAL, department=education),
        national_analyst=make_user("ministry", Role.NATIONAL),
        superuser=superuser,
        outsider=make_user("outsider"),
        kindergarten=make_service(
            education,
            "Постановка на очередь в детский сад",
            by=head_of_education,
            socially_significant=True,
        ),
        first_grade=make_service(
            education,
            "Зачисление в 1 класс",
            status=Status.ELECTRONIC,
            by=head_of_education,
        ),
        seed_subsidy=make_service(
            agriculture,
            "Субсидирование семян",
            by=head_of_agriculture,
        ),
        almaty_kindergarten=make_service(
            almaty_education,
            "Постановка на очередь в детский сад",
            by=head_in_almaty,
        ),
    )
    return world


def add_reported_regions(count: int, *, by, days=(0,), first: int = 0) -> list[Region]:
    """``count`` more regions, each with an education department, one service and a
    finished report of each of ``days`` days ago: for costs that must not grow with the
    number of regions."""
    from reports.build import build_region_report

    regions = []
    for number in range(first, first + count):
        region = Region.objects.create(
            code=f"KZ-{60 + number}", kind=Region.Kind.OBLAST, name_ru=f"Область {number}"
        )
        department = Department.objects.create(region=region, code="EDU", name_ru="Образование")
        make_service(department, "Зачисление", by=by)
        for days_ago in days:
            build_region_report(region, as_of=timezone.localdate() - timedelta(days=days_ago))
        regions.append(region)
    return regions


@contextmanager
def demo_loaded_for_a_module(django_db_blocker, *, country: bool):
    """The demo loaded once inside a transaction rolled back at the end (for a module's
    fixture); each test still runs in its own savepoint. Yields the demo logins."""
    from django.db import transaction
    from django.test import override_settings

    from tracker.demo import load_demo

    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        loaded, logins = load_demo(country=country)
        assert loaded
        yield logins
        transaction.set_rollback(True)
