from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.dateformat import format as format_date

from crsys.imports.models import ImportJob
from crsys.tenancy.models import TenantModel
from schools.grades import GRADE_ORDER


class Season(models.TextChoices):
    FALL = "fall", "Fall"
    WINTER = "winter", "Winter"
    SPRING = "spring", "Spring"


def human_date(day) -> str:
    """14 Jan 2027."""
    return format_date(day, "j M Y")


def _plain(number) -> str:
    return f"{Decimal(number).normalize():f}" if number is not None else "?"


class Screener(TenantModel):
    """A common screener. Scores are numbers from ``min_score`` to ``max_score`` in steps of
    ``score_step``; an ordinal screener's levels are scored 1…n in the order given."""

    class ScoreType(models.TextChoices):
        NUMERIC = "numeric", "Numeric score"
        ORDINAL = "ordinal", "Ordinal levels"

    name = models.CharField(max_length=120)
    # The district's focus area (the continuum's rows): one list for screeners, meetings
    # and supports. Kept in the screener's district by ``services.screener_save``.
    focus_area = models.ForeignKey(
        "continuum.FocusArea", on_delete=models.PROTECT, related_name="+"
    )
    grades = models.JSONField(default=list, help_text="Grade codes the screener is given in.")
    score_type = models.CharField(
        max_length=8, choices=ScoreType.choices, default=ScoreType.NUMERIC
    )
    levels = models.JSONField(default=list, blank=True, help_text="Ordinal levels, lowest first.")
    min_score = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    max_score = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("100"))
    score_step = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("1"))
    higher_is_better = models.BooleanField(default=True)
    is_archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["focus_area__position", "focus_area_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="screener_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "screeners:screener",
            kwargs={"district_slug": self.district.slug, "screener_pk": self.pk},
        )

    @property
    def sort_key(self) -> tuple:
        """Its place among the district's screeners (the model's ordering, in Python): by
        focus area, then name. Needs ``focus_area`` loaded (select_related)."""
        return (self.focus_area.position, self.focus_area_id, self.name)

    def clean(self) -> None:
        """The score scale, checked here so the page, the API and any import agree. An ordinal
        screener's scale is its levels, scored 1…n in steps of 1: anything else would let
        scores exist that name no level."""
        super().clean()
        errors: dict[str, str] = {}
        if not isinstance(self.grades, list) or any(g not in GRADE_ORDER for g in self.grades):
            errors["grades"] = "grades are a list of grade codes such as KG, 01 … 12"
        if self.score_type == self.ScoreType.ORDINAL:
            levels = self.levels if isinstance(self.levels, list) else None
            if levels is None or len(levels) < 2:
                errors["levels"] = "an ordinal screener needs at least two levels"
            elif any(not isinstance(x, str) or not x.strip() for x in levels):
                errors["levels"] = "each level needs a name"
            elif any(len(x) > 60 or not x.isprintable() for x in levels):
                # PostgreSQL's jsonb refuses NUL; other control characters only mislead.
                errors["levels"] = "a level is at most 60 printable characters"
            elif len({x.strip().lower() for x in levels}) != len(levels):
                errors["levels"] = "two levels have the same name"
            else:
                scale = (Decimal(1), Decimal(len(levels)), Decimal(1))
                if (self.min_score, self.max_score, self.score_step) != scale:
                    errors["score_type"] = (
                        f"an ordinal screener with {len(levels)} levels scores them 1 to "
                        f"{len(levels)} in steps of 1 (not {_plain(self.min_score)} to "
                        f"{_plain(self.max_score)} in steps of {_plain(self.score_step)})"
                    )
        else:
            if self.levels:
                errors["levels"] = "only an ordinal screener has levels"
            low, high = self.min_score, self.max_score
            if low is not None and high is not None and low >= high:
                errors["max_score"] = "must be above the lowest score"
            if self.score_step is not None and self.score_step <= 0:
                errors["score_step"] = "must be above zero"
        if errors:
            raise ValidationError(errors)


class BenchmarkBand(TenantModel):
    """One band of a screener for a grade and season: scores from ``min_score`` to
    ``max_score`` inclusive. ``rank`` orders bands from most need (0) to least."""

    screener = models.ForeignKey(Screener, on_delete=models.CASCADE, related_name="bands")
    grade = models.CharField(max_length=8)
    season = models.CharField(max_length=8, choices=Season.choices)
    name = models.CharField(max_length=60, help_text="e.g. Intensive")
    label = models.CharField(max_length=120, help_text="Read aloud and printed beside the colour.")
    colour = models.CharField(max_length=7, help_text="#rrggbb")
    min_score = models.DecimalField(max_digits=9, decimal_places=2)
    max_score = models.DecimalField(max_digits=9, decimal_places=2)
    rank = models.PositiveSmallIntegerField()
    meets_benchmark = models.BooleanField(default=False)

    class Meta:
        ordering = ["screener_id", "grade", "season", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["screener", "grade", "season", "rank"], name="band_rank_unique"
            ),
        ]
        indexes = [models.Index(fields=["district", "screener", "grade", "season"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.min_score}–{self.max_score})"


class ScreeningWindow(TenantModel):
    """When screening happens in a school year, and for which screeners and grades.

    A season may have several windows (a fall screening and a fall re-screen); windows never
    overlap, so on any day at most one is open and the grid knows which one it is."""

    school_year = models.ForeignKey(
        "schools.SchoolYear", on_delete=models.PROTECT, related_name="screening_windows"
    )
    season = models.CharField(max_length=8, choices=Season.choices)
    name = models.CharField(
        max_length=60,
        blank=True,
        help_text="Optional; tells two windows of a season apart, e.g. 'Fall re-screen'.",
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    screeners = models.ManyToManyField(
        Screener, related_name="windows", blank=True, through="WindowScreener"
    )
    grades = models.JSONField(default=list, blank=True, help_text="Empty: every grade.")
    #: When the recompute after closing ran (the periodic task closes each window once).
    closed_processed_at = models.DateTimeField(null=True, blank=True)
    last_recomputed_at = models.DateTimeField(null=True, blank=True)
    recompute_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="window_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.get_season_display()} {self.school_year}"

    def clean(self) -> None:
        """Dates inside the school year, in order, overlapping no other window; grades known.
        Every path (page, API, copying last year's schedule) saves through ``full_clean``."""
        super().clean()
        errors: dict[str, list[str]] = {}
        if not isinstance(self.grades, list) or any(g not in GRADE_ORDER for g in self.grades):
            errors.setdefault("grades", []).append(
                "grades are a list of grade codes such as KG, 01 … 12 (empty: every grade)"
            )
        if self.opens_on is None or self.closes_on is None or self.school_year_id is None:
            if errors:
                raise ValidationError(errors)
            return
        if self.closes_on < self.opens_on:
            errors.setdefault("closes_on", []).append(
                f"closes on {human_date(self.closes_on)}, before it opens on "
                f"{human_date(self.opens_on)}"
            )
        year = self.school_year
        if self.opens_on < year.start_date or self.closes_on > year.end_date:
            errors.setdefault("opens_on", []).append(
                f"{self.span_text} is not inside the school year {year} "
                f"({human_date(year.start_date)} to {human_date(year.end_date)})"
            )
        others = ScreeningWindow.objects.filter(
            opens_on__lte=self.closes_on, closes_on__gte=self.opens_on
        )
        for other in others.exclude(pk=self.pk).select_related("school_year"):
            errors.setdefault("opens_on", []).append(f"overlaps {other} ({other.span_text})")
        if errors:
            raise ValidationError(errors)

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    def status_on(self, day) -> str:
        """'scheduled', 'open' or 'closed'."""
        if day < self.opens_on:
            return "scheduled"
        return "open" if day <= self.closes_on else "closed"

    @property
    def span_text(self) -> str:
        """'15 Sep 2026 to 15 Oct 2026': how people read dates (never ISO in a message)."""
        return f"{human_date(self.opens_on)} to {human_date(self.closes_on)}"


class WindowScreener(TenantModel):
    """A screener given in a window (the link carries its district like every tenant row)."""

    window = models.ForeignKey(ScreeningWindow, on_delete=models.CASCADE, related_name="+")
    screener = models.ForeignKey(Screener, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["window_id", "screener_id"]
        constraints = [
            models.UniqueConstraint(fields=["window", "screener"], name="window_screener_once")
        ]

    def __str__(self) -> str:
        return f"{self.screener_id} in {self.window_id}"


class ScreenerResult(TenantModel):
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, related_name="screener_results"
    )
    screener = models.ForeignKey(Screener, on_delete=models.PROTECT, related_name="results")
    window = models.ForeignKey(ScreeningWindow, on_delete=models.PROTECT, related_name="results")
    score = models.DecimalField(max_digits=9, decimal_places=2)
    #: The student's grade and school when screened (empty/None: read the student's current).
    grade = models.CharField(max_length=8, blank=True)
    school = models.ForeignKey(
        "schools.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    band = models.ForeignKey(
        BenchmarkBand, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["window_id", "screener_id", "student_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "screener", "student"], name="one_result_per_window"
            ),
        ]
        indexes = [models.Index(fields=["district", "window", "screener"])]

    def __str__(self) -> str:
        return f"{self.student_id} {self.screener_id} {self.score}"


class Movement(models.TextChoices):
    UP = "up", "Up"
    SAME = "same", "Same"
    DOWN = "down", "Down"
    NEW = "new", "New"


# Snapshot rows are derived, in one transaction, from rows whose foreign keys the database
# has checked; checking them again row by row at commit doubled the recompute of a large
# district (docs/adr/0004). Deletes still cascade through Django.
DERIVED = {"on_delete": models.CASCADE, "related_name": "+", "db_constraint": False}


class StudentBandSnapshot(TenantModel):
    """A student's band on a screener after a window's recompute, and the movement since the
    previous window. Dashboards read these, never raw results."""

    district = models.ForeignKey("districts.District", **DERIVED)

    window = models.ForeignKey(ScreeningWindow, **DERIVED)
    screener = models.ForeignKey(Screener, **DERIVED)
    student = models.ForeignKey("schools.Student", **DERIVED)
    school = models.ForeignKey("schools.School", **DERIVED)
    grade = models.CharField(max_length=8)
    score = models.DecimalField(max_digits=9, decimal_places=2)
    band = models.ForeignKey(BenchmarkBand, **DERIVED)
    band_rank = models.PositiveSmallIntegerField()
    meets_benchmark = models.BooleanField()
    movement = models.CharField(max_length=4, choices=Movement.choices)

    class Meta:
        ordering = ["window_id", "screener_id", "student_id"]
        indexes = [
            models.Index(fields=["district", "window", "student"]),
            models.Index(fields=["district", "student", "screener"]),
        ]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.band_id}"


class Scope(models.TextChoices):
    DISTRICT = "district", "District"
    SCHOOL = "school", "School"
    GRADE = "grade", "Grade in a school"
    CLASSROOM = "classroom", "Classroom"


class BandCountSnapshot(TenantModel):
    """How many students of a group were in a band after a window's recompute."""

    district = models.ForeignKey("districts.District", **DERIVED)

    window = models.ForeignKey(ScreeningWindow, **DERIVED)
    screener = models.ForeignKey(Screener, **DERIVED)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    school = models.ForeignKey("schools.School", null=True, **DERIVED)
    grade = models.CharField(max_length=8, blank=True)
    classroom = models.ForeignKey("schools.Classroom", null=True, **DERIVED)
    band = models.ForeignKey(BenchmarkBand, **DERIVED)
    band_rank = models.PositiveSmallIntegerField()
    meets_benchmark = models.BooleanField()
    students = models.PositiveIntegerField()

    class Meta:
        ordering = ["window_id", "screener_id", "scope", "band_rank"]
        indexes = [
            models.Index(fields=["district", "scope", "school", "window"]),
            models.Index(fields=["district", "scope", "classroom", "window"]),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.band_id}: {self.students}"


class ResultImport(ImportJob):
    """A results file (CSV or XLSX) for one window: its check, its commit, what they found."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking"
        READY = "ready", "Ready to commit"
        INVALID = "invalid", "Has errors"
        COMMITTING = "committing", "Committing"
        COMMITTED = "committed", "Committed"
        FAILED = "failed", "Failed"

    window = models.ForeignKey(ScreeningWindow, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="result-imports/%Y/%m/", max_length=300)
    sheet = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    #: A wide file's columns (besides the student's), for the mapping step.
    columns = models.JSONField(default=list, blank=True)
    #: The mapping step's answers: {column: screener id, or 0 for "not a score"}.
    column_map = models.JSONField(default=dict, blank=True)

    BUSY = frozenset({Status.CHECKING, Status.COMMITTING})

    class Meta(ImportJob.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.original_name} for {self.window_id} ({self.get_status_display()})"
