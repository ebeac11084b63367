"""`manage.py import_departments FILE --region KZ-31 --user LOGIN [--dry-run]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from regions.access import scope_for
from regions.importer import import_departments
from regions.models import Region
from services.spreadsheets.commands import (
    importing_user,
    in_language_of,
    read_file,
    write_done,
    write_outcome,
)


class Command(BaseCommand):
    help = (
        "Import a region's departments from an XLSX or CSV file (the budget decision's list "
        "of budget-programme administrators), as the given user: all rows or none. Prints "
        "the counts, every row that stops the import and the departments named in one "
        "language only, in the user's language."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--region", required=True, help="The region's ISO code, e.g. KZ-31.")
        parser.add_argument(
            "--user",
            required=True,
            help="Login of the person importing: the region's digital office, or a superuser.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, writing nothing."
        )

    def handle(self, *args, file, region, user, dry_run, **options):
        importer = importing_user(user)
        with in_language_of(importer):
            self._import(file, region, importer, dry_run)

    def _import(self, file: Path, code: str, importer, dry_run: bool) -> None:
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        region = Region.objects.filter(code__iexact=code.strip()).first()
        if region is None:
            raise CommandError(_("No region %(code)s.") % {"code": code})
        if not scope_for(importer).may_manage_departments(region):
            raise CommandError(
                _("%(user)s may not manage the departments of %(region)s; nothing was imported.")
                % {"user": importer.get_username(), "region": region}
            )
        outcome = import_departments(
            read_file(file), file.name, region=region, user=importer, dry_run=dry_run
        )
        write_outcome(self, outcome, place=region, file_name=file.name)
        self._list_missing_translations(outcome.missing_translation)
        write_done(self, dry_run=dry_run)

    def _list_missing_translations(self, departments: list[str]) -> None:
        if not departments:
            return
        self.stdout.write(_("Named in one language only (give them the other name in the admin):"))
        for department in departments:
            self.stdout.write(f"  {department}")
