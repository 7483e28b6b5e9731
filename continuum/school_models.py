"""The district's continuum of supports *for schools*: what the district offers schools by
tier (universal for all, targeted for some, intensive for a few), the district staff who
provide each, each school's current tier of district support and its assigned supports.
Read by the leadership dashboard (``continuum.school_selectors.school_support_tiers``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from crsys.tenancy.models import TenantModel


class SchoolSupportLevel(models.TextChoices):
    UNIVERSAL = "universal", "Universal: for all schools"
    TARGETED = "targeted", "Targeted: for some schools"
    INTENSIVE = "intensive", "Intensive: for a few schools"


LEVEL_ORDER = [SchoolSupportLevel.UNIVERSAL, SchoolSupportLevel.TARGETED,
               SchoolSupportLevel.INTENSIVE]  # fmt: skip


class DistrictSupportArea(models.TextChoices):
    LEADERSHIP = "leadership", "Leadership"
    INSTRUCTION = "instruction", "Instruction"
    WELL_BEING = "well_being", "Well-being"
    DATA = "data", "Data and assessment"
    INCLUSION = "inclusion", "Inclusive education"
    FAMILY = "family", "Family and community"
    OTHER = "other", "Other"


class DistrictSupport(TenantModel):
    """One support the district offers its schools."""

    name = models.CharField(max_length=160)
    description = models.TextField(blank=True, max_length=4000)
    area = models.CharField(max_length=16, choices=DistrictSupportArea.choices)
    level = models.CharField(max_length=10, choices=SchoolSupportLevel.choices)
    frequency = models.CharField(max_length=120, blank=True, help_text="e.g. a visit a month")
    is_archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="district_support_name_once",
                violation_error_code="duplicate_name",
                violation_error_message="The district already offers a support with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DistrictSupportProvider(TenantModel):
    """A member of the district's staff who provides a district support."""

    support = models.ForeignKey(DistrictSupport, on_delete=models.CASCADE, related_name="providers")
    user = models.ForeignKey("districts.User", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["support_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "support", "user"], name="district_support_provider_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} provides {self.support_id}"


class SchoolSupportTier(TenantModel):
    """A school's current tier of district support (one row per school; none: universal)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=SchoolSupportLevel.choices)
    note = models.CharField(max_length=500, blank=True)
    set_by = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school_id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "school"], name="school_support_tier_once"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.level}"


class SchoolSupportAssignment(TenantModel):
    """A district support given to one school, from a start date until it ends."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    support = models.ForeignKey(
        DistrictSupport, on_delete=models.PROTECT, related_name="assignments"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    assigned_by = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "school", "support"],
                condition=Q(end_date=None),
                name="one_open_school_support",
                violation_error_code="duplicate_assignment",
                violation_error_message="The school already has this district support.",
            ),
        ]
        indexes = [models.Index(fields=["district", "school", "end_date"])]

    def __str__(self) -> str:
        return f"{self.support_id} for {self.school_id}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None
