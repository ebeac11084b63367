"""`manage.py import_departments FILE --region KZ-31 --user LOGIN [--dry-run]`"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from regions.access import scope_for
from regions.importer import import_departments
from regions.models import Region, User


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
        try:
            importer = User.objects.get(username=user)
        except User.DoesNotExist as missing:
            raise CommandError(f"No user with login {user!r}.") from missing
        with translation.override(importer.language or settings.LANGUAGE_CODE):
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
            file.read_bytes(), file.name, region=region, user=importer, dry_run=dry_run
        )
        self.stdout.write(
            _("%(file)s → %(region)s: %(new)d new, %(changed)d changed, %(same)d unchanged")
            % {
                "file": file.name,
                "region": region,
                "new": outcome.created,
                "changed": outcome.updated,
                "same": outcome.unchanged,
            }
        )
        for warning in outcome.warnings:
            self.stdout.write(self.style.WARNING(f"  {warning}"))
        if not outcome.ok:
            for problem in outcome.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                _(
                    "%(count)d problem(s); nothing was written. Fix the file and run the "
                    "import again."
                )
                % {"count": len(outcome.problems)}
            )
        self._list_missing_translations(outcome.missing_translation)
        if dry_run:
            self.stdout.write(_("Dry run: the file is fine; nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))

    def _list_missing_translations(self, departments: list[str]) -> None:
        if not departments:
            return
        self.stdout.write(_("Named in one language only (give them the other name in the admin):"))
        for department in departments:
            self.stdout.write(f"  {department}")
