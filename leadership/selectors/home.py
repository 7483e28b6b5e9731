"""What the home page shows of action plans: for a principal, check-ins due, the district's
open questions and overdue commitments; for a district leader, schools flagged, comments
awaiting answers and plans not checked in this cycle."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from districts.permissions import ALL_SCHOOLS, Actor, Capability
from leadership.models import ActionPlan, Evaluation, Goal, PlanComment, PlanCommitment, PlanStatus
from schools.models import School
from schools.selectors import current_school_year

CHECK_IN_EVERY_DAYS = 30  # a goal without a check-in for this long is due one


@dataclass
class HomeSections:
    check_ins_due: list = field(default_factory=list)  # goals
    open_questions: list = field(default_factory=list)  # comments
    overdue: list = field(default_factory=list)  # commitments
    flagged_schools: list = field(default_factory=list)  # (school, concerns)
    awaiting_answers: list = field(default_factory=list)  # comments
    not_checked_in: list = field(default_factory=list)  # plans
    plan_schools: list = field(default_factory=list)  # schools whose plan the actor keeps
    is_leader: bool = False

    @property
    def is_empty(self) -> bool:
        return not any(vars(self).values())

    @property
    def principal_items(self) -> bool:
        return bool(self.check_ins_due or self.open_questions or self.overdue)


def home_sections(*, actor: Actor, today: datetime.date) -> HomeSections:
    sections = HomeSections()
    since = today - datetime.timedelta(days=CHECK_IN_EVERY_DAYS)
    keeps = actor.school_ids(Capability.MANAGE_SCHOOL)
    if keeps is not ALL_SCHOOLS and keeps:
        sections.plan_schools = list(School.objects.filter(pk__in=keeps).order_by("name"))
        goals = Goal.objects.filter(plan__school_id__in=keeps, plan__status=PlanStatus.ACTIVE)
        sections.check_ins_due = list(
            goals.annotate(last=Max("check_ins__created_at"))
            .filter(Q(last__isnull=True) | Q(last__date__lt=since))
            .select_related("plan__school")[:20]
        )
        sections.open_questions = list(
            PlanComment.objects.filter(
                goal__plan__school_id__in=keeps, answered_at__isnull=True
            ).select_related("goal__plan__school", "author")[:20]
        )
        sections.overdue = list(
            PlanCommitment.objects.filter(
                Q(goal__plan__school_id__in=keeps) | Q(owner_id=actor.user_id),
                done_on__isnull=True, due_on__lt=today,
            ).select_related("goal__plan__school", "owner")[:20]
        )  # fmt: skip
    if actor.can(Capability.COMMENT_ON_ACTION_PLANS):
        sections.is_leader = True
        year = current_school_year(district=None, today=today)
        concerns = (
            Evaluation.objects.filter(overall="concern", measure__priority__school_year=year)
            .values("school_id")
            .annotate(n=Count("pk"))
            .order_by("-n")[:20]
        )
        names = dict(
            School.objects.filter(pk__in=[c["school_id"] for c in concerns]).values_list(
                "pk", "name"
            )
        )
        sections.flagged_schools = [
            (c["school_id"], names.get(c["school_id"]), c["n"]) for c in concerns
        ]
        sections.awaiting_answers = list(
            PlanComment.objects.filter(answered_at__isnull=True)
            .select_related("goal__plan__school", "author")
            .order_by("created_at")[:20]
        )
        sections.not_checked_in = list(
            ActionPlan.objects.filter(status=PlanStatus.ACTIVE, school_year=year)
            .annotate(last=Max("goals__check_ins__created_at"))
            .filter(Q(last__isnull=True) | Q(last__date__lt=since))
            .select_related("school", "school_year")
            .order_by("school__name")[:20]
        )
    return sections
