"""District priorities and their measures, each measure's evaluation per school (stored,
refreshed by services), and school action plans with their goals, commitments, check-ins
and the district's comments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from crsys.tenancy.models import TenantModel
from leadership import defaults


def _choices(keys: list[str]) -> list[tuple[str, tuple[str, str]]]:
    """Members named KEY whose value is ``key`` and label "Key words"."""
    return [(k.upper(), (k, k.replace("_", " ").capitalize())) for k in keys]


Achievement = models.TextChoices("Achievement", _choices(defaults.ACHIEVEMENT))
Improvement = models.TextChoices("Improvement", _choices(defaults.IMPROVEMENT))
Overall = models.TextChoices("Overall", _choices(defaults.OVERALL))


class AssuranceArea(TenantModel):
    """A group of priorities: Alberta's five assurance areas by default."""

    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "key"], name="assurance_area_key_once"),
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationMatrix(TenantModel):
    """The district's overall evaluation of each achievement × improvement pair."""

    matrix = models.JSONField(default=dict)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["district"], name="one_evaluation_matrix"),
        ]

    def __str__(self) -> str:
        return "Evaluation matrix"

    def clean(self) -> None:
        matrix = self.matrix
        if not isinstance(matrix, dict) or set(matrix) != set(defaults.ACHIEVEMENT):
            raise ValidationError({"matrix": "Give a row for each achievement level."})
        for row in matrix.values():
            if not isinstance(row, list) or len(row) != len(defaults.IMPROVEMENT):
                raise ValidationError({"matrix": "Give a column for each improvement level."})
            if any(cell not in defaults.OVERALL for cell in row):
                raise ValidationError({"matrix": "Each cell is one of the overall evaluations."})


class Priority(TenantModel):
    """A district priority for one school year."""

    school_year = models.ForeignKey(
        "schools.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(AssuranceArea, on_delete=models.PROTECT, related_name="priorities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area__position", "position", "title"]
        indexes = [models.Index(fields=["district", "school_year"])]

    def __str__(self) -> str:
        return self.title


class MeasureKind(models.TextChoices):
    LEAD = "lead", "Lead (early sign)"
    LAG = "lag", "Lag (outcome)"


class MeasureSource(models.TextChoices):
    SCREENER = "screener", "Screener: % at or above benchmark"
    SURVEY = "survey", "Survey result entered per school"
    MANUAL = "manual", "Figure entered per school"


class Measure(TenantModel):
    """How a priority is measured per school, with its target and the rules that evaluate
    a school's result: achievement cut points (ascending) and improvement steps."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=4, choices=MeasureKind.choices, default=MeasureKind.LAG)
    source = models.CharField(max_length=8, choices=MeasureSource.choices)
    screener = models.ForeignKey(
        "screeners.Screener", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grade = models.CharField(max_length=8, blank=True, help_text="Empty: every grade.")
    season = models.CharField(
        max_length=8,
        blank=True,
        choices=[("fall", "Fall"), ("winter", "Winter"), ("spring", "Spring")],
    )
    unit = models.CharField(max_length=12, default="%", blank=True)
    range_min = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    range_max = models.DecimalField(max_digits=9, decimal_places=2, default=100)
    target = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    very_low_below = models.DecimalField(max_digits=9, decimal_places=2, default=40)
    low_below = models.DecimalField(max_digits=9, decimal_places=2, default=55)
    intermediate_below = models.DecimalField(max_digits=9, decimal_places=2, default=70)
    high_below = models.DecimalField(max_digits=9, decimal_places=2, default=85)
    improved_by = models.DecimalField(
        max_digits=6, decimal_places=2, default=2, validators=[MinValueValidator(0)]
    )
    significant_by = models.DecimalField(
        max_digits=6, decimal_places=2, default=5, validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(999)])

    class Meta:
        ordering = ["priority__area__position", "priority__position", "position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "leadership:measure",
            kwargs={"district_slug": self.district.slug, "measure_pk": self.pk},
        )

    @property
    def cuts(self) -> list:
        return [self.very_low_below, self.low_below, self.intermediate_below, self.high_below]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        lo, hi = self.range_min, self.range_max
        if lo is not None and hi is not None and lo >= hi:
            errors["range_max"] = "The range's top must be above its bottom."
        elif lo is not None and hi is not None:
            if self.target is not None and not lo <= self.target <= hi:
                errors["target"] = f"The target must lie within the measure's range ({lo}–{hi})."
            cuts = self.cuts
            if None not in cuts and not all(a < b for a, b in zip(cuts, cuts[1:], strict=False)):
                errors["low_below"] = (
                    "The achievement standards overlap: each must be above the one before."
                )
            elif None not in cuts and not all(lo <= c <= hi for c in cuts):
                errors["very_low_below"] = "The achievement standards must lie within the range."
        if (
            self.improved_by is not None
            and self.significant_by is not None
            and not 0 < self.improved_by < self.significant_by
        ):
            errors["significant_by"] = (
                "The improvement steps overlap: a significant change must be larger than a change."
            )
        if self.source == MeasureSource.SCREENER:
            if self.screener_id is None:
                errors["screener"] = "Choose the screener this measure counts."
            if not self.season:
                errors["season"] = "Choose the window's season."
        elif self.screener_id is not None:
            errors["screener"] = "Only a screener measure names a screener."
        if errors:
            raise ValidationError(errors)


class MeasureFigure(TenantModel):
    """A survey result or a figure for one school, with its previous result to compare."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="figures")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=9, decimal_places=2)
    previous = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    entered_by = models.ForeignKey(
        "districts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["measure_id", "school_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "measure", "school"], name="one_figure_per_school"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}"


class Evaluation(TenantModel):
    """A measure's evaluation for one school: stored by ``services.evaluations_refresh``
    (after a screener recompute, a figure or a measure's change), read by the dashboard."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    previous = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    students = models.PositiveIntegerField(null=True)
    achievement = models.CharField(max_length=16, choices=Achievement.choices, blank=True)
    improvement = models.CharField(max_length=24, choices=Improvement.choices, blank=True)
    overall = models.CharField(max_length=12, choices=Overall.choices, blank=True)

    class Meta:
        ordering = ["school_id", "measure_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "measure", "school"], name="one_evaluation_per_school"
            ),
        ]
        indexes = [models.Index(fields=["district", "school"])]

    def __str__(self) -> str:
        return self.overall or "no data"
