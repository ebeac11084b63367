from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    """Project-wide pieces: templates, translations, the demo loader."""

    name = "tracker"
    verbose_name = _("Tracker")

    def ready(self):
        from django.db.backends.signals import connection_created

        from tracker import sqlite

        connection_created.connect(sqlite.install, dispatch_uid="tracker-unicode-like")
