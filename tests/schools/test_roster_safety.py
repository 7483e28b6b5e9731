"""Rosters as districts send them (issue 9, items 2–4): the dry run and the commit agree, a
failed commit says so and writes nothing, a truncated file cannot empty a district, and one
staff row without a usable address costs only that person's sign-in."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

import schools.roster.apply as apply_module
from crsys.tenancy.context import district_context
from districts.models import Membership, User
from districts.permissions import SYSTEM
from schools import services
from schools.models import Enrolment, RosterImport, StaffAssignment, Student
from tests.factories import SchoolFactory
from tests.schools.bundles import (
    CLASSES,
    ENROLLMENTS,
    ORGS,
    USERS,
    add_lines,
    bundle,
    replace_line,
)
from tests.schools.test_roster_import import counts_in, problems_of, run

pytestmark = pytest.mark.django_db


def tobedeleted(text: str, start: str) -> str:
    line = next(line for line in text.splitlines() if line.startswith(start))
    return replace_line(text, start, line.replace(",active,", ",tobedeleted,", 1))


# Item 2: the dry run and the commit agree -------------------------------------------------


def test_a_first_import_with_deleted_class_and_student_still_enrolled_commits_as_checked(
    district,
):
    # given: class c1 and student u3 are tobedeleted, but enrolments still name them
    data = bundle(
        {"classes.csv": tobedeleted(CLASSES, "c1,"), "users.csv": tobedeleted(USERS, "u3,")}
    )
    # when
    checked = run(district, data, commit=False)
    committed = run(district, data)
    # then: what the dry run promised is what the commit did, and it says what it left out
    assert checked.status == RosterImport.Status.READY, problems_of(checked)
    assert committed.status == RosterImport.Status.COMMITTED, problems_of(committed)
    assert committed.counts == checked.preview
    assert checked.preview["enrolments"]["create"] == 0
    assert checked.preview["staff_assignments"]["create"] == 0
    warnings = "\n".join(committed.warnings)
    assert "enrollments.csv: 3 student enrolments not imported (e1, e2, e3)" in warnings
    assert "enrollments.csv: 1 class staff enrolments not imported (e4)" in warnings
    assert counts_in(district)["Enrolment"] == 0


def test_every_reference_to_a_deleted_school_is_left_out_alike(district):
    # given: a first import whose school s2 is tobedeleted while a class, a student, a
    # principal and an enrolment still name it (each kind of reference the import resolves)
    data = bundle({"orgs.csv": tobedeleted(ORGS, "s2,")})
    # when
    checked = run(district, data, commit=False)
    committed = run(district, data)
    # then
    assert committed.status == RosterImport.Status.COMMITTED, problems_of(committed)
    assert committed.counts == checked.preview
    assert {(e, c["create"]) for e, c in checked.preview.items()} >= {
        ("schools", 1),
        ("classrooms", 1),
        ("students", 2),
        ("enrolments", 2),
        ("staff", 1),
    }
    warnings = "\n".join(committed.warnings)
    assert "classes.csv: 1 classes not imported (c2)" in warnings
    assert "users.csv: 1 students not imported (u3)" in warnings
    assert [c["words"] for c in committed.role_changes] == ["becomes teacher at Aspen Elementary"]


def test_a_commit_that_fails_on_a_foreign_key_is_marked_failed_and_writes_nothing(
    district, admin_user, client, monkeypatch
):
    # given: a reference the checks miss (the dangling-reference filter switched off), so the
    # database's foreign keys are the last wall

    monkeypatch.setattr(apply_module, "drop_dangling", lambda frame, refs, **kw: (frame, ""))
    data = bundle({"classes.csv": tobedeleted(CLASSES, "c1,")})
    # when
    result = run(district, data, user=admin_user)
    # then: failed, with a message, and nothing of it in the district
    assert result.status == RosterImport.Status.FAILED
    assert (
        "IntegrityError" in problems_of(result)[0]
        and "nothing was written" in problems_of(result)[0]
    )
    assert counts_in(district) == dict.fromkeys(counts_in(district), 0)
    assert not User.objects.filter(email="tess@alpha.example").exists()
    client.force_login(admin_user)
    page = client.get(f"/d/alpha/imports/{result.pk}/").content.decode()
    assert "Status: Failed" in page and "The commit failed and nothing was written" in page
    assert "Commit this import" not in page


# Item 3: a truncated file must not empty a district ----------------------------------------

STUDENTLESS = {
    "users.csv": "".join(line + "\n" for line in USERS.splitlines() if ",student," not in line),
    "enrollments.csv": "".join(
        line + "\n" for line in ENROLLMENTS.splitlines() if ",student," not in line
    ),
}


def test_a_file_that_would_withdraw_every_student_needs_confirmation(district):
    run(district, bundle())
    # when: the nightly file arrives without its students
    checked = run(district, bundle(STUDENTLESS), commit=False)
    # then: the dry run says so in words; a commit without confirmation withdraws nobody
    assert checked.status == RosterImport.Status.READY
    assert checked.mass_withdrawal.startswith(
        "This import would withdraw 3 of 3 active students (100%), more than the 10% an import "
        "may withdraw without confirmation."
    )
    assert checked.mass_withdrawal in checked.warnings
    refused = run(district, bundle(STUDENTLESS))
    assert refused.status == RosterImport.Status.INVALID
    assert "3 of 3 active students" in problems_of(refused)[0]
    with district_context(district):
        assert Student.objects.filter(is_active=True).count() == 3
    # and with the admin's confirmation it goes in
    confirmed = run(district, bundle(STUDENTLESS), allow_mass_withdrawal=True)
    assert confirmed.status == RosterImport.Status.COMMITTED
    with district_context(district):
        assert Student.objects.filter(is_active=True).count() == 0


def test_staff_count_too(district):
    run(district, bundle())
    users = "".join(
        line + "\n"
        for line in USERS.splitlines()
        if ",student," in line or "," not in line or line.startswith("sourcedId")
    )
    enrollments = "".join(
        line + "\n" for line in ENROLLMENTS.splitlines() if ",teacher," not in line
    )
    checked = run(
        district, bundle({"users.csv": users, "enrollments.csv": enrollments}), commit=False
    )
    assert "2 of 2 active staff (100%)" in checked.mass_withdrawal


def test_the_share_is_configurable(district, settings):
    settings.ROSTER_MASS_WITHDRAWAL_SHARE = 0.5
    run(district, bundle())
    users = "".join(line + "\n" for line in USERS.splitlines() if not line.startswith("u3,"))
    result = run(district, bundle({"users.csv": users}))  # 1 of 3 students: within 50%
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert result.mass_withdrawal == ""


def test_the_command_needs_allow_mass_withdrawal(district, tmp_path, capsys):
    run(district, bundle())
    path = tmp_path / "cut.zip"
    path.write_bytes(bundle(STUDENTLESS))
    with pytest.raises(CommandError, match="--allow-mass-withdrawal"):
        call_command("import_roster", "--district", "alpha", str(path))
    assert "This import would withdraw 3 of 3 active students" in capsys.readouterr().out
    with district_context(district):
        assert Student.objects.filter(is_active=True).count() == 3
    call_command("import_roster", "--district", "alpha", str(path), "--allow-mass-withdrawal")
    with district_context(district):
        assert Student.objects.filter(is_active=True).count() == 0


def test_the_page_needs_the_checkbox(
    district, admin_user, client, django_capture_on_commit_callbacks
):
    run(district, bundle())
    checked = run(district, bundle(STUDENTLESS), commit=False)
    client.force_login(admin_user)
    url = f"/d/alpha/imports/{checked.pk}/"
    page = client.get(url).content.decode()
    assert "Warning:" in page and "3 of 3 active students" in page
    assert 'name="allow_mass_withdrawal"' in page
    # when: committed without ticking the box
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"{url}commit/", follow=True).content.decode()
    checked.refresh_from_db()
    assert checked.status == RosterImport.Status.READY and "confirm the withdrawal" in page
    # when: ticked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}commit/", {"allow_mass_withdrawal": "on"})
    checked.refresh_from_db()
    assert checked.status == RosterImport.Status.COMMITTED, checked.problems
    with district_context(district):
        assert Student.objects.filter(is_active=True).count() == 0


# Item 4: one bad staff row rejects nothing else ---------------------------------------------


def test_staff_without_or_sharing_an_address_are_imported_without_a_sign_in(district):
    # given: Tess has no address; Pia and Quinn share the front office's
    users = replace_line(USERS, "t1,", "t1,active,,true,s1,teacher,,,Tess,Teacher,,T1,,,,,,")
    users = replace_line(
        users,
        "p1,",
        "p1,active,,true,s2,administrator,,,Pia,Principal,,P1,Office@alpha.example,,,,,",
    )
    users = add_lines(users, "q1,active,,true,s2,teacher,,,Quinn,Q,,Q1,office@alpha.example,,,,,")
    # when
    result = run(district, bundle({"users.csv": users}))
    # then: everyone is in, warned about by row; none of the three can sign in or holds a role
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    warnings = "\n".join(result.warnings)
    assert "users.csv, row 5: Tess Teacher has no e-mail; imported without a sign-in" in warnings
    assert (
        "users.csv, rows 6, 7: Pia Principal, Quinn Q share the address office@alpha.example"
    ) in warnings
    assert result.role_changes == []
    assert not User.objects.filter(email="office@alpha.example").exists()
    with district_context(district):
        assert Student.objects.count() == 3
        assert not Membership.objects.filter(school__isnull=False).exists()
        teaching = StaffAssignment.objects.select_related("user").get(classroom__sourced_id="c1")
        assert teaching.user.full_name == "Tess Teacher"
        assert not teaching.user.is_active and not teaching.user.has_usable_password()
        assert StaffAssignment.objects.filter(classroom__isnull=True).count() == 3
    # and when the SIS gives Tess an address, her class moves to her real account
    fixed = run(district, bundle(), allow_mass_withdrawal=True)  # Quinn leaves: 1 of 3 staff
    assert fixed.status == RosterImport.Status.COMMITTED, problems_of(fixed)
    with district_context(district):
        teaching = StaffAssignment.objects.select_related("user").get(classroom__sourced_id="c1")
        assert teaching.user.email == "tess@alpha.example"
        assert Membership.objects.filter(user=teaching.user, role="teacher").exists()
        assert Enrolment.objects.filter(is_active=True).count() == 3


def test_an_unusable_address_costs_only_the_sign_in(district):
    users = replace_line(USERS, "t1,", "t1,active,,true,s1,teacher,,,Tess,Teacher,,T1,n/a,,,,,")
    result = run(district, bundle({"users.csv": users}))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert any("'n/a' is not an e-mail address" in w for w in result.warnings)


def test_a_staff_member_moving_school_is_not_a_withdrawal(district):
    run(district, bundle())
    users = replace_line(
        USERS, "p1,", "p1,active,,true,s1,administrator,,,Pia,Principal,,P1,pia@alpha.example,,,,,"
    )
    result = run(district, bundle({"users.csv": users}), commit=False)
    assert result.preview["staff"] == {"create": 1, "update": 0, "withdraw": 1}
    assert result.mass_withdrawal == ""


def test_an_invitation_to_an_account_without_a_password_carries_a_set_password_link(
    district, other_district, admin_user, django_capture_on_commit_callbacks
):

    # given: Tess was created by Beta's roster and never set a password
    with district_context(other_district):
        school = SchoolFactory(district=other_district)
    tess = User.objects.create_user("tess@alpha.example")
    Membership.objects.create(district=other_district, user=tess, role="teacher", school=school)
    result = run(district, bundle())
    # when: the admin sends the invitations
    with district_context(district), django_capture_on_commit_callbacks(execute=True):
        sent = services.roster_import_send_invitations(
            district=district, actor=SYSTEM, roster_import=result
        )
    # then
    assert sent == ["tess@alpha.example"]
    body = mail.outbox[0].body
    assert "/accounts/password/reset/" in body and "/invitations/" in body
