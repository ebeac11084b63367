from django.core.management.base import BaseCommand
from django.utils import translation

from tracker import library_messages


class Command(BaseCommand):
    help = (
        "Refresh tracker/library_locale: the Kazakh and Russian catalogs for the messages of "
        "Django and the libraries that their own catalogs leave untranslated."
    )

    def handle(self, *args, **options):
        with translation.override("en"):  # operator output, like Django's own commands
            for path, untranslated in library_messages.refresh().items():
                self.stdout.write(f"{path}: {len(untranslated)} untranslated")
