"""Data and operations for `make bench` (tracker/management/commands/bench.py)."""

import csv
import os
import tempfile
import time

import xlsxwriter

from regions.models import Department, Region
from services import exports
from services.models import Service, Sphere, Status

# KZ-99 is no region of Kazakhstan: the bench data can never mix with a real oblast's.
DEPARTMENTS = 200


def ensure_services(total: int) -> float:
    """Make sure the bench region holds exactly ``total`` services; seconds it took."""
    started = time.perf_counter()
    region, _ = Region.objects.get_or_create(
        code="KZ-99",
        defaults={
            "kind": Region.Kind.OBLAST,
            "name_kk": "Бенчмарк облысы",
            "name_ru": "Бенчмарк-область",
            "name_en": "Benchmark Region",
            "centre_kk": "—",
            "centre_ru": "—",
            "centre_en": "—",
        },
    )
    if Service.objects.filter(department__region=region).count() == total:
        return 0.0
    Service.objects.filter(department__region=region).delete()
    Department.objects.filter(region=region).delete()
    departments = Department.objects.bulk_create(
        Department(
            region=region,
            code=f"D{n:03}",
            name_kk=f"Басқарма {n}",
            name_ru=f"Управление {n}",
            name_en=f"Department {n}",
        )
        for n in range(DEPARTMENTS)
    )
    statuses, spheres = Status.values, Sphere.values
    batch = []
    for n in range(total):
        batch.append(
            Service(
                department=departments[n % DEPARTMENTS],
                name_kk=f"Мемлекеттік қызмет №{n}",
                name_ru=f"Государственная услуга №{n}",
                name_en=f"Public service #{n}",
                sphere=spheres[n % len(spheres)],
                status=statuses[n % 4],
                socially_significant=n % 3 == 0,
                documents_required=n % 9,
                term_days=n % 30,
                blocker="Нет интеграции с государственной базой данных" if n % 4 == 0 else "",
            )
        )
        if len(batch) == 5000:
            Service.objects.bulk_create(batch)
            batch = []
    Service.objects.bulk_create(batch)
    return time.perf_counter() - started


def _bench_services():
    return Service.objects.filter(department__region__code="KZ-99")


def export_xlsx() -> int:
    with tempfile.TemporaryDirectory() as folder:
        return exports.write_xlsx(_bench_services(), os.path.join(folder, "s.xlsx"))


def export_csv() -> int:
    with tempfile.TemporaryDirectory() as folder:
        return exports.write_csv(_bench_services(), os.path.join(folder, "s.csv"))


def _raw_rows():
    """The same columns straight from the database, no model objects: the floor."""
    fields = [
        "register_code",
        "department__code",
        "name_kk",
        "name_ru",
        "name_en",
        "sphere",
        "socially_significant",
        "status",
        "documents_required",
        "term_days",
        "blocker",
        "evidence_url",
        "target_status",
        "target_date",
        "last_confirmed",
    ]
    return _bench_services().values_list(*fields).iterator(chunk_size=2000)


def raw_xlsx() -> int:
    with tempfile.TemporaryDirectory() as folder:
        workbook = xlsxwriter.Workbook(os.path.join(folder, "s.xlsx"), {"constant_memory": True})
        sheet = workbook.add_worksheet()
        count = 0
        for count, row in enumerate(_raw_rows(), start=1):
            sheet.write_row(count, 0, [v if v is not None else "" for v in row])
        workbook.close()
        return count


def raw_csv() -> int:
    with (
        tempfile.TemporaryDirectory() as folder,
        open(os.path.join(folder, "s.csv"), "w", newline="") as handle,
    ):
        writer = csv.writer(handle, delimiter=";")
        count = 0
        for row in _raw_rows():
            writer.writerow(row)
            count += 1
        return count
