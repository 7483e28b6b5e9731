from django.apps import AppConfig


class TeamsConfig(AppConfig):
    """Team layers, teams and collaborative team meetings (issue: team layers and meetings)."""

    name = "teams"
