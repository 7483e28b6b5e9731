from django.apps import AppConfig


class DistrictsConfig(AppConfig):
    """The tenant (district), users and their memberships (roles), audit."""

    name = "districts"

    def ready(self) -> None:
        # The session stamps are set at sign-in (a receiver), not on the first request.
        from districts import middleware  # noqa: F401, PLC0415
