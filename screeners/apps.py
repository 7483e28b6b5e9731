from django.apps import AppConfig


class ScreenersConfig(AppConfig):
    """Screeners, windows, results and snapshots (issue: screeners and dashboards)."""

    name = "screeners"
