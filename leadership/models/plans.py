"""A school's action plan for a school year: goals tied to district priorities, with
strategies, commitments, evidence, check-ins (history kept) and the district's comments."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from crsys.tenancy.models import TenantModel
from leadership.models.priorities import Priority


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class ActionPlan(TenantModel):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(
        "schools.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    created_by = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-school_year__start_date", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "school", "school_year"],
                name="one_action_plan_per_year",
                violation_error_code="duplicate_plan",
                violation_error_message="The school already has a plan for this school year.",
            ),
        ]

    def __str__(self) -> str:
        return f"Action plan {self.school_year_id}"

    def get_absolute_url(self) -> str:
        return reverse(
            "leadership:plan",
            kwargs={"district_slug": self.district.slug, "actionplan_pk": self.pk},
        )

    @property
    def is_closed(self) -> bool:
        return self.status == PlanStatus.CLOSED


class Goal(TenantModel):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Strategy(TenantModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="strategies")
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class PlanCommitment(TenantModel):
    """Someone at (or for) the school will do something by a date."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="commitments")
    text = models.CharField(max_length=500)
    owner = models.ForeignKey("districts.User", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["district", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.text


class Evidence(TenantModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Phase(models.TextChoices):
    PLAN = "plan", "Plan"
    ACT = "act", "Act"
    OBSERVE = "observe", "Observe"
    REFLECT = "reflect", "Reflect"


class CheckInStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class CheckIn(TenantModel):
    """One dated check-in on a goal; never edited, so the list is the goal's history."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    phase = models.CharField(max_length=8, choices=Phase.choices)
    status = models.CharField(max_length=10, choices=CheckInStatus.choices)
    narrative = models.TextField(max_length=2000)
    created_by = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["district", "goal", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.get_status_display()}"


class PlanComment(TenantModel):
    """A district leader's question on a goal (or one of its commitments); the principal
    answers in place. Open until answered."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    commitment = models.ForeignKey(
        PlanCommitment, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    text = models.TextField(max_length=2000)
    author = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answer = models.TextField(max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["district", "answered_at"])]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
