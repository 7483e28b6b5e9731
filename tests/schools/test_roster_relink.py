"""Re-linking (issue 9 item 10): a district that began with a spreadsheet, or a SIS that
re-keyed its sourcedIds, gets an explicit re-link by student number, listed in the dry run
and applied on confirmation."""

import pytest
from django.core.management import CommandError, call_command

from crsys.tenancy.context import district_context
from schools import services
from schools.models import Enrolment, RosterImport, StaffAssignment, Student
from tests.schools.bundles import ENROLLMENTS, USERS, bundle
from tests.schools.test_roster_import import problems_of, run

pytestmark = pytest.mark.django_db(transaction=False)


def rekeyed() -> bytes:
    """The same people, every student's sourcedId changed (a new SIS)."""
    users, enrollments = USERS, ENROLLMENTS
    for old in ("u1", "u2", "u3"):
        users = users.replace(f"\n{old},", f"\nsis2-{old},")
        enrollments = enrollments.replace(f",{old},", f",sis2-{old},")
    return bundle({"users.csv": users, "enrollments.csv": enrollments})


def test_a_rekeyed_file_is_relinked_by_student_number_on_confirmation(district, client,
                                                                      admin_user):  # fmt: skip
    # given: the district's students under the old keys, one with history
    run(district, bundle())
    with district_context(district):
        ada_pk = Student.objects.get(student_number="1001").pk
    # when: the new SIS's file is checked
    checked = run(district, rekeyed(), commit=False)
    # then: the dry run proposes the re-link, names each match, and the commit waits for a yes
    assert checked.status == RosterImport.Status.READY, problems_of(checked)
    assert checked.relink.startswith("3 student records in this district have the file's")
    assert checked.preview["students"] == {"create": 0, "update": 0, "withdraw": 0}
    client.force_login(admin_user)
    detail = client.get(checked.get_absolute_url()).content.decode()
    assert "Re-link:" in detail and "0 changes" not in detail
    page = client.get(checked.get_absolute_url() + "people/", {"change": "relink"}).content
    assert "sourcedId &#x27;u1&#x27; → &#x27;sis2-u1&#x27;" in page.decode()
    with district_context(district):
        assert Student.objects.get(pk=ada_pk).sourced_id == "u1"  # the dry run wrote nothing
    refused = run(district, rekeyed())
    assert refused.status == RosterImport.Status.INVALID
    assert "confirm the re-link" in problems_of(refused)[0]
    # on confirmation: the same records, now under the new keys, with their history

    with district_context(district):
        services.allow_relink_of(checked, allow=True)
        checked.save(update_fields=["options"])
        committed = services.roster_import_commit(roster_import=checked)
    assert committed.status == RosterImport.Status.COMMITTED, problems_of(committed)
    with district_context(district):
        assert Student.objects.get(pk=ada_pk).sourced_id == "sis2-u1"
        assert Student.objects.count() == 3
        assert Enrolment.objects.filter(student_id=ada_pk, is_active=True).count() == 1


def test_a_spreadsheet_district_moves_to_oneroster_with_relink_on_the_command_line(
    district, tmp_path, capsys
):
    # given: students first imported from a spreadsheet (keyed student:<number>)
    run(district, bundle())
    with district_context(district):
        for s in Student.objects.all():
            Student.objects.filter(pk=s.pk).update(sourced_id=f"student:{s.student_number}")
    path = tmp_path / "roster.zip"
    path.write_bytes(bundle())
    # when / then: refused without --relink, naming the flag; applied with it
    with pytest.raises(CommandError, match=r"confirm the re-link\. \(--relink\)"):
        call_command("import_roster", "--district", "alpha", str(path))
    assert "re-link: 3 student records" in capsys.readouterr().out
    call_command("import_roster", "--district", "alpha", str(path), "--relink")
    with district_context(district):
        assert set(Student.objects.values_list("sourced_id", flat=True)) == {"u1", "u2", "u3"}


def test_two_students_sharing_a_number_are_still_refused(district):
    run(district, bundle())
    # u9 takes Ada's number while Ada (u1) stays in the file under another: not a re-key
    users = USERS.replace(",Ada,Lovelace,,1001,", ",Ada,Lovelace,,2001,") + (
        "u9,active,,true,s1,student,,,Ida,Newcomer,,1001,,,,,03,\n"
    )
    result = run(district, bundle({"users.csv": users}), commit=False)
    assert result.status == RosterImport.Status.INVALID
    assert "two students seem to share the number" in " ".join(problems_of(result))


def test_rekeyed_staff_keep_their_accounts_and_roles_by_email(district):
    # given
    run(district, bundle())
    users = USERS.replace("\nt1,", "\nsis2-t1,").replace("\np1,", "\nsis2-p1,")
    enrollments = ENROLLMENTS.replace(",t1,teacher,", ",sis2-t1,teacher,")
    # when: the same people under new sourcedIds
    result = run(district, bundle({"users.csv": users, "enrollments.csv": enrollments}))
    # then: matched by address: no role changes, placements follow the new keys
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert result.role_changes == []
    assert not result.mass_withdrawal
    with district_context(district):
        live = set(StaffAssignment.objects.filter(is_active=True).values_list(
            "user__email", "user_sourced_id"))  # fmt: skip
    assert live == {("tess@alpha.example", "sis2-t1"), ("pia@alpha.example", "sis2-p1")}
