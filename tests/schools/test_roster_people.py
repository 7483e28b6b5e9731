"""The dry run names the people: on the page (searchable, by pages), as CSV, and with
``import_roster --verbose`` (issue 9 item 9)."""

import csv
import io

import pytest
from django.core.management import call_command

from schools.models import RosterImport
from tests.schools.bundles import USERS, add_lines, bundle, drop_line, replace_line
from tests.schools.test_roster_import import problems_of, run

pytestmark = pytest.mark.django_db(transaction=False)


def changed_bundle() -> bytes:
    """Grace's family name and grade change, Alan leaves, Edsger arrives."""
    users = replace_line(
        USERS, "u2,", "u2,active,,true,s1,student,,,Grace,Hopper-Smith,,1002,,,,,04,"
    )
    users = drop_line(users, "u3,")
    users = add_lines(users, "u4,active,,true,s2,student,,,Edsger,Dijkstra,,1004,,,,,07,")
    return bundle({"users.csv": users})


def test_the_dry_run_lists_who_is_created_changed_and_withdrawn(district, client, admin_user):
    # given
    run(district, bundle())
    # when
    checked = run(district, changed_bundle(), commit=False)
    # then
    assert checked.status == RosterImport.Status.READY, problems_of(checked)
    client.force_login(admin_user)
    detail = client.get(checked.get_absolute_url()).content.decode()
    assert "See who it would change: 3 people by name" in detail
    people_url = checked.get_absolute_url() + "people/"
    page = client.get(people_url).content.decode()
    assert "Edsger Dijkstra" in page and "Alan Turing" in page
    assert "family name: Hopper → Hopper-Smith; grade: 03 → 04" in page
    # searchable
    found = client.get(people_url, {"q": "hopper"}).content.decode()
    assert "Grace Hopper-Smith" in found and "Edsger" not in found
    only_withdrawn = client.get(people_url, {"change": "withdraw"}).content.decode()
    assert "Alan Turing" in only_withdrawn and "Edsger" not in only_withdrawn
    # every person in the CSV
    response = client.get(checked.get_absolute_url() + "people.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(r["change"], r["name"], r["key"]) for r in rows} == {
        ("create", "Edsger Dijkstra", "1004"),
        ("update", "Grace Hopper-Smith", "1002"),
        ("withdraw", "Alan Turing", "1003"),
    }


def test_the_people_page_pages_by_fifty(district, client, admin_user):
    users = add_lines(USERS, *[f"n{i},active,,true,s1,student,,,Pupil,Number{i:03d},,{5000 + i},"
                               ",,,,03," for i in range(60)])  # fmt: skip
    checked = run(district, bundle({"users.csv": users}), commit=False)
    client.force_login(admin_user)
    people_url = checked.get_absolute_url() + "people/"
    first = client.get(people_url).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(people_url, {"page": 2}).content.decode()
    assert second.count('<th scope="row">') == checked.people_count - 50


def test_import_roster_verbose_names_the_people(district, tmp_path, capsys):
    run(district, bundle())
    path = tmp_path / "roster.zip"
    path.write_bytes(changed_bundle())
    call_command("import_roster", "--district", "alpha", str(path), "--dry-run", "--verbose")
    out = capsys.readouterr().out
    assert ("would: Changed student Grace Hopper-Smith (1002, Aspen Elementary): family name: "
            "Hopper → Hopper-Smith; grade: 03 → 04") in out  # fmt: skip
    assert "would: Withdrawn student Alan Turing (1003, Birch Middle)" in out
    assert "would: New student Edsger Dijkstra (1004, Birch Middle)" in out
    call_command("import_roster", "--district", "alpha", str(path), "--dry-run")
    assert "Edsger" not in capsys.readouterr().out  # only with --verbose
