"""The continuum of supports: a district's focus areas and tiers, and the supports that fill
the grid they make, each divisional (for every school) or one school's own."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

# Defined beside, registered with the app here.
from continuum.effect_models import SupportEffect  # noqa: F401
from continuum.school_models import (  # noqa: F401
    DistrictSupport,
    DistrictSupportProvider,
    SchoolSupportAssignment,
    SchoolSupportTier,
)
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
            models.UniqueConstraint(
                fields=["district", "key"],
                name="focus_area_key_once",
                violation_error_code="duplicate_key",
                violation_error_message="Another focus area has this key.",
            ),
            models.UniqueConstraint(
                fields=["district", "name"],
                name="focus_area_name_once",
                violation_error_code="duplicate_name",
                violation_error_message="Another focus area has this name.",
            ),
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


class PlanStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    DISCONTINUED = "discontinued", "Discontinued"


OPEN_STATUSES = (PlanStatus.PLANNED, PlanStatus.ACTIVE)


class SupportPlan(TenantModel):
    """A support given to one student: the goal, who provides it, how often, what the
    student says about it, and how it ended."""

    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    support = models.ForeignKey(Support, on_delete=models.PROTECT, related_name="plans")
    # Copied from the support when the plan is made: the student's tier per focus area is
    # what they received, even if the support is later moved on the grid.
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="+")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    goal = models.CharField(max_length=300)
    measure = models.CharField(
        max_length=120,
        blank=True,
        help_text="What the progress scores count, e.g. words per minute",
    )
    baseline = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, help_text="The aim by the end date"
    )
    responsible = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField()
    duration_weeks = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    minutes_per_session = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    monitor_every_weeks = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    student_goal = models.TextField(
        blank=True,
        max_length=2000,
        help_text="In the student's words: what they want to get better at",
    )
    student_helps = models.TextField(
        blank=True, max_length=2000, help_text="In the student's words: what helps them"
    )
    family = models.TextField(
        blank=True, max_length=2000, help_text="How the family was told or involved"
    )
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    outcome = models.TextField(blank=True, max_length=2000)
    discussion = models.ForeignKey(
        "teams.Discussion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "student", "support"],
                condition=Q(status__in=["planned", "active"]),
                name="one_open_plan_per_support",
                violation_error_code="duplicate_plan",
                violation_error_message="The student already has an open plan with this support.",
            ),
        ]
        indexes = [models.Index(fields=["district", "student", "status"])]

    def __str__(self) -> str:
        return f"{self.support} for {self.student_id}"

    def get_absolute_url(self) -> str:
        return reverse(
            "continuum:plan", kwargs={"district_slug": self.district.slug, "plan_pk": self.pk}
        )

    @property
    def end_date(self):

        return self.start_date + datetime.timedelta(weeks=self.duration_weeks)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ProgressPoint(TenantModel):
    """One progress-monitoring score on a plan."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="points")
    date = models.DateField()
    score = models.DecimalField(max_digits=9, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["district", "plan", "date"])]

    def __str__(self) -> str:
        return f"{self.score} on {self.date}"


class SupportFile(TenantModel):
    """A resource file of a support (a handout, a lesson plan), stored under MEDIA and
    served only through a view that checks the support is the reader's to see."""

    support = models.ForeignKey(Support, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="support-files/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["original_name", "pk"]

    def __str__(self) -> str:
        return self.original_name


class PlanChange(TenantModel):
    """A change to how a plan is given (its schedule, provider, length, goal or aim) once it
    has started: a phase line on its progress chart, so scores before and after can be read
    apart."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="changes")
    date = models.DateField()
    summary = models.TextField()
    reason = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["district", "plan", "date"])]

    def __str__(self) -> str:
        return f"{self.date}: {self.summary}"
