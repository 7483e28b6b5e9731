"""Reads about screeners. Dashboards read snapshots only, never raw results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from schools.grades import GRADE_ORDER
from schools.models import Classroom, School, Student, enrolled_during
from screeners.models import (
    BandCountSnapshot,
    BenchmarkBand,
    Screener,
    ScreenerResult,
    ScreeningWindow,
    StudentBandSnapshot,
)


def screeners(*, district_id: int, include_archived: bool = False) -> QuerySet[Screener]:
    qs = Screener.objects.select_related("focus_area")
    return qs if include_archived else qs.filter(is_archived=False)


def get_screener(*, district_id: int, screener_pk) -> Screener:
    try:
        return Screener.objects.select_related("focus_area").get(pk=screener_pk)
    except (Screener.DoesNotExist, ValueError, TypeError):
        raise Http404("No such screener.") from None


def windows(*, district_id: int) -> QuerySet[ScreeningWindow]:
    return (
        ScreeningWindow.objects.all()
        .select_related("school_year")
        .prefetch_related("screeners")
        .order_by("-opens_on")
    )


def get_window(*, district_id: int, window_pk) -> ScreeningWindow:
    try:
        return windows(district_id=district_id).get(pk=window_pk)
    except (ScreeningWindow.DoesNotExist, ValueError, TypeError):
        raise Http404("No such screening window.") from None


def window_has_results(*, window: ScreeningWindow) -> bool:
    return ScreenerResult.objects.filter(window=window).exists()


def windows_with_snapshots(*, district_id: int) -> list[ScreeningWindow]:
    return list(
        ScreeningWindow.objects.all()
        .filter(last_recomputed_at__isnull=False)
        .select_related("school_year")
        .order_by("-opens_on")
    )


def entry_window(*, district_id: int, today) -> ScreeningWindow | None:
    """The window results are entered in now: the open one, else the latest that opened,
    else the next to open (the grid then says when)."""
    qs = windows(district_id=district_id)
    return (
        qs.filter(opens_on__lte=today, closes_on__gte=today).first()
        or qs.filter(opens_on__lte=today).first()
        or qs.filter(opens_on__gt=today).order_by("opens_on").first()
    )


def bands_by_key(*, screener: Screener) -> dict[tuple[str, str], list[BenchmarkBand]]:
    grouped: dict[tuple[str, str], list[BenchmarkBand]] = defaultdict(list)
    for band in BenchmarkBand.objects.filter(screener=screener):
        grouped[(band.grade, band.season)].append(band)
    return dict(grouped)


# The classroom dashboard and the grid -----------------------------------------------------


@dataclass
class StudentRow:
    student: Student
    cells: list  # (screener, its StudentBandSnapshot or ScreenerResult or None) per screener


def classroom_snapshot_rows(
    *, students: list[Student], window: ScreeningWindow
) -> tuple[list[Screener], list[StudentRow]]:
    """The screeners with snapshots for these students in the window, and each student's
    snapshot per screener (movement included). One query."""
    snaps = (
        StudentBandSnapshot.objects.all()
        .filter(window=window, student__in=[s.pk for s in students])
        .select_related("band", "screener__focus_area")
    )
    by_key, screener_by_id = {}, {}
    for snap in snaps:
        by_key[(snap.student_id, snap.screener_id)] = snap
        screener_by_id[snap.screener_id] = snap.screener
    screener_list = sorted(screener_by_id.values(), key=lambda s: s.sort_key)
    rows = [
        StudentRow(s, [(sc, by_key.get((s.pk, sc.pk))) for sc in screener_list]) for s in students
    ]
    return screener_list, rows


def classroom_result_rows(
    *, students: list[Student], window: ScreeningWindow, screener_list: list[Screener]
) -> list[StudentRow]:
    """For the entry grid: each student's result per screener (with its band)."""
    results = (
        ScreenerResult.objects.all()
        .filter(window=window, student__in=[s.pk for s in students])
        .select_related("band")
    )
    by_key = {(r.student_id, r.screener_id): r for r in results}
    return [
        StudentRow(s, [(sc, by_key.get((s.pk, sc.pk))) for sc in screener_list]) for s in students
    ]


# The school dashboard --------------------------------------------------------------------


@dataclass
class BandShare:
    name: str
    label: str
    colour: str
    rank: int
    students: int
    percent: float
    meets_benchmark: bool


@dataclass
class Distribution:
    total: int = 0
    bands: list[BandShare] = field(default_factory=list)

    @property
    def at_benchmark_percent(self) -> float | None:
        if not self.total:
            return None
        return 100 * sum(b.students for b in self.bands if b.meets_benchmark) / self.total


@dataclass
class ScreenerPanel:
    screener: Screener
    school: Distribution
    grades: list[tuple[str, Distribution]]
    trend: list[tuple[ScreeningWindow, float | None]]
    change: float | None


def _distribution(rows, like: Distribution | None = None) -> Distribution:
    """Students per band, a band being a rank and whether it meets the benchmark (grades may
    put their benchmark at different ranks); with ``like``, the same bands in the same order
    (zeros where a group has nobody in a band), so tables and bars line up across groups."""
    by_band: dict[tuple[int, bool], list] = defaultdict(list)
    for r in rows:
        by_band[(r.band_rank, r.meets_benchmark)].append(r)
    total = sum(r.students for r in rows)

    def share(rank, meets, name, label, colour):
        n = sum(r.students for r in by_band.get((rank, meets), []))
        return BandShare(name, label, colour, rank, n, 100 * n / total if total else 0, meets)

    if like is not None:
        shares = [share(b.rank, b.meets_benchmark, b.name, b.label, b.colour) for b in like.bands]
    else:
        shares = [
            share(rank, meets, group[0].band.name, group[0].band.label, group[0].band.colour)
            for (rank, meets), group in sorted(by_band.items())
        ]
    return Distribution(total=total, bands=shares)


def school_dashboard(*, school: School, window: ScreeningWindow,
                     history: list[ScreeningWindow], screener_ids: list[int] | None = None
                     ) -> list[ScreenerPanel]:  # fmt: skip
    """Per screener: the school's band distribution, per grade, and % at benchmark across
    ``history`` (oldest first). Two queries, whatever the school's size."""
    rows = (
        BandCountSnapshot.objects.all()
        .filter(school=school, scope__in=["school", "grade"],
                window__in=[w.pk for w in history] + [window.pk])
        .select_related("band", "screener__focus_area")
    )  # fmt: skip
    if screener_ids:
        rows = rows.filter(screener_id__in=screener_ids)
    current: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    per_window: dict[tuple[int, int], list] = defaultdict(list)
    found: dict[int, Screener] = {}
    for row in rows:
        found[row.screener_id] = row.screener
        if row.scope == "school":
            per_window[(row.screener_id, row.window_id)].append(row)
        if row.window_id == window.pk:
            key = "" if row.scope == "school" else row.grade
            current[row.screener_id][key].append(row)
    panels = []
    for screener_id, screener in sorted(found.items(), key=lambda kv: kv[1].sort_key):
        groups = current.get(screener_id, {})
        trend = [
            (w, _distribution(per_window.get((screener_id, w.pk), [])).at_benchmark_percent)
            for w in history
        ]
        known = [p for w, p in trend if p is not None and w.opens_on < window.opens_on]
        school_distribution = _distribution(groups.get("", []))
        now = school_distribution.at_benchmark_percent
        panels.append(ScreenerPanel(
            screener=screener,
            school=school_distribution,
            grades=sorted(((g, _distribution(r, like=school_distribution))
                           for g, r in groups.items() if g),
                          key=lambda item: GRADE_ORDER.get(item[0], 99)),
            trend=trend,
            change=(now - known[-1]) if known and now is not None else None,
        ))  # fmt: skip
    return panels


def student_history(*, student: Student) -> list[StudentBandSnapshot]:
    return list(
        StudentBandSnapshot.objects.all()
        .filter(student=student)
        .select_related("band", "screener", "window", "window__school_year")
        .order_by("screener__name", "window__opens_on")
    )


# Completion tracker (an admin tool over raw results, not a dashboard) ----------------------


@dataclass
class Completion:
    name: str
    expected: int
    entered: int

    @property
    def percent(self) -> float:
        return 100 * self.entered / self.expected if self.expected else 0.0


def completion_by_school(*, window: ScreeningWindow) -> list[Completion]:
    """% of expected results entered, per school: students enrolled in the window's year (in
    its grades) times the window's screeners."""
    screener_count = window.screeners.filter(is_archived=False).count()
    students = Student.objects.filter(
        enrolled_during(first=window.opens_on, last=window.closes_on, prefix="enrolments"),
        is_active=True,
        enrolments__classroom__school_year_id=window.school_year_id,
    )
    if window.grades:
        students = students.filter(grade__in=window.grades)
    expected = dict(
        students.values("school__name").annotate(n=Count("id", distinct=True))
        .values_list("school__name", "n")
    )  # fmt: skip
    entered = dict(
        ScreenerResult.objects.filter(window=window)
        .values("student__school__name").annotate(n=Count("id"))
        .values_list("student__school__name", "n")
    )  # fmt: skip
    return [
        Completion(name, n * screener_count, entered.get(name, 0))
        for name, n in sorted(expected.items())
    ]


def completion_by_classroom(*, window: ScreeningWindow, school: School) -> list[Completion]:
    screener_ids = list(window.screeners.filter(is_archived=False).values_list("pk", flat=True))
    enrolled = enrolled_during(first=window.opens_on, last=window.closes_on, prefix="enrolments")
    classrooms = (
        Classroom.objects.all()
        .filter(school=school, school_year_id=window.school_year_id, is_active=True)
        .annotate(
            n=Count("enrolments", filter=enrolled, distinct=True),
            done=Count(
                "enrolments__student__screener_results",
                filter=enrolled & Q(enrolments__student__screener_results__window=window,
                         enrolments__student__screener_results__screener_id__in=screener_ids),
            ),
        )
    )  # fmt: skip
    return [Completion(c.name, c.n * len(screener_ids), c.done) for c in classrooms]


def get_result_import(*, district_id: int, import_pk):
    from screeners.models import ResultImport

    try:
        return ResultImport.objects.all().select_related("window").get(pk=import_pk)
    except (ResultImport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import.") from None


def following_window(*, window_id: int) -> ScreeningWindow | None:
    """The next window that already has a snapshot (its movement depends on this one)."""
    window = ScreeningWindow.objects.get(pk=window_id)  # a task's id, in its district
    return (
        ScreeningWindow.objects.all()
        .filter(opens_on__gt=window.opens_on, last_recomputed_at__isnull=False)
        .order_by("opens_on")
        .first()
    )
