"""`manage.py import_services FILE --department KZ-31/261 --user head.edu [--dry-run]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from regions.access import scope_for
from regions.models import Department
from services.spreadsheets.commands import (
    importing_user,
    in_language_of,
    read_file,
    write_done,
    write_outcome,
)
from services.spreadsheets.importer import import_services, import_usage
from services.spreadsheets.providers import level_of, remember_alias


class Command(BaseCommand):
    help = (
        "Import a department's service list from an XLSX or CSV file, as the given user: "
        "all rows or none. Prints the counts, the warnings and every row that stops the "
        "import, in the user's language."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--department",
            required=True,
            help="The department: region and code (KZ-31/261, KZ-31/EDU), a code found in "
            "one region only, or its id.",
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
        parser.add_argument(
            "--provider",
            action="append",
            default=[],
            metavar="LABEL=CODE",
            help="Remember that a provider label of the file means this department of the "
            "region (e.g. 'отделы ЗАГС районов=JUST'); may be repeated.",
        )

    def handle(self, *args, file, department, user, dry_run, usage=False, provider=(), **options):
        importer = importing_user(user)
        with in_language_of(importer):
            self._import(file, department, importer, dry_run, usage, provider)

    def _import(self, file, wanted, importer, dry_run, usage, providers):
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        target = find_department(wanted)
        if not scope_for(importer).may_edit_department(target):
            raise CommandError(
                _("%(user)s may not change services of %(department)s; nothing was imported.")
                % {"user": importer.get_username(), "department": target}
            )
        for mapping in providers:
            self._remember(mapping, target, importer)
        run_import = import_usage if usage else import_services
        outcome = run_import(
            read_file(file), file.name, department=target, user=importer, dry_run=dry_run
        )
        hint = ""
        if outcome.unknown_providers:
            hint = _(
                "Unknown providers: say which department each means with "
                "--provider 'LABEL=CODE', or choose them in the admin's preview."
            )
        write_outcome(self, outcome, place=target, file_name=file.name, hint=hint)
        write_done(self, dry_run=dry_run)

    def _remember(self, mapping: str, target: Department, importer) -> None:
        label, _sep, code = mapping.rpartition("=")
        if not label.strip() or not code.strip():
            raise CommandError(_("Write --provider as LABEL=CODE, e.g. 'УКЗиСП=256'."))
        department = find_department(f"{target.region.code}/{code.strip()}")
        if not scope_for(importer).may_edit_department(department):
            raise CommandError(
                _("%(user)s may not change services of %(department)s; nothing was imported.")
                % {"user": importer.get_username(), "department": department}
            )
        remember_alias(label.strip(), department, level_of(label), importer)


def find_department(wanted: str) -> Department:
    """KZ-61/261 (region and code), 261 or EDU (a code found in one region only), or an id.

    Budget-programme codes are numbers too, so a bare number is a code first; an id only
    when no department has that code."""
    departments = Department.objects.select_related("region")
    wanted = wanted.strip()
    if "/" in wanted:
        region, code = wanted.split("/", 1)
        found = list(departments.filter(region__code__iexact=region, code__iexact=code))
    else:
        found = list(departments.filter(code__iexact=wanted))
        if not found and wanted.isdigit():
            found = list(departments.filter(pk=int(wanted)))
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(_("No department %(wanted)r.") % {"wanted": wanted})
    options = ", ".join(f"{d.region.code}/{d.code} (id {d.pk})" for d in found)
    raise CommandError(
        _("%(wanted)r is in several regions: %(options)s. Say which, as REGION/CODE.")
        % {"wanted": wanted, "options": options}
    )
