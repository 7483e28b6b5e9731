"""The meeting page's own reads: the students it may show, their latest bands, the key issues
with their bands, and the students a picker offers.

Rows the page shows many of are named tuples, not model instances: for a 30-student class,
building each snapshot with its band, screener, window and school year (about 450 objects)
was a quarter of the page's time, for three strings per cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q, QuerySet, Subquery

from districts.permissions import Actor
from schools.models import Student
from screeners.models import ScreeningWindow, Season, StudentBandSnapshot
from teams.models import Discussion, Meeting, Team
from teams.selectors import team_students

PICKER_LIMIT = 12
TEXT_FIELD_LABELS = [
    ("strategies", "Strategies already tried", 2),
    ("supports", "Brainstorm: supports to try (mostly in class)", 2),
    ("others", "Same issue: what they share, or students outside this team", 1),
]


class Band(NamedTuple):
    """What ``band_badge`` shows: the colour, and the name beside it."""

    name: str
    label: str
    colour: str


class ScreenerColumn(NamedTuple):
    pk: int
    name: str
    sort_key: tuple  # as Screener.sort_key: by focus area, then name


class StudentRow(NamedTuple):
    student: Student
    cells: list[tuple[ScreenerColumn, Band | None]]


@dataclass(frozen=True)
class LatestBands:
    """Each student's band per screener in the latest window that has a snapshot."""

    window: str  # "Fall 2025–2026", or "" before any window has one
    screeners: list[ScreenerColumn]
    by_student: dict[int, dict[int, Band]]

    def cells(self, student_id: int) -> list[tuple[ScreenerColumn, Band | None]]:
        bands = self.by_student.get(student_id, {})
        return [(screener, bands.get(screener.pk)) for screener in self.screeners]

    def badges(self, student_id: int) -> list[tuple[ScreenerColumn, Band]]:
        """Only the screeners the student has a band on (a key issue's summary)."""
        return [(s, band) for s, band in self.cells(student_id) if band is not None]


@dataclass(frozen=True)
class KeyIssue:
    """A discussion on the page, with the student's bands and whether it starts unfolded."""

    discussion: Discussion
    badges: list[tuple[ScreenerColumn, Band]]
    unfolded: bool
    save_url: str  # its autosave address (built once here, not reversed for each field)


def meeting_students(*, actor: Actor, team: Team) -> QuerySet[Student]:
    """The team's students that the actor may see: the one rule for every student list on a
    meeting page (a district team's meeting shows a principal only their schools' students,
    as the student page would)."""
    return team_students(team=team, actor=actor)


def latest_bands(*, district_id: int, student_ids: set[int]) -> LatestBands:
    """The latest window with a snapshot, and the students' bands in it, in one query (none
    for no student)."""
    if not student_ids:
        return LatestBands(window="", screeners=[], by_student={})
    latest = (
        ScreeningWindow.objects.for_district(district_id)
        .filter(last_recomputed_at__isnull=False)
        .order_by("-opens_on")
        .values("pk")[:1]
    )
    rows = (
        StudentBandSnapshot.objects.for_district(district_id)
        .filter(window_id=Subquery(latest), student_id__in=student_ids)
        .values_list(
            "student_id",
            "screener_id",
            "screener__name",
            "screener__focus_area__position",
            "screener__focus_area_id",
            "band_id",
            "band__name",
            "band__label",
            "band__colour",
            "window__season",
            "window__school_year__name",
        )
        .order_by()
    )
    screeners: dict[int, ScreenerColumn] = {}
    bands: dict[int, Band] = {}
    by_student: dict[int, dict[int, Band]] = {}
    window = ""
    for student_id, screener_id, s_name, position, area_id, band_id, *band, season, year in rows:
        if screener_id not in screeners:
            sort_key = (position, area_id, s_name)
            screeners[screener_id] = ScreenerColumn(screener_id, s_name, sort_key)
        band = bands.get(band_id) or bands.setdefault(band_id, Band(*band))
        by_student.setdefault(student_id, {})[screener_id] = band
        window = f"{Season(season).label} {year}"
    columns = sorted(screeners.values(), key=lambda s: s.sort_key)
    return LatestBands(window=window, screeners=columns, by_student=by_student)


def key_issues(
    discussions: list[Discussion],
    bands: LatestBands,
    *,
    editable: bool,
    meeting_url: str,
    unfold: str = "",
) -> list[KeyIssue]:
    """Each discussion with its student's bands. While the meeting can be edited, one nobody
    has written in yet, or with a kept version to look at, starts unfolded (as does the one
    whose id is ``unfold``, asked for in the address); the others fold to their summary line
    (name, bands, area, decision) and their notes load when opened. So a meeting that
    discussed sixteen students is not sixteen screens long, nor sixteen editors to build."""
    return [
        KeyIssue(
            discussion=d,
            badges=bands.badges(d.student_id),
            unfolded=str(d.pk) == unfold
            or editable
            and d.readable
            and (not (d.notes or d.strategies or d.supports) or bool(d.open_conflicts)),
            save_url=f"{meeting_url}discussions/{d.pk}/",
        )
        for d in discussions
    ]


def pickable_students(
    *, actor: Actor, meeting: Meeting, query: str, skip_discussed: bool = False
) -> QuerySet[Student]:
    """Students of the meeting's team the actor may see, active, matching every one of the
    first five words of ``query`` (the start of a student number, or any part of a name),
    by name; all of them (by name) for an empty query."""
    students = meeting_students(actor=actor, team=meeting.team).filter(is_active=True)
    if skip_discussed:
        discussed = Discussion.objects.for_district(meeting.district_id).filter(meeting=meeting)
        students = students.exclude(pk__in=discussed.values("student_id"))
    for word in query.split()[:5]:
        students = students.filter(
            Q(student_number__istartswith=word)
            | Q(given_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(family_name__icontains=word)
        )
    return students.order_by("family_name", "given_name", "pk")
