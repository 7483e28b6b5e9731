"""Demo teams: the district's layers, a collaborative team meeting team in every school (its
teachers), and a first meeting with a celebration and a commitment."""

from __future__ import annotations

import datetime

from crsys.tenancy.context import district_context
from districts.models import User
from schools.models import School, StaffAssignment, StaffRole
from teams import services
from teams.models import Celebration, Commitment, LayerKind, Meeting, Team, TeamMember


def seed_teams(*, district, teacher_email: str, today: datetime.date | None = None) -> None:
    today = today or datetime.date.today()
    with district_context(district):
        layers = {layer.kind: layer for layer in services.layers_ensure(district_id=district.pk)}
        for school in School.objects.filter(is_active=True).order_by("pk"):
            team, created = Team.objects.get_or_create(
                school=school,
                layer=layers[LayerKind.COLLABORATIVE_TEAM_MEETING],
                defaults={"name": f"{school.name} collaborative team", "cycle_weeks": 6},
            )
            if not created:
                continue
            teachers = (
                StaffAssignment.objects.filter(
                    school=school, role=StaffRole.TEACHER, classroom__isnull=False, is_active=True
                )
                .values_list("user_id", flat=True)
                .distinct()[:6]
            )
            members = [TeamMember(district=district, team=team, user_id=u) for u in teachers]
            demo_teacher = User.objects.filter(email=teacher_email).first()
            if (
                demo_teacher
                and StaffAssignment.objects.filter(user=demo_teacher, school=school).exists()
            ):
                members.append(
                    TeamMember(
                        district=district,
                        team=team,
                        user=demo_teacher,
                        meeting_role="facilitator",
                        strengths="Literacy routines",
                    )
                )
            TeamMember.objects.bulk_create(members, ignore_conflicts=True)
            first = members[0].user_id if members else None
            meeting = Meeting.objects.create(
                team=team,
                date=today - datetime.timedelta(days=42),
                agenda=list(team.layer.agenda_template),
            )
            Celebration.objects.create(
                meeting=meeting,
                text="Reading buddies doubled the minutes our grade 2s read at home",
            )
            if first:
                Commitment.objects.create(
                    team=team,
                    meeting=meeting,
                    owner_id=first,
                    text="try small-group phonics three times a week",
                    due_date=today - datetime.timedelta(days=7),
                )
