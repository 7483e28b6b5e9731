from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    """District priorities and their evaluation per school, school action plans, and the
    leadership dashboard (issue 11)."""

    name = "leadership"

    def ready(self) -> None:
        # Not at module level: the receiver imports models, which exist only once apps load.
        from leadership import receivers  # noqa: F401, PLC0415
