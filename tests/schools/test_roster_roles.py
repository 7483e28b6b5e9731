"""Who may read what after a roster import (issue 14, items 1 and 2): staff addresses in their
one normal form, the runner's own roles untouched, accounts of other districts and platform
operators only invited, and every role change listed by name before the commit."""

import pytest
from django.core import mail
from django.core.management import call_command

from crsys.tenancy.context import district_context
from districts.models import Membership, Role, User
from districts.permissions import SYSTEM
from schools import services
from schools.models import PendingMembership, RosterImport, StaffAssignment
from tests.factories import SchoolFactory, UserFactory, member
from tests.schools.bundles import USERS, bundle, drop_line, replace_line
from tests.schools.test_roster_import import assert_rejected, problems_of, run

pytestmark = pytest.mark.django_db

TESS = "t1,active,,true,s1,teacher,,,Tess,Teacher,,T1,tess@alpha.example,,,,,"
TESS_ROW = 5  # users.csv: header, three students, then Tess (row 5) and Pia (row 6)
PIA_ROW = 6


def with_tess(email: str, *, role: str = "teacher", school: str = "s1") -> bytes:
    line = TESS.replace("tess@alpha.example", email).replace(",teacher,", f",{role},")
    return bundle({"users.csv": replace_line(USERS, "t1,", line.replace(",s1,", f",{school},"))})


def roles_of(district, email: str) -> set[tuple]:
    with district_context(district):
        return set(
            Membership.objects.filter(user__email=email, is_active=True).values_list(
                "role", "school__code"
            )
        )


# Item 1: one normal form for staff addresses -----------------------------------------------


@pytest.mark.parametrize(
    ("look_alike", "real", "message"),
    [
        ("admın@alpha.example", "admin@alpha.example", "only look like ordinary letters"),
        ("ſuper@alpha.example", "super@alpha.example", "only look like ordinary letters"),
        ("ａdmin@alpha.example", "admin@alpha.example", "only look like ordinary letters"),
        ("tess\x00@alpha.example", "tess@alpha.example", "cannot contain a NUL character"),
    ],
)
def test_a_look_alike_address_is_refused_naming_file_row_and_column(
    district, look_alike, real, message
):
    # given: the real account exists
    UserFactory(email=real)
    # when / then: the import is refused by row, and no second account appears
    assert_rejected(district, with_tess(look_alike), f"users.csv|{TESS_ROW}|email|", message)


def test_staff_are_matched_to_accounts_by_the_normal_form_of_their_address(district):
    tess = UserFactory(email="tess@alpha.example", full_name="Tess Teacher")
    result = run(district, with_tess("  Tess@ALPHA.example "))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert User.objects.filter(email__iendswith="alpha.example").count() == 2  # Tess and Pia
    with district_context(district):
        assert StaffAssignment.objects.filter(user=tess, classroom__isnull=True).exists()
        # An account that never held a role here is invited, never attached (ADR 7).
        assert PendingMembership.objects.filter(user=tess, role="teacher").exists()
    assert roles_of(district, "tess@alpha.example") == set()


def test_whether_an_account_is_invited_does_not_depend_on_other_districts(district, other_district):
    """A dry run must not tell an admin which addresses work in another district: an account
    with no role anywhere and a member of another district get the same words."""
    UserFactory(email="tess@alpha.example", full_name="Tess Teacher")
    lonely = run(district, with_tess("tess@alpha.example"), commit=False)
    User.objects.filter(email="tess@alpha.example").delete()
    member(other_district, Role.TEACHER, email="tess@alpha.example")
    elsewhere = run(district, with_tess("tess@alpha.example"), commit=False)
    words = [c["words"] for c in lonely.role_changes]
    assert words == [c["words"] for c in elsewhere.role_changes]
    assert any("is invited to be teacher" in w for w in words)


# Item 2: the person running the import ------------------------------------------------------


def test_an_admin_cannot_make_themselves_principal_by_import(district, admin_user):
    # given: the admin's own address on a row that makes its holder principal of Aspen
    data = with_tess("admin@alpha.example", role="administrator")
    # when
    result = run(district, data, user=admin_user)
    # then: refused by row, and the admin holds only what they held
    assert result.status == RosterImport.Status.INVALID
    text = "\n".join(problems_of(result))
    assert f"users.csv|{TESS_ROW}|role|this would change your own roles" in text, text
    assert "becomes principal of Aspen Elementary" in text
    assert roles_of(district, "admin@alpha.example") == {("district_admin", None)}
    assert not User.objects.filter(email="pia@alpha.example").exists()  # nothing written


def test_an_import_cannot_end_the_roles_of_the_admin_who_runs_it(district, admin_user):
    # given: the admin is also a teacher at Aspen through the roster (another admin ran it)
    run(district, with_tess("admin@alpha.example"))
    assert ("teacher", "ASP") in roles_of(district, "admin@alpha.example")
    # when: the admin runs a file that no longer lists them
    users = drop_line(USERS, "t1,")
    result = run(
        district, bundle({"users.csv": users}), user=admin_user, allow_mass_withdrawal=True
    )
    # then
    assert result.status == RosterImport.Status.INVALID
    assert "stops being teacher at Aspen Elementary" in "\n".join(problems_of(result))
    assert ("teacher", "ASP") in roles_of(district, "admin@alpha.example")


def test_the_admin_who_commits_counts_as_running_it(district, admin_user):
    # given: a file checked by the command line (no person), then committed by the admin
    data = with_tess("admin@alpha.example", role="administrator")
    with district_context(district):
        roster_import = services.roster_import_upload(
            district=district, actor=SYSTEM, name="r.zip", data=data, kind="oneroster", check=False
        )
        roster_import = services.roster_import_check(roster_import=roster_import)
        assert roster_import.status == RosterImport.Status.READY
        roster_import.committed_by = admin_user
        roster_import = services.roster_import_commit(roster_import=roster_import)
    assert roster_import.status == RosterImport.Status.INVALID
    assert roles_of(district, "admin@alpha.example") == {("district_admin", None)}


# Item 2: accounts the district does not own ------------------------------------------------


def test_another_districts_user_is_invited_not_attached(district, other_district):
    # given: Tess already works in Beta
    tess = member(
        other_district,
        Role.TEACHER,
        school=SchoolFactory(district=other_district),
        email="tess@alpha.example",
        full_name="Tess Teacher",
    )
    # when: Alpha's file lists her
    checked = run(district, bundle(), commit=False)
    result = run(district, bundle())
    # then: the dry run says so in words, and she holds nothing in Alpha until she accepts
    invite = [c for c in checked.role_changes if c["change"] == "invite"]
    assert [(c["name"], c["words"]) for c in invite] == [
        (
            "Tess Teacher",
            "is invited to be teacher at Aspen Elementary: this address already has a crsys "
            "account; it joins only on accepting",
        )
    ]
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert roles_of(district, "tess@alpha.example") == set()
    with district_context(district):
        assert list(PendingMembership.objects.values_list("user_id", "role")) == [
            (tess.pk, "teacher")
        ]
    assert mail.outbox == []  # an import mails nobody on its own
    # and a re-import offers nothing twice
    again = run(district, bundle())
    assert [c for c in again.role_changes if c["user_id"] == tess.pk] == []


def test_a_platform_operator_is_invited_not_attached(district):
    UserFactory(email="ops@crsys.example", is_staff=True, is_superuser=True)
    result = run(district, with_tess("ops@crsys.example", role="administrator"))
    assert result.status == RosterImport.Status.COMMITTED, problems_of(result)
    assert roles_of(district, "ops@crsys.example") == set()
    assert [c["change"] for c in result.role_changes if c["email"] == "ops@crsys.example"] == [
        "invite"
    ]


def test_a_member_of_this_district_only_is_attached_directly(district):
    member(
        district, Role.TEACHER, school=SchoolFactory(district=district), email="tess@alpha.example"
    )
    result = run(district, bundle())
    assert ("teacher", "ASP") in roles_of(district, "tess@alpha.example")
    assert any(
        c["change"] == "grant" and c["email"] == "tess@alpha.example" for c in result.role_changes
    )


@pytest.fixture
def invited_tess(district, other_district):
    """A teacher of another district whom this district's roster invites (not yet a member)."""
    tess = member(
        other_district,
        Role.TEACHER,
        school=SchoolFactory(district=other_district),
        email="tess@alpha.example",
    )
    run(district, bundle())
    return tess


def test_the_invited_person_accepts_and_only_then_joins(client, district, invited_tess):
    client.force_login(invited_tess)
    assert client.get("/d/alpha/").status_code == 404  # not a member yet
    page = client.get("/invitations/").content.decode()
    assert "Alpha School District" in page and "Teacher at Aspen Elementary" in page
    assert client.get("/invitations/alpha/accept/").status_code == 405
    response = client.post("/invitations/alpha/accept/")
    assert response.status_code == 302 and response["Location"] == "/d/alpha/"
    assert roles_of(district, "tess@alpha.example") == {("teacher", "ASP")}
    assert client.get("/d/alpha/").status_code == 200
    # and nobody else can accept or decline for her
    assert client.post("/invitations/alpha/accept/").status_code == 404


def test_declining_leaves_the_person_outside(client, district, invited_tess):
    client.force_login(invited_tess)
    assert client.post("/invitations/alpha/decline/").status_code == 302
    assert roles_of(district, "tess@alpha.example") == set()
    assert client.post("/invitations/alpha/accept/").status_code == 404


def test_invitation_mail_goes_only_when_the_admin_chooses(
    client, district, other_district, admin_user, django_capture_on_commit_callbacks
):
    member(
        other_district,
        Role.TEACHER,
        school=SchoolFactory(district=other_district),
        email="tess@alpha.example",
    )
    result = run(district, bundle())
    assert mail.outbox == []
    client.force_login(admin_user)
    page = client.get(f"/d/alpha/imports/{result.pk}/").content.decode()
    assert "1 person who already has a crsys account is invited" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/d/alpha/imports/{result.pk}/invitations/")
    assert [m.to for m in mail.outbox] == [["tess@alpha.example"]]
    assert "/invitations/" in mail.outbox[0].body
    assert (
        "E-mail the invitation" not in client.get(f"/d/alpha/imports/{result.pk}/").content.decode()
    )


# Item 2: the dry run lists role changes by name ---------------------------------------------


def test_dry_run_lists_grants_and_removals_by_name(district):
    checked = run(district, bundle(), commit=False)
    words = {(c["name"], c["words"], c["row"]) for c in checked.role_changes}
    assert words == {
        ("Tess Teacher", "becomes teacher at Aspen Elementary", TESS_ROW),
        ("Pia Principal", "becomes principal of Birch Middle", PIA_ROW),
    }
    committed = run(district, bundle())
    assert {(c["name"], c["words"], c["row"]) for c in committed.role_changes} == words
    # when: Pia moves to Aspen
    users = replace_line(
        USERS, "p1,", "p1,active,,true,s1,administrator,,,Pia,Principal,,P1,pia@alpha.example,,,,,"
    )
    moved = run(district, bundle({"users.csv": users}), commit=False)
    assert {(c["name"], c["words"]) for c in moved.role_changes} == {
        ("Pia Principal", "becomes principal of Aspen Elementary"),
        ("Pia Principal", "stops being principal of Birch Middle"),
    }


def test_role_changes_show_on_the_page_and_the_command_line(
    client, district, admin_user, tmp_path, capsys
):
    path = tmp_path / "roster.zip"
    path.write_bytes(bundle())
    call_command("import_roster", "--district", "alpha", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert (
        f"would: Pia Principal <pia@alpha.example> (users.csv row {PIA_ROW}): becomes principal "
        "of Birch Middle"
    ) in out
    result = run(district, bundle(), commit=False)
    client.force_login(admin_user)
    page = client.get(f"/d/alpha/imports/{result.pk}/").content.decode()
    assert "Roles this import would change (2)" in page
    assert "Becomes principal of Birch Middle" in page and "Pia Principal" in page
