"""'Every child has a team': for one school, who belongs to no team, who no team discussed
this meeting cycle, and who was discussed; filtered by grade, band and status, a page at a
time, with the figures for the whole selection on top.

Belonging to a team is ``selectors.team_roster``'s rule (in a class a member teaches at the
school, or referred to its school support team), asked of all the school's teams in one
query. Seven queries whatever the size of the school; the rows are built in Python because
a school has hundreds of students, not hundreds of thousands.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.db.models import IntegerField, TextChoices, Value

from districts.permissions import Actor
from schools.grades import GRADE_ORDER, grade_label
from schools.models import School, Student
from teams import selectors
from teams.models import CommitmentStatus, Referral

PAGE_SIZE = 50
NO_RESULT = "-"  # the band filter's value for "no result in the window"


class Status(TextChoices):
    # In the order the page lists them: the most urgent gap first.
    NO_TEAM = "no_team", "No team"
    NOT_DISCUSSED = "not_discussed", "Not discussed this cycle"
    DISCUSSED = "discussed", "Discussed this cycle"


STATUS_ORDER = {status: index for index, status in enumerate(Status.values)}


@dataclass(frozen=True)
class Cell:
    """A student's band on one screener in the window."""

    screener_id: int
    band: object  # BenchmarkBand: name, label, colour for band_badge
    rank: int


@dataclass
class Row:
    student: Student
    teams: list[str]  # the teams the student belongs to
    discussed_by: list[str]  # the teams that discussed them this cycle
    commitment: bool
    referral: bool
    bands: list[Cell] = field(default_factory=list)  # one per screener with a result
    band_cells: list = field(default_factory=list)  # Cell or None, as Coverage.screeners

    @property
    def status(self) -> str:
        if not self.teams:
            return Status.NO_TEAM
        return Status.DISCUSSED if self.discussed_by else Status.NOT_DISCUSSED

    @property
    def need(self) -> int:
        """The band of most need (0: the most); 99 without a result."""
        return min((b.rank for b in self.bands), default=99)

    @property
    def band_names(self) -> set[str]:
        return {b.band.name for b in self.bands} or {NO_RESULT}


@dataclass
class GradeFigures:
    grade: str
    students: int = 0
    no_team: int = 0
    not_discussed: int = 0
    discussed: int = 0

    @property
    def label(self) -> str:
        return grade_label(self.grade)

    @property
    def whole_grade_without_team(self) -> bool:
        return self.students > 0 and self.no_team == self.students


@dataclass
class Coverage:
    since: datetime.date
    teams: list  # the school's active teams the actor may see
    screeners: list  # those with a result in the window, in column order
    rows: list[Row]  # every visible active student of the school, most urgent first
    band_choices: list[tuple[str, str]]  # (band name, label) in the window, most need first

    def grades(self) -> list[GradeFigures]:
        by_grade: dict[str, GradeFigures] = {}
        for row in self.rows:
            figures = by_grade.setdefault(row.student.grade, GradeFigures(row.student.grade))
            figures.students += 1
            setattr(figures, row.status, getattr(figures, row.status) + 1)
        return sorted(by_grade.values(), key=lambda g: GRADE_ORDER.get(g.grade, 99))

    def grades_without_team(self) -> list[GradeFigures]:
        return [g for g in self.grades() if g.whole_grade_without_team]


def school_coverage(*, actor: Actor, school: School, today: datetime.date, window=None) -> Coverage:
    """Every active student of ``school`` the actor may see, with the teams they belong to,
    the teams (the actor may see) that discussed them this cycle, open commitments, waiting
    referrals and bands in ``window``; no team first, then not discussed, then discussed,
    each with the most need first."""
    from schools.selectors import visible_students

    teams = list(selectors.visible_teams(actor=actor).filter(school=school, is_active=True))
    cycle_weeks = max((t.cycle_weeks for t in teams), default=6)
    since = today - datetime.timedelta(weeks=cycle_weeks)
    students = list(
        visible_students(actor=actor)
        .filter(school=school, is_active=True)
        .only(*STUDENT_FIELDS)
        .order_by("family_name", "given_name", "pk")
    )
    of_school = {"student__school": school, "student__is_active": True}
    belongs = _team_names_by_student(teams, today)
    discussed: dict[int, set[str]] = {}
    for student_id, team_name in (
        selectors.visible_discussions(actor=actor)
        .filter(**of_school, meeting__date__gte=since, meeting__date__lte=today)
        .values_list("student_id", "meeting__team__name")
    ):
        discussed.setdefault(student_id, set()).add(team_name)
    committed = set(
        selectors.visible_commitments(actor=actor)
        .filter(**of_school, status__in=[CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS])
        .values_list("student_id", flat=True)
    )
    referred = set(
        selectors.visible_referrals(actor=actor)
        .filter(**of_school, status=Referral.Status.PENDING)
        .values_list("student_id", flat=True)
    )
    screeners, bands = _bands_by_student(school, window)
    rows = [
        Row(
            student=s,
            teams=sorted(belongs.get(s.pk, ())),
            discussed_by=sorted(discussed.get(s.pk, ())),
            commitment=s.pk in committed,
            referral=s.pk in referred,
            bands=bands.get(s.pk, []),
        )
        for s in students
    ]
    rows.sort(key=lambda r: (STATUS_ORDER[r.status], r.need))  # stable: names stay in order
    for row in rows:
        mine = {cell.screener_id: cell for cell in row.bands}
        row.band_cells = [mine.get(screener.pk) for screener in screeners]
    ranks = {cell.band.name: cell.rank for cells in bands.values() for cell in cells}
    band_choices = [(name, name) for name in sorted(ranks, key=lambda n: (ranks[n], n))]
    return Coverage(
        since=since, teams=teams, screeners=screeners, rows=rows, band_choices=band_choices
    )


STUDENT_FIELDS = ("district_id", "school_id", "student_number", "given_name", "preferred_name",
                  "family_name", "grade", "is_active")  # fmt: skip


def _bands_by_student(school: School, window) -> tuple[list, dict[int, list[Cell]]]:
    """(the screeners with a result, in column order; {student id: their cells}). Plain rows
    and the few bands (with their screeners) they name: hundreds of snapshots are not built
    as models (two queries, none without a window)."""
    from screeners.models import BenchmarkBand, StudentBandSnapshot

    if window is None:
        return [], {}
    snapshots = list(
        StudentBandSnapshot.objects.for_district(school.district_id)
        .filter(window=window, student__school=school, student__is_active=True)
        .values_list("student_id", "screener_id", "band_id", "band_rank")
    )
    if not snapshots:
        return [], {}
    bands = {
        band.pk: band
        for band in BenchmarkBand.objects.for_district(school.district_id)
        .filter(pk__in={s[2] for s in snapshots})
        .select_related("screener__focus_area")
        .only(
            "name",
            "label",
            "colour",
            "rank",
            "screener__name",
            "screener__focus_area__position",
        )
    }
    screeners = sorted(
        {band.screener_id: band.screener for band in bands.values()}.values(),
        key=lambda s: s.sort_key,
    )
    cells: dict[int, list[Cell]] = {}
    for student_id, screener_id, band_id, rank in snapshots:
        cells.setdefault(student_id, []).append(Cell(screener_id, bands[band_id], rank))
    return screeners, cells


def _team_names_by_student(teams, today: datetime.date) -> dict[int, set[str]]:
    """{student id: names of the teams they belong to}, in one query for all the teams."""
    if not teams:
        return {}
    parts = [
        selectors.team_roster(team=team, on=today)
        .order_by()
        .annotate(team_pk=Value(team.pk, output_field=IntegerField()))
        .values_list("pk", "team_pk")
        for team in teams
    ]
    names = {team.pk: team.name for team in teams}
    belongs: dict[int, set[str]] = {}
    for student_id, team_pk in parts[0].union(*parts[1:], all=True):
        belongs.setdefault(student_id, set()).add(names[team_pk])
    return belongs


class CoverageFilterForm(forms.Form):
    grade = forms.ChoiceField(required=False, label="Grade")
    band = forms.ChoiceField(required=False, label="Band")
    status = forms.ChoiceField(
        required=False, label="Status", choices=[("", "Any status"), *Status.choices]
    )

    def __init__(self, data, *, coverage: Coverage):
        super().__init__(data)
        self.fields["grade"].choices = [("", "All grades")] + [
            (g.grade, g.label) for g in coverage.grades()
        ]
        self.fields["band"].choices = [
            ("", "Any band"),
            *coverage.band_choices,
            (NO_RESULT, "No result in the window"),
        ]

    def _value(self, name: str):
        """A field's value when it is valid (an unknown grade is ignored, and said so)."""
        self.is_valid()
        return self.cleaned_data.get(name)

    def selected(self, rows: list[Row]) -> list[Row]:
        """The rows the grade and band filters keep (the status filter is applied apart, so
        the figures can count every status of the selection)."""
        grade, band = self._value("grade"), self._value("band")
        return [
            r
            for r in rows
            if (not grade or r.student.grade == grade) and (not band or band in r.band_names)
        ]

    def chosen_status(self) -> str:
        return self._value("status") or ""


def figures(rows: list[Row]) -> dict[str, int]:
    counts = Counter(r.status for r in rows)
    return {"total": len(rows), **{status: counts.get(status, 0) for status in Status.values}}
