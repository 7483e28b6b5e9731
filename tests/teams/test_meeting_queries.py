"""The meeting page's reads: at most 11 statements for a 30-student class in full swing
(celebrations, organizer picks, carried and new commitments, a referral, attendance, students
named with the same issue, and the district's focus areas for an unfolded key issue's area of
concern, a fixed list before they were the district's own), the same at 7 students, and one
more only while a note has an unresolved conflict."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crsys.tenancy.context import district_context
from schools.models import Enrolment
from teams import services
from teams.models import LayerKind, Team
from tests.factories import ClassroomFactory, StudentFactory, actor_of, enrol, teach

PAGE_LIMIT = 11


def _statements(client, url, data=None) -> list[str]:
    """Statements the request sent, without transaction control, without the test's own
    RLS restore (a request outside a test transaction commits instead), and without the
    audit event every district request appends after the page (one INSERT, ADR 11)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url) if data is None else client.post(url, data)
    assert response.status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].split()[0].upper() not in {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}
        and not q["sql"].startswith("SELECT set_config('app.district_id'")
        and not q["sql"].startswith('INSERT INTO "audit_auditevent"')
    ]


def _fill_class(district, school, teacher, size):
    room = ClassroomFactory(district=district, school=school)
    teach(teacher, room)
    students = [StudentFactory(district=district, school=school) for _ in range(size)]
    for student in students:
        enrol(student, room)
    return students


@pytest.fixture
def busy_meeting(district, school, world):
    """A meeting in full swing, after a first one that left commitments open."""
    tess, teo = world["tess"], world["teo"]
    actor = actor_of(tess, district)
    students = _fill_class(district, school, tess, 29) + [world["ada"]]
    with district_context(district):
        layers = {x.kind: x for x in services.layers_ensure(district_id=district.pk)}
        Team.objects.create(
            layer=layers[LayerKind.SCHOOL_SUPPORT_TEAM], school=school, name="Support team"
        )
        first = world["meeting"]
        for text in ("Call home", "Try a reading buddy"):
            services.commitment_add(
                actor=actor,
                meeting=first,
                owner_id=teo.pk,
                text=text,
                due_date=datetime.date(2026, 10, 20),
                student=students[0],
            )
        meeting = services.meeting_create(
            actor=actor, team=world["team"], date=datetime.date(2026, 11, 12)
        )
        services.attendance_set(actor=actor, meeting=meeting, user_ids=[tess.pk, teo.pk])
        for kind, student in zip(("celebrate", "key_issue", "enrich"), students, strict=False):
            services.organizer_pick(
                actor=actor, meeting=meeting, user=tess, kind=kind, student=student, note="why"
            )
        discussions = [
            services.discussion_add(actor=actor, meeting=meeting, student=s, user=tess)
            for s in students[:3]
        ]
        for d in discussions:
            for other in students[10:12]:
                services.same_issue_set(actor=actor, discussion=d, student=other)
        for text in ("Read a whole chapter", "Helped a friend"):
            services.celebration_add(
                actor=actor, meeting=meeting, student=students[4], text=text, user=tess
            )
        services.celebration_add(actor=actor, meeting=meeting, text="Norms kept", user=tess)
        services.commitment_add(
            actor=actor,
            meeting=meeting,
            owner_id=tess.pk,
            text="Small-group phonics",
            due_date=datetime.date(2026, 12, 1),
        )
        services.referral_create(
            actor=actor, meeting=meeting, student=students[1], context="Tried x", user=tess
        )
    return {"meeting": meeting, "discussions": discussions, "students": students}


def test_a_busy_meeting_page_for_30_students_takes_at_most_11_statements(
    client, world, busy_meeting
):
    client.force_login(world["tess"])
    url = f"/d/alpha/meetings/{busy_meeting['meeting'].pk}/"
    statements = _statements(client, url)
    assert len(statements) <= PAGE_LIMIT, "\n".join(s[:120] for s in statements)
    page = client.get(url).content.decode()
    # Everything the statements were for is on the page.
    for text in ("Read a whole chapter", "Norms kept", "Call home", "Small-group phonics"):
        assert text in page
    assert "Planned in the organizer" in page and "To enrich" in page
    assert page.count(f"Remove {busy_meeting['students'][10].display_name}") == 3


def test_the_page_costs_the_same_for_7_students_as_for_30(
    client, district, school, world, busy_meeting
):
    client.force_login(world["tess"])
    url = f"/d/alpha/meetings/{busy_meeting['meeting'].pk}/"
    at_30 = len(_statements(client, url))
    with district_context(district):
        # Five stay, and the two named with the same issue (see the last test for those
        # who leave).
        keep = [s.pk for s in busy_meeting["students"][:5] + busy_meeting["students"][10:12]]
        Enrolment.objects.exclude(student_id__in=keep).update(is_active=False)
    assert len(_statements(client, url)) == at_30


def test_an_unresolved_conflict_costs_one_statement_and_shows_both_texts(
    client, world, busy_meeting
):
    d = busy_meeting["discussions"][0]
    url = f"/d/alpha/meetings/{busy_meeting['meeting'].pk}/"
    client.force_login(world["tess"])
    before = len(_statements(client, url))
    save = f"{url}discussions/{d.pk}/"
    client.post(save, {"field": "notes", "value": "Tess's text", "version": "1"})
    client.force_login(world["teo"])
    client.post(save, {"field": "notes", "value": "Teo's text", "version": "1"})
    client.force_login(world["tess"])
    assert len(_statements(client, url)) == before + 1
    page = client.get(url).content.decode()
    assert "Tess&#x27;s text" in page and "Teo&#x27;s text" in page


def test_members_are_marked_present_from_the_attendance(client, district, world, busy_meeting):
    with district_context(district):
        services.attendance_set(
            actor=actor_of(world["tess"], district),
            meeting=busy_meeting["meeting"],
            user_ids=[world["tess"].pk],
        )
    client.force_login(world["tess"])
    page = client.get(f"/d/alpha/meetings/{busy_meeting['meeting'].pk}/").content.decode()
    assert f'value="{world["tess"].pk}" checked' in page
    assert f'value="{world["teo"].pk}" checked' not in page


def test_an_autosave_takes_a_fixed_handful_of_statements(client, world, busy_meeting):
    d = busy_meeting["discussions"][0]
    url = f"/d/alpha/meetings/{busy_meeting['meeting'].pk}/discussions/{d.pk}/"
    client.force_login(world["tess"])
    first = _statements(client, url, {"field": "notes", "value": "one", "version": "1"})
    again = _statements(client, url, {"field": "notes", "value": "two", "version": "2"})
    # user+memberships, RLS, meeting, discussion, the edit check, the locked row, the update
    # (bench/meeting.py: 9 on PostgreSQL).
    assert len(first) == len(again) <= 9, "\n".join(s[:120] for s in again)


def test_the_folded_parts_load_in_a_fixed_handful_of_statements(client, world, busy_meeting):
    """The students table (30 students and their bands), the picker's matches and a folded
    discussion's notes, each loaded when asked for."""
    client.force_login(world["tess"])
    url = f"/d/alpha/meetings/{busy_meeting['meeting'].pk}/"
    d = busy_meeting["discussions"][0]
    # user+memberships, RLS, meeting, then: students + bands; students; discussions + names
    # + referrals made here + the district's focus areas.
    for part, limit in (
        ("students/table/", 5),
        ("students/?q=a", 4),
        (f"discussions/{d.pk}/editor/", 8),
    ):
        statements = _statements(client, url + part)
        assert len(statements) <= limit, (part, "\n".join(s[:120] for s in statements))
