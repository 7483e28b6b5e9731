"""The continuum of supports: a district's focus areas and tiers, and the supports that fill
the grid they make, each divisional (for every school) or one school's own."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from crsys.tenancy.models import TenantModel


class FocusArea(TenantModel):
    """An area of concern supports are grouped by: literacy, numeracy, well-being..."""

    key = models.SlugField(max_length=40, help_text="A short stable name (letters, digits, _).")
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    is_archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "key"], name="focus_area_key_once"),
            models.UniqueConstraint(fields=["district", "name"], name="focus_area_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Tier(TenantModel):
    """A level of intensity. "Tier the supports, not the students": a tier describes who
    provides a support and for whom, never a label on a child."""

    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["district", "number"], name="tier_number_once"),
        ]

    def __str__(self) -> str:
        return f"Tier {self.number}: {self.name}"


class Support(TenantModel):
    """One support on the continuum. ``school`` empty: divisional, on every school's grid."""

    name = models.CharField(max_length=160)
    description = models.TextField(blank=True, max_length=4000)
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="supports")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="supports")
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provider = models.CharField(
        max_length=160, blank=True, help_text="Who provides it: the classroom teacher, the EA…"
    )
    frequency = models.CharField(max_length=120, blank=True, help_text="e.g. 3 × 20 min a week")
    duration_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    resources = models.TextField(
        blank=True, max_length=4000, help_text="Links and materials, one per line."
    )
    evidence = models.TextField(blank=True, max_length=4000, help_text="Why we think it works.")
    is_archived = models.BooleanField(default=False)
    promoted_at = models.DateTimeField(
        null=True, blank=True, help_text="When a school's support joined the divisional continuum."
    )
    promoted_from = models.ForeignKey(
        "schools.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["tier__number", "focus_area__position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "school", "name"],
                condition=Q(school__isnull=False),
                name="support_name_once_per_school",
                violation_error_code="duplicate_name",
                violation_error_message="This school already has a support with this name.",
            ),
            models.UniqueConstraint(
                fields=["district", "name"],
                condition=Q(school__isnull=True),
                name="support_name_once_divisional",
                violation_error_code="duplicate_name",
                violation_error_message="The divisional continuum already has a support with "
                "this name.",
            ),
        ]
        indexes = [models.Index(fields=["district", "school", "is_archived"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "continuum:support",
            kwargs={"district_slug": self.district.slug, "support_pk": self.pk},
        )

    @property
    def is_divisional(self) -> bool:
        return self.school_id is None

    def resource_lines(self) -> list[str]:
        return [line.strip() for line in self.resources.splitlines() if line.strip()]
