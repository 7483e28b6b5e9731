from django.apps import AppConfig


class ContinuumConfig(AppConfig):
    """The continuum of supports, one per focus area; filled by a later issue."""

    name = "continuum"
