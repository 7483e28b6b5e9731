from django.db import models

from crsys.tenancy.models import TenantModel


class School(TenantModel):
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=40, help_text="The school's code in the district's SIS.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="school_code_unique")
        ]

    def __str__(self) -> str:
        return self.name
