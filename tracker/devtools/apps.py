from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The checkout's own commands: bench and generate_dataset. Not deployed."""

    name = "tracker.devtools"
    label = "tracker_devtools"
    verbose_name = "Development tools"  # never shown: the app has no models or pages
