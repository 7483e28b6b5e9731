"""Reads of the continuum, filtered to what an actor may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from continuum import permissions
from continuum.models import FocusArea, Support, Tier
from districts.permissions import ALL_SCHOOLS, Actor

ALL = "all"  # every school's supports beside the divisional ones (district roles)


def focus_areas(*, district_id: int, include_archived: bool = False) -> list[FocusArea]:
    areas = FocusArea.objects.for_district(district_id)
    return list(areas if include_archived else areas.filter(is_archived=False))


def tiers(*, district_id: int) -> list[Tier]:
    return list(Tier.objects.for_district(district_id))


def visible_supports(*, actor: Actor) -> QuerySet[Support]:
    """The divisional supports, and those of the schools the actor may open or works in."""
    supports = Support.objects.for_district(actor.district_id)
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
