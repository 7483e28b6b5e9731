"""Status and withdrawals (issue 9 item 6): a withdrawn student leaves class lists, a withdrawn
class is no longer reachable by its teacher, and the history stays."""

import pytest

from crsys.tenancy.context import district_context
from districts.models import User
from schools.models import Classroom, Enrolment, RosterImport, StaffAssignment, Student
from tests.schools.bundles import CLASSES, USERS, bundle, delta_manifest, only
from tests.schools.test_roster_import import problems_of, run

pytestmark = pytest.mark.django_db(transaction=False)


def classroom_page(client, district, sourced_id: str):
    with district_context(district):
        pk = Classroom.objects.get(sourced_id=sourced_id).pk
    client.force_login(User.objects.get(email="tess@alpha.example"))
    return client.get(f"/d/alpha/classrooms/{pk}/")


def test_a_student_withdrawn_by_a_delta_users_file_leaves_the_class_list(district, client):
    # given: Ada is on Tess's class list
    run(district, bundle())
    assert "Lovelace" in classroom_page(client, district, "c1").content.decode()
    # when: a delta users.csv marks Ada tobedeleted; enrollments.csv is absent
    users = "\n".join(
        [
            USERS.splitlines()[0],
            "u1,tobedeleted,2026-10-01,true,s1,student,,,Ada,Lovelace,,1001,,,,,03,",
        ]
    )
    data = only({"manifest.csv": delta_manifest({"users": "delta"}), "users.csv": users + "\n"})
    result = run(district, data, allow_mass_withdrawal=True)
    # then: her enrolment ends with her, in the counts and on the page; the row stays
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert result.counts["enrolments"] == {"create": 0, "update": 0, "withdraw": 1}
    page = classroom_page(client, district, "c1").content.decode()
    assert "Lovelace" not in page and "Hopper" in page
    with district_context(district):
        enrolment = Enrolment.objects.get(sourced_id="e1")
        assert (enrolment.is_active, enrolment.end_date is not None) == (False, True)


def test_a_class_withdrawn_by_a_delta_classes_file_is_out_of_its_teachers_reach(district, client):
    run(district, bundle())
    assert classroom_page(client, district, "c1").status_code == 200
    classes = "\n".join(
        [
            CLASSES.splitlines()[0],
            "c1,tobedeleted,2026-10-01,Grade 3 homeroom,03,,,homeroom,,s1,t1,,,",
        ]
    )
    result = run(district, only({"manifest.csv": delta_manifest({"classes": "delta"}),
                                 "classes.csv": classes + "\n"}))  # fmt: skip
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert result.counts["enrolments"]["withdraw"] == 2
    assert result.counts["staff_assignments"]["withdraw"] == 1
    assert classroom_page(client, district, "c1").status_code == 404
    with district_context(district):  # history stays
        assert Classroom.objects.filter(sourced_id="c1", is_active=False).exists()
        assert Enrolment.objects.filter(classroom__sourced_id="c1").count() == 2
        assert StaffAssignment.objects.filter(classroom__sourced_id="c1", is_active=False).exists()
        assert Student.objects.filter(is_active=True).count() == 3
