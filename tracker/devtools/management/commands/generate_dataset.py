import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from tracker.demo import load_demo
from tracker.devtools import dataset


class Command(BaseCommand):
    help = (
        "Fill an empty database with realistic data: the demo oblast (demo), one region of "
        "2,500 services (region), or all 20 regions with ~50,000 services, ~500,000 status "
        "changes and 36 months of usage (national); --factor N multiplies the last two."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", *dataset.SCALES], default="demo")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--factor",
            type=int,
            default=1,
            help="that many times the scale's departments and services, and their history "
            "and usage (national --factor 10: 500,000 services)",
        )

    def handle(self, *args, scale, seed, factor, **options):
        if factor < 1 or (factor > 1 and scale == "demo"):
            raise CommandError("--factor is a whole number from 1, for region or national.")
        with translation.override("en"):  # operator output, like Django's own commands
            started = time.perf_counter()
            if scale == "demo":
                if not settings.DEBUG:
                    raise CommandError("The demo creates known passwords; it needs DEBUG on.")
                load_demo()
            else:
                try:
                    report = dataset.generate(
                        dataset.SCALES[scale].times(factor), seed=seed, say=self.stdout.write
                    )
                except ValueError as refusal:
                    raise CommandError(str(refusal)) from refusal
                self.stdout.write(
                    f"{report.regions} regions, {report.departments} departments, "
                    f"{report.services} services, {report.status_changes} status changes, "
                    f"{report.usage_rows} usage rows"
                )
            seconds = time.perf_counter() - started
            size = dataset.database_size()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{scale} dataset (×{factor}) written in {seconds:.1f} s"
                    + (f"; the database now takes {size}" if size else "")
                )
            )
