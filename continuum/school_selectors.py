"""Reads of the district's continuum of supports for schools. ``school_support_tiers`` is
what the leadership dashboard reads: each school's tier of district support and its open
district supports, in three queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from continuum import permissions
from continuum.school_models import (
    LEVEL_ORDER,
    DistrictSupport,
    DistrictSupportArea,
    DistrictSupportProvider,
    SchoolSupportAssignment,
    SchoolSupportLevel,
    SchoolSupportTier,
)
from districts.models import Membership, User
from districts.permissions import ALL_SCHOOLS, Actor
from schools.models import School


def district_staff() -> QuerySet[User]:
    """The district's own staff (active members without a school): who may provide a
    district support."""
    staff = Membership.objects.filter(is_active=True, school__isnull=True).values("user_id")
    return User.objects.filter(pk__in=staff).order_by("full_name", "email")


def district_supports(*, include_archived: bool = False) -> list[DistrictSupport]:
    """What the district offers schools, each with its providers: two queries."""
    supports = DistrictSupport.objects.prefetch_related(
        Prefetch(
            "providers",
            queryset=DistrictSupportProvider.objects.select_related("user").order_by(
                "user__full_name", "user__email"
            ),
        )
    )
    if not include_archived:
        supports = supports.filter(is_archived=False)
    return list(supports.order_by("name", "pk"))


@dataclass(frozen=True)
class Column:
    level: str
    label: str
    supports: list[DistrictSupport]


@dataclass(frozen=True)
class AreaRow:
    area: str
    label: str
    columns: list[Column]


def district_catalogue(supports: list[DistrictSupport]) -> list[AreaRow]:
    """The district's supports for schools as a grid: areas down, levels across; areas
    without a support left out."""
    rows = []
    for area in DistrictSupportArea:
        columns = [
            Column(level, level.label, [s for s in supports if s.area == area and s.level == level])
            for level in LEVEL_ORDER
        ]
        if any(c.supports for c in columns):
            rows.append(AreaRow(area.value, area.label, columns))
    return rows


@dataclass(frozen=True)
class SchoolSupportStatus:
    """A school's current tier of district support (universal when none was set) and its
    open district supports."""

    school_id: int
    level: str = SchoolSupportLevel.UNIVERSAL
    note: str = ""
    supports: list[SchoolSupportAssignment] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return SchoolSupportLevel(self.level).label


def school_support_tiers(district, *, actor: Actor | None = None) -> dict[int, SchoolSupportStatus]:
    """Every school of ``district`` (in context) -> its tier of district support and open
    district supports; with ``actor``, only the schools whose tier they may read. Three
    queries (schools, tiers, open assignments with their supports)."""
    schools = School.objects.all()
    if actor is not None:
        ids = permissions.school_support_school_ids(actor)
        if ids is not ALL_SCHOOLS:
            schools = schools.filter(pk__in=sorted(ids))
    school_ids = list(schools.values_list("pk", flat=True))
    tiers = {t.school_id: t for t in SchoolSupportTier.objects.filter(school_id__in=school_ids)}
    open_by_school: dict[int, list[SchoolSupportAssignment]] = {}
    for assignment in (
        SchoolSupportAssignment.objects.filter(school_id__in=school_ids, end_date=None)
        .select_related("support")
        .order_by("support__name", "pk")
    ):
        open_by_school.setdefault(assignment.school_id, []).append(assignment)
    return {
        pk: SchoolSupportStatus(
            school_id=pk,
            level=tiers[pk].level if pk in tiers else SchoolSupportLevel.UNIVERSAL,
            note=tiers[pk].note if pk in tiers else "",
            supports=open_by_school.get(pk, []),
        )
        for pk in school_ids
    }


def school_assignments(*, school) -> list[SchoolSupportAssignment]:
    """The school's district supports, open ones first, then the ended, newest first."""
    rows = SchoolSupportAssignment.objects.filter(school=school).select_related("support")
    return sorted(rows, key=lambda a: (not a.is_open, -a.start_date.toordinal(), -a.pk))


def visible_assignments(*, actor: Actor) -> QuerySet[SchoolSupportAssignment]:
    rows = SchoolSupportAssignment.objects.all()
    ids = permissions.school_support_school_ids(actor)
    return rows if ids is ALL_SCHOOLS else rows.filter(school_id__in=sorted(ids))


def visible_school_tiers(*, actor: Actor) -> QuerySet[SchoolSupportTier]:
    rows = SchoolSupportTier.objects.all()
    ids = permissions.school_support_school_ids(actor)
    return rows if ids is ALL_SCHOOLS else rows.filter(school_id__in=sorted(ids))
