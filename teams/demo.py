"""Demo teams: the district's layers; in every school a collaborative team (its teachers), a
school support team and a planning team; a year of meetings every six weeks with realistic
notes, commitments in every state, celebrations, and referrals the support team decided; and
the last weeks of planning, noted under the planning agenda's own sections."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from continuum.selectors import focus_areas
from crsys.tenancy.context import district_context
from districts.models import Membership, Role, User
from schools.models import Enrolment, School, StaffAssignment, StaffRole
from teams import services
from teams.models import (
    Celebration,
    Commitment,
    CommitmentStatus,
    Decision,
    Discussion,
    LayerKind,
    Meeting,
    Referral,
    SameIssueStudent,
    SectionNote,
    Team,
    TeamMember,
)

ISSUES = [
    ("literacy", "Decodes slowly and loses meaning in longer texts.",
     "Levelled readers; daily partner reading."),
    ("numeracy", "Struggles with multi-step word problems.",
     "Visual models; worked examples at the start of class."),
    ("well_being", "Often withdrawn after recess; fewer friends this term.",
     "Check-ins with the counsellor; a recess buddy."),
    ("attendance", "Has missed 9 of the last 30 days.",
     "Call home on day one of an absence; a morning greeter."),
    ("literacy", "Writes one or two sentences where peers write a page.",
     "Graphic organisers; oral rehearsal before writing."),
]  # fmt: skip
COMMITMENTS = ["try small-group phonics three times a week", "call home with good news",
               "pair with a reading buddy", "share a visual model for fractions",
               "check in every Monday morning"]  # fmt: skip
CELEBRATIONS = ["Reading buddies doubled the minutes our grade 2s read at home",
                "Morning greeters: attendance up 6 points", "Number talks got every voice in",
                "Choice boards: three reluctant writers finished their stories"]  # fmt: skip
PLANNING_NOTES = [
    ("Fractions on a number line: exit tickets show 14 of 22 place 3/4 correctly.",
     "Two days of number-line routines, then a shared performance task; small group for the 8."),
    ("Opinion writing: most paragraphs state a claim; few give two reasons.",
     "Model a reasons organiser on Monday; peer feedback with the checklist on Thursday."),
    ("Reading response: inferences are strong orally, thin on paper.",
     "Talk first, then write: partner rehearsal before every written response."),
]  # fmt: skip
STATUSES = [CommitmentStatus.DONE, CommitmentStatus.IN_PROGRESS, CommitmentStatus.DROPPED,
            CommitmentStatus.DONE]  # fmt: skip


def seed_teams(*, district, teacher_email: str, today: datetime.date) -> None:
    """Each school's teams and their history, once: a school that has any team already (the
    demo's, or one people formed since) is left as it is, so running the seed again changes
    nothing people made. A school's teams are made in one transaction, all or none."""
    rng = random.Random(5)
    with district_context(district):
        layers = {layer.kind: layer for layer in services.layers_ensure(district_id=district.pk)}
        support_user = User.objects.filter(email=teacher_email.replace("teacher@", "support@")
                                           ).first()  # fmt: skip
        for school in School.objects.filter(is_active=True).order_by("pk"):
            if Team.objects.filter(school=school).exists():
                continue
            with transaction.atomic():
                _school_teams(district, school, layers, teacher_email, support_user, today, rng)


def _school_teams(district, school, layers, teacher_email, support_user, today, rng) -> None:
    """A collaborative team of the school's teachers, a support team, a planning team."""
    ctm = Team.objects.create(
        school=school, layer=layers[LayerKind.COLLABORATIVE_TEAM_MEETING],
        name=f"{school.name} collaborative team", cycle_weeks=6,
    )  # fmt: skip
    sst = Team.objects.create(
        school=school,
        name=f"{school.name} support team",
        layer=layers[LayerKind.SCHOOL_SUPPORT_TEAM],
        cycle_weeks=2,
    )
    teachers = list(
        StaffAssignment.objects.filter(school=school, role=StaffRole.TEACHER,
                                       classroom__isnull=False, is_active=True)
        .values_list("user_id", flat=True).distinct().order_by("user_id")[:5]
    )  # fmt: skip
    demo_teacher = User.objects.filter(email=teacher_email).first()
    members = [TeamMember(district=district, team=ctm, user_id=u) for u in teachers]
    if demo_teacher and StaffAssignment.objects.filter(user=demo_teacher, school=school).exists():
        members.append(TeamMember(district=district, team=ctm, user=demo_teacher,
                                  meeting_role="facilitator",
                                  strengths="Literacy routines"))  # fmt: skip
    TeamMember.objects.bulk_create(members, ignore_conflicts=True)
    principals = Membership.objects.filter(
        school=school, role=Role.PRINCIPAL, is_active=True
    ).values_list("user_id", flat=True)
    sst_members = {*principals}
    if support_user and Membership.objects.filter(user=support_user, school=school).exists():
        sst_members.add(support_user.pk)
    TeamMember.objects.bulk_create(
        [TeamMember(district=district, team=sst, user_id=u) for u in sst_members],
        ignore_conflicts=True,
    )
    if not members:
        return
    _planning(district, school, layers[LayerKind.COLLABORATIVE_PLANNING], members, today)
    students = list(
        Enrolment.objects.current(on=today)
        .filter(classroom__school=school,
                classroom__staff__user_id__in=[m.user_id for m in members])
        .values_list("student_id", flat=True).distinct()[:40]
    )  # fmt: skip
    _a_year_of_meetings(district, ctm, sst, members, students, today, rng)


def _a_year_of_meetings(district, ctm, sst, members, students, today, rng) -> None:
    dates = [today - datetime.timedelta(weeks=6 * n) for n in range(6, 0, -1)]
    previous_commitments: list[Commitment] = []
    areas = {a.key: a for a in focus_areas(district_id=district.pk, include_archived=True)}
    for index, date in enumerate(dates):
        meeting = Meeting.objects.create(
            team=ctm, date=date, agenda=list(ctm.layer.agenda_template)
        )
        for commitment in previous_commitments:  # "How is it going?"
            commitment.status = STATUSES[(commitment.pk + index) % len(STATUSES)]
            commitment.comment = (
                "Going well: two more students on track"
                if (commitment.status == CommitmentStatus.DONE)
                else "Started; need more time"
            )
            commitment.reviewed_at = meeting
            commitment.save()
        previous_commitments = []
        Celebration.objects.create(
            meeting=meeting,
            text=CELEBRATIONS[index % len(CELEBRATIONS)],
            student_id=rng.choice(students) if students else None,
        )
        for student_id in rng.sample(students, min(3, len(students))):
            area, notes, tried = rng.choice(ISSUES)
            decision = rng.choice([Decision.MONITOR, Decision.ADD_SUPPORT, Decision.ADD_SUPPORT,
                                   Decision.REFER])  # fmt: skip
            discussion = Discussion.objects.create(
                meeting=meeting, student_id=student_id, focus_area=areas.get(area), notes=notes,
                strategies=tried, decision=decision, author_id=members[0].user_id,
            )  # fmt: skip
            others = [s for s in students if s != student_id]
            for other in rng.sample(others, min(rng.choice([0, 1, 2]), len(others))):
                SameIssueStudent.objects.create(discussion=discussion, student_id=other)
            previous_commitments.append(Commitment.objects.create(
                team=ctm, meeting=meeting, owner_id=rng.choice(members).user_id,
                text=rng.choice(COMMITMENTS), due_date=date + datetime.timedelta(days=28),
                student_id=student_id,
            ))  # fmt: skip
            if decision == Decision.REFER:
                referral = Referral.objects.create(
                    student_id=student_id,
                    from_meeting=meeting,
                    to_team=sst,
                    context=f"{notes} Tried: {tried}",
                    referred_by_id=members[0].user_id,
                )
                if date < today - datetime.timedelta(weeks=2):
                    support_meeting, _ = Meeting.objects.get_or_create(  # one a day
                        team=sst,
                        date=date + datetime.timedelta(days=7),
                        defaults={
                            "agenda": list(sst.layer.agenda_template),
                            "closed_at": datetime.datetime.combine(
                                date + datetime.timedelta(days=7),
                                datetime.time(16),
                                tzinfo=datetime.UTC,
                            ),
                        },
                    )
                    referral.status, referral.decided_at = Referral.Status.DECIDED, support_meeting
                    referral.decision = "Learning coach to assess; tier 3 small group twice a week"
                    referral.save()
        if index == len(dates) - 1:
            facilitator = next((m for m in members if m.meeting_role == "facilitator"), None)
            if facilitator is not None:  # the demo teacher has an open commitment waiting
                Commitment.objects.create(
                    team=ctm, meeting=meeting, owner_id=facilitator.user_id,
                    text="model paired reading for the team", student_id=students[0] if
                    students else None, due_date=today + datetime.timedelta(days=14),
                )  # fmt: skip
        # Every meeting held is closed, the last one too; the next is due today (the last
        # was a cycle ago), so the demo teacher can start it.
        meeting.closed_at = datetime.datetime.combine(date, datetime.time(16), tzinfo=datetime.UTC)
        meeting.save(update_fields=["closed_at"])


def _planning(district, school, layer, members, today) -> None:
    """The collaborative team's teachers also plan together weekly: three weeks of notes."""
    team = Team.objects.create(
        school=school, layer=layer, name=f"{school.name} planning team", cycle_weeks=1
    )
    TeamMember.objects.bulk_create(
        [TeamMember(district=district, team=team, user_id=m.user_id) for m in members]
    )
    keys = [s["key"] for s in layer.agenda_template if s["key"].startswith("custom-")]
    for weeks_ago, (evidence, plan) in zip((3, 2, 1), PLANNING_NOTES, strict=True):
        date = today - datetime.timedelta(weeks=weeks_ago)
        meeting = Meeting.objects.create(
            team=team,
            date=date,
            agenda=list(layer.agenda_template),
            closed_at=datetime.datetime.combine(date, datetime.time(16), tzinfo=datetime.UTC),
        )
        SectionNote.objects.bulk_create(
            SectionNote(district=district, meeting=meeting, key=key, text=text, version=1)
            for key, text in zip(keys, (evidence, plan), strict=False)
        )
