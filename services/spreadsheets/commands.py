"""What the import commands share: the importer found by login and answered in their
language, and an import's outcome printed the same way by every command."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from regions.models import User
from services.spreadsheets.reading import SpreadsheetError, check_size


def importing_user(login: str) -> User:
    try:
        return User.objects.get(username=login)
    except User.DoesNotExist as missing:
        raise CommandError(f"No user with login {login!r}.") from missing


def in_language_of(user):
    """The user's own language (the site's when they chose none), for every line printed."""
    return translation.override(user.language or settings.LANGUAGE_CODE)


def read_file(path) -> bytes:
    """The file's bytes, once its size is within IMPORT_MAX_BYTES: a file of gigabytes is
    refused from its size, not read into memory first."""
    if not path.is_file():
        raise CommandError(_("No such file: %(file)s") % {"file": path})
    try:
        check_size(path.stat().st_size)
    except SpreadsheetError as refusal:
        raise CommandError(str(refusal)) from refusal
    return path.read_bytes()


def write_outcome(command: BaseCommand, outcome, *, place, file_name: str, hint: str = "") -> None:
    """The counts and warnings; every problem, then the refusal (CommandError)."""
    command.stdout.write(
        _("%(file)s → %(department)s: %(new)d new, %(changed)d changed, %(same)d unchanged")
        % {
            "file": file_name,
            "department": place,
            "new": outcome.created,
            "changed": outcome.updated,
            "same": outcome.unchanged,
        }
    )
    for warning in outcome.warnings:
        command.stdout.write(command.style.WARNING(f"  {warning}"))
    if outcome.ok:
        return
    for problem in outcome.problems:
        command.stderr.write(f"  {problem}")
    if hint:
        command.stderr.write(hint)
    raise CommandError(
        _("%(count)d problem(s); nothing was written. Fix the file and run the import again.")
        % {"count": len(outcome.problems)}
    )


def write_done(command: BaseCommand, *, dry_run: bool) -> None:
    if dry_run:
        command.stdout.write(_("Dry run: the file is fine; nothing was written."))
    else:
        command.stdout.write(command.style.SUCCESS(_("Imported.")))
