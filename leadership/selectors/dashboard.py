"""The leadership dashboard: every school × every measure of the year's priorities,
coloured by the stored evaluations, with each school's plan status and commitments.

A fixed number of queries whatever the district's size (the query-count test holds it to
10 for 250 schools × 12 measures); cells are plain tuples so 3,000 of them render fast."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from leadership.evaluation import OVERALL_STYLE
from leadership.models import ActionPlan, CheckIn, Evaluation, Measure, PlanCommitment
from schools.grades import GRADE_ORDER
from schools.models import School

GRADE_BANDS = [
    ("elementary", "Elementary (K–6)"),
    ("middle", "Middle (7–9)"),
    ("high", "High school (10–12)"),
]
OVERALL_RANK = {"concern": 0, "issue": 1, "acceptable": 2, "good": 3, "excellent": 4, "": 5}
LABEL = {k: k.capitalize() if k else "No data" for k in OVERALL_STYLE}


def grade_band(grades: list[str]) -> set[str]:
    """The bands a school's grades touch (a K–9 school is elementary and middle)."""
    bands = set()
    for grade in grades or []:
        order = GRADE_ORDER.get(grade)
        if order is None:
            continue
        if order <= GRADE_ORDER["06"]:
            bands.add("elementary")
        elif order <= GRADE_ORDER["09"]:
            bands.add("middle")
        elif order <= GRADE_ORDER["12"]:
            bands.add("high")
    return bands


@dataclass(frozen=True)
class Column:
    measure_id: int
    name: str
    area_key: str
    area_name: str
    priority: str
    kind: str
    target: object

    @property
    def sort_key(self) -> str:
        return f"m{self.measure_id}"


@dataclass
class Row:
    school_id: int
    name: str
    bands: set[str]
    # (overall key, label, background, text colour, symbol, value text)
    cells: list[tuple] = field(default_factory=list)
    plan_id: int | None = None
    plan_status: str = "No plan"
    last_check_in: str = ""  # on_track / at_risk / off_track
    open_commitments: int = 0
    overdue_commitments: int = 0
    # Kept for the district continuum (issue 11 item 5, built in continuum/): the school's
    # current tier of district support, filled by its selector when it lands.
    support_tier: str = ""

    @property
    def check_in_label(self) -> str:
        return self.last_check_in.replace("_", " ").capitalize()

    @property
    def concerns(self) -> int:
        return sum(1 for c in self.cells if c[0] == "concern")

    @property
    def flagged(self) -> bool:
        return self.concerns > 0 or self.last_check_in == "off_track"


@dataclass(frozen=True)
class Dashboard:
    columns: list[Column]
    rows: list[Row]
    year: object


def _sort_key(sort: str, columns: list[Column]):
    if sort == "concerns":
        return lambda r: (-r.concerns, r.name.lower())
    if sort == "overdue":
        return lambda r: (-r.overdue_commitments, r.name.lower())
    if sort.startswith("m"):
        index = next((i for i, c in enumerate(columns) if f"m{c.measure_id}" == sort), None)
        if index is not None:
            return lambda r: (OVERALL_RANK[r.cells[index][0]], r.name.lower())
    return lambda r: r.name.lower()


def leadership_dashboard(
    *, year, today, area: str = "", band: str = "", query: str = "", sort: str = "name"
) -> Dashboard:
    """Filtered by assurance area key (the columns), grade band and words of the school's
    name (the rows). Six queries."""
    if year is None:
        return Dashboard([], [], None)
    measures = Measure.objects.filter(priority__school_year=year).select_related("priority__area")
    if area:
        measures = measures.filter(priority__area__key=area)
    measures = list(measures)
    columns = [
        Column(m.pk, m.name, m.priority.area.key, m.priority.area.name, m.priority.title,
               m.kind, m.target)
        for m in measures
    ]  # fmt: skip
    schools = School.objects.filter(is_active=True).order_by("name")
    for word in query.split()[:5]:
        schools = schools.filter(name__icontains=word)
    rows = {
        s[0]: Row(s[0], s[1], grade_band(s[2])) for s in schools.values_list("pk", "name", "grades")
    }
    if band:
        rows = {k: r for k, r in rows.items() if band in r.bands}
    found = {
        (school, measure): (overall, value)
        for school, measure, overall, value in Evaluation.objects.filter(
            measure_id__in=[m.pk for m in measures]
        ).values_list("school_id", "measure_id", "overall", "value")
    }
    unit = {m.pk: m.unit for m in measures}
    for school_id, row in rows.items():
        for column in columns:
            overall, value = found.get((school_id, column.measure_id), ("", None))
            style = OVERALL_STYLE[overall]
            text = "" if value is None else f"{value:.1f}{unit[column.measure_id]}"
            row.cells.append((overall, LABEL[overall], *style, text))
    # The latest check-in of each plan: the year's check-ins, oldest first, the last one
    # kept (a few per plan; portable, where DISTINCT ON is PostgreSQL's and a correlated
    # subquery per plan cost 60 ms at 250 plans).
    latest = dict(
        CheckIn.objects.filter(goal__plan__school_year=year)
        .order_by("created_at", "pk")
        .values_list("goal__plan_id", "status")
    )
    for plan_id, school_id, status in ActionPlan.objects.filter(school_year=year).values_list(
        "pk", "school_id", "status"
    ):
        if school_id in rows:
            row = rows[school_id]
            row.plan_id, row.plan_status = plan_id, status
            row.last_check_in = latest.get(plan_id, "")
    for school_id, open_, overdue in (
        PlanCommitment.objects.filter(goal__plan__school_year=year, done_on__isnull=True)
        .values("goal__plan__school_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
        .values_list("goal__plan__school_id", "n", "late")
    ):
        if school_id in rows:
            rows[school_id].open_commitments = open_
            rows[school_id].overdue_commitments = overdue
    ordered = sorted(rows.values(), key=_sort_key(sort, columns))
    return Dashboard(columns, ordered, year)
