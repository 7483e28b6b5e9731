"""Reads of the continuum, filtered to what an actor may see."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from continuum import permissions
from continuum.models import (
    FocusArea,
    PlanChange,
    ProgressPoint,
    Support,
    SupportFile,
    SupportPlan,
    Tier,
)
from continuum.progress import plan_progress
from continuum.school_models import DistrictSupport, SchoolSupportAssignment
from continuum.school_selectors import visible_assignments
from districts.models import Membership, User
from districts.permissions import ALL_SCHOOLS, Actor
from schools.selectors import student_school_ids, visible_students
from teams.selectors import visible_discussions

FOCUS_AREA_KEY = re.compile(r"[-a-zA-Z0-9_]{1,40}")  # FocusArea.key, a SlugField
ALL = "all"  # every school's supports beside the divisional ones (district roles)


def focus_areas(*, district_id: int, include_archived: bool = False) -> list[FocusArea]:
    areas = FocusArea.objects.all()
    return list(areas if include_archived else areas.filter(is_archived=False))


def focus_area_by_key(*, key) -> FocusArea | None:
    """The district's focus area with this stable key (archived too), or None: how the API
    and a meeting's "area of concern" name one."""
    if not isinstance(key, str) or not FOCUS_AREA_KEY.fullmatch(key):
        return None  # not a key (NUL, too long, a number): PostgreSQL is never asked
    return FocusArea.objects.filter(key=key).first()


def tiers(*, district_id: int) -> list[Tier]:
    return list(Tier.objects.all())


def visible_supports(*, actor: Actor) -> QuerySet[Support]:
    """The divisional supports, and those of the schools the actor may open or works in."""
    supports = Support.objects.all()
    ids = permissions.school_ids(actor)
    if ids is ALL_SCHOOLS:
        return supports
    return supports.filter(Q(school__isnull=True) | Q(school_id__in=ids))


def get_support(*, actor: Actor, support_pk) -> Support:
    try:
        return (
            visible_supports(actor=actor)
            .select_related("focus_area", "tier", "school", "promoted_from")
            .get(pk=support_pk)
        )
    except (Support.DoesNotExist, ValueError, TypeError):
        raise Http404("No such support.") from None


@dataclass(frozen=True)
class Cell:
    tier: Tier
    supports: list[Support]


@dataclass(frozen=True)
class Row:
    focus_area: FocusArea
    cells: list[Cell]

    @property
    def count(self) -> int:
        return sum(len(cell.supports) for cell in self.cells)


@dataclass(frozen=True)
class Grid:
    """Focus areas down, tiers across; each cell the supports of that area and tier."""

    tiers: list[Tier]
    rows: list[Row]
    count: int
    scope: str  # "" (divisional only), a school's id, or ALL

    @property
    def is_empty(self) -> bool:
        return self.count == 0


def continuum_grid(
    *,
    actor: Actor,
    scope: str = "",
    query: str = "",
    focus_area: str = "",
    tier: int | None = None,
    include_archived: bool = False,
    areas: list[FocusArea] | None = None,
    levels: list[Tier] | None = None,
) -> Grid:
    """The continuum for ``scope``: "" the divisional supports; a school's id (one the actor
    may open) that school's own beside the divisional ones; ALL every school's too. Filtered
    by focus area key, tier number and words of ``query`` (name, description, provider).
    One query, given the district's ``areas`` and ``levels`` (read here otherwise)."""
    supports = visible_supports(actor=actor).select_related("school", "promoted_from")
    if scope == ALL:
        pass  # visible_supports already limits a school role to its schools
    elif scope:
        supports = supports.filter(Q(school__isnull=True) | Q(school_id=scope))
    else:
        supports = supports.filter(school__isnull=True)
    if not include_archived:
        supports = supports.filter(is_archived=False)
    for word in query.split()[:5]:
        supports = supports.filter(
            Q(name__icontains=word) | Q(description__icontains=word) | Q(provider__icontains=word)
        )
    if areas is None:
        areas = focus_areas(district_id=actor.district_id)
    if levels is None:
        levels = tiers(district_id=actor.district_id)
    if focus_area:
        areas = [a for a in areas if a.key == focus_area]
    if tier is not None:
        levels = [t for t in levels if t.number == tier]
    by_cell: dict[tuple[int, int], list[Support]] = {}
    for support in supports.filter(
        focus_area_id__in=[a.pk for a in areas], tier_id__in=[t.pk for t in levels]
    ).order_by("name", "pk"):
        by_cell.setdefault((support.focus_area_id, support.tier_id), []).append(support)
    rows = [Row(a, [Cell(t, by_cell.get((a.pk, t.pk), [])) for t in levels]) for a in areas]
    return Grid(
        tiers=levels,
        rows=rows,
        count=sum(len(v) for v in by_cell.values()),
        scope=str(scope),
    )


def get_plan(*, actor: Actor, plan_pk) -> SupportPlan:
    """A plan of a student the actor may see; the same 404 for every other."""

    try:
        return (
            SupportPlan.objects.filter(student__in=visible_students(actor=actor).values("pk"))
            .select_related("student", "support", "focus_area", "tier", "responsible")
            .get(pk=plan_pk)
        )
    except (SupportPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("No such plan.") from None


def get_point(*, plan: SupportPlan, point_pk) -> ProgressPoint:
    try:
        return ProgressPoint.objects.get(plan=plan, pk=point_pk)
    except (ProgressPoint.DoesNotExist, ValueError, TypeError):
        raise Http404("No such score.") from None


def plan_points(*, plan: SupportPlan) -> list[ProgressPoint]:
    return list(ProgressPoint.objects.filter(plan=plan))


def plan_changes(*, plan: SupportPlan) -> list[PlanChange]:
    """The changes to how the plan is given (its phase lines), oldest first."""
    return list(PlanChange.objects.filter(plan=plan).select_related("changed_by"))


def student_plans(*, student) -> list[SupportPlan]:
    """The student's plans, open ones first (the caller has read the student through the
    visibility rule)."""
    plans = SupportPlan.objects.filter(student=student).select_related(
        "support", "focus_area", "tier", "responsible"
    )
    return sorted(plans, key=lambda p: (not p.is_open, -p.start_date.toordinal()))


@dataclass(frozen=True)
class AreaTier:
    focus_area: FocusArea
    tier: int  # 1 (universal: every student) when no open plan is in the area
    top: int  # the district's highest tier, for the bar's scale


def jagged_profile(*, student, plans: list[SupportPlan]) -> list[AreaTier]:
    """The student's current tier per focus area: the highest tier among their open plans
    in it, tier 1 elsewhere. Different areas, different tiers: a jagged profile."""
    levels = tiers(district_id=student.district_id)
    top = max((t.number for t in levels), default=4)
    highest: dict[int, int] = {}
    for plan in plans:
        if plan.is_open:
            highest[plan.focus_area_id] = max(highest.get(plan.focus_area_id, 1), plan.tier.number)
    return [
        AreaTier(area, highest.get(area.pk, 1), top)
        for area in focus_areas(district_id=student.district_id)
    ]


def plan_supports(*, actor: Actor, student) -> QuerySet[Support]:
    """What a plan for the student may pick: the divisional continuum and that of the
    student's schools, not archived."""

    return (
        visible_supports(actor=actor)
        .filter(is_archived=False)
        .filter(Q(school__isnull=True) | Q(school_id__in=student_school_ids(student)))
        .select_related("focus_area", "tier")
        .order_by("focus_area__position", "tier__number", "name")
    )


def team_supports(*, actor: Actor, school_id: int | None) -> QuerySet[Support]:
    """What a team's meeting picks strategies from: the divisional continuum and its school's
    (a district-level team, the divisional one), not archived, by focus area and tier."""
    scope = Q(school__isnull=True) | Q(school_id=school_id) if school_id else Q(school__isnull=True)
    return (
        visible_supports(actor=actor)
        .filter(scope, is_archived=False)
        .select_related("focus_area", "tier")
        .order_by("focus_area__position", "tier__number", "name")
    )


def plan_staff(*, student):
    """Who may be named to provide a plan: active staff of the student's schools and the
    district's own staff."""

    staff = Membership.objects.filter(is_active=True)
    staff = staff.filter(Q(school_id__in=student_school_ids(student)) | Q(school__isnull=True))
    return User.objects.filter(pk__in=staff.values("user_id")).order_by("full_name", "email")


def discussion_for_plan(*, actor: Actor, student, discussion_pk):
    """The key-issue discussion a plan is made from: one the actor may read, about this
    student; None otherwise (the plan is then made directly)."""

    try:
        return visible_discussions(actor=actor).filter(student=student).get(pk=discussion_pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        return None


def get_focus_area(*, district_id: int, focus_area_pk) -> FocusArea:
    try:
        return FocusArea.objects.get(pk=focus_area_pk)
    except (FocusArea.DoesNotExist, ValueError, TypeError):
        raise Http404("No such focus area.") from None


def get_tier(*, district_id: int, tier_pk) -> Tier:
    try:
        return Tier.objects.get(pk=tier_pk)
    except (Tier.DoesNotExist, ValueError, TypeError):
        raise Http404("No such tier.") from None


def caseload(*, actor: Actor, today) -> list:
    """The actor's open plans (those they provide), each with whether it is on track: two
    queries."""

    plans = list(
        SupportPlan.objects.filter(responsible_id=actor.user_id, status__in=["planned", "active"])
        .select_related("student", "support", "focus_area", "tier")
        .order_by("student__family_name", "student__given_name", "pk")
    )
    points: dict[int, list[ProgressPoint]] = {}
    for point in ProgressPoint.objects.filter(plan_id__in=[p.pk for p in plans]):
        points.setdefault(point.plan_id, []).append(point)
    return [plan_progress(p, points.get(p.pk, []), today=today) for p in plans]


@dataclass(frozen=True)
class CommonSupport:
    support: Support
    schools: int  # schools whose students have had a plan with it
    students: int
    same_name_at: int  # schools with their own support of the same name


def common_supports(*, actor: Actor) -> list[CommonSupport]:
    """Supports ranked by how many schools and students use them: what is common across the
    district's schools, to compile into the divisional continuum. Two queries."""

    supports = list(
        visible_supports(actor=actor)
        .filter(is_archived=False)
        .select_related("school", "focus_area", "tier")
        .annotate(
            n_schools=Count("plans__student__school", distinct=True),
            n_students=Count("plans__student", distinct=True),
        )
    )
    same_name = dict(
        Support.objects.filter(school__isnull=False, is_archived=False)
        .annotate(key=Lower("name"))
        .values("key")
        .annotate(n=Count("school", distinct=True))
        .values_list("key", "n")
    )
    rows = [
        CommonSupport(s, s.n_schools, s.n_students, same_name.get(s.name.lower(), 0))
        for s in supports
    ]
    return sorted(rows, key=lambda r: (-r.schools, -r.students, -r.same_name_at, r.support.name))


def get_district_support(*, actor: Actor, support_pk) -> DistrictSupport:
    """One support the district offers schools (every member may read the offer)."""
    try:
        return DistrictSupport.objects.get(pk=support_pk)
    except (DistrictSupport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such district support.") from None


def get_school_assignment(*, actor: Actor, assignment_pk) -> SchoolSupportAssignment:
    """A district support given to a school whose tier the actor may read."""
    try:
        return (
            visible_assignments(actor=actor)
            .select_related("support", "school")
            .get(pk=assignment_pk)
        )
    except (SchoolSupportAssignment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such school support.") from None


def support_files(*, support: Support) -> list[SupportFile]:
    return list(SupportFile.objects.filter(support=support))


def get_support_file(*, actor: Actor, support: Support, file_pk) -> SupportFile:
    """A file of a support the actor sees (``get_support`` first); the same 404 otherwise."""
    try:
        return SupportFile.objects.select_related("support").get(support=support, pk=file_pk)
    except (SupportFile.DoesNotExist, ValueError, TypeError):
        raise Http404("No such file.") from None
