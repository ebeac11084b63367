"""`manage.py import_services FILE --department EDU --user head.edu [--dry-run]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.models import Department, User
from services.spreadsheets.importer import import_services, import_usage


class Command(BaseCommand):
    help = (
        "Import a department's service list from an XLSX or CSV file, as the given user: "
        "all rows or none. Prints the counts and every row that stops the import."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--department",
            required=True,
            help="The department's id, its code (EDU) or region and code (KZ-31/EDU).",
        )
        parser.add_argument(
            "--user",
            required=True,
            help="Login of the person importing: their rights apply and the history names them.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, writing nothing."
        )
        parser.add_argument(
            "--usage",
            action="store_true",
            help="The file holds monthly deliveries by channel, not the service list.",
        )

    def handle(self, *args, file, department, user, dry_run, usage=False, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        target = self._department(department)
        try:
            importer = User.objects.get(username=user)
        except User.DoesNotExist as missing:
            raise CommandError(f"No user with login {user!r}.") from missing
        run_import = import_usage if usage else import_services
        outcome = run_import(
            file.read_bytes(), file.name, department=target, user=importer, dry_run=dry_run
        )
        self.stdout.write(
            f"{file.name} → {target.region.code}/{target.code}: {outcome.created} new, "
            f"{outcome.updated} changed, {outcome.unchanged} unchanged"
        )
        if not outcome.ok:
            for problem in outcome.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{len(outcome.problems)} problem(s); nothing was written. Fix the file and "
                "run the import again."
            )
        if dry_run:
            self.stdout.write("Dry run: the file is fine; nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))

    def _department(self, wanted: str) -> Department:
        departments = Department.objects.select_related("region")
        if wanted.isdigit():
            found = list(departments.filter(pk=int(wanted)))
        elif "/" in wanted:
            region, code = wanted.split("/", 1)
            found = list(departments.filter(region__code__iexact=region, code__iexact=code))
        else:
            found = list(departments.filter(code__iexact=wanted))
        if len(found) == 1:
            return found[0]
        if not found:
            raise CommandError(f"No department {wanted!r}.")
        options = ", ".join(f"{d.region.code}/{d.code} (id {d.pk})" for d in found)
        raise CommandError(f"{wanted!r} is in several regions: {options}. Say which.")
