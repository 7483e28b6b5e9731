from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "crsys.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from crsys.tenancy import id_lookups, rls

        id_lookups.register()
        post_migrate.connect(rls.apply_policies_after_migrate, dispatch_uid="crsys-rls")
