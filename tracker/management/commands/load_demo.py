from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from tracker.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo oblast of the akimat meeting (190 services, two years of history) and "
        "demo users for every role. Development only; safe to run again."
    )

    def handle(self, *args, **options):
        # Operator output, in English like Django's own commands.
        with translation.override("en"):
            self._handle()

    def _handle(self):
        if not settings.DEBUG:
            raise CommandError(
                "The demo creates users with a published password; it runs only with DEBUG on."
            )
        loaded, logins = load_demo()
        if loaded:
            self.stdout.write(self.style.SUCCESS("Demo oblast loaded."))
        else:
            self.stdout.write("Demo oblast already loaded; nothing changed.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.role:<22} {login.place}")
