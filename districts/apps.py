from django.apps import AppConfig


class DistrictsConfig(AppConfig):
    """The tenant (district), users and their memberships (roles), audit."""

    name = "districts"
