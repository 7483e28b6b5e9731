from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TenancyConfig(AppConfig):
    name = "crsys.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        # Not at module level: these import models, which exist only once apps are loaded.
        from crsys.tenancy import id_lookups, rls  # noqa: PLC0415

        id_lookups.register()
        post_migrate.connect(rls.apply_policies_after_migrate, dispatch_uid="crsys-rls")
