"""Key issues name the other students with the same issue: links to students, one at a time,
on the page (with and without htmx), in the API and in the minutes."""

import pytest
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from districts.models import Role
from schools.models import Enrolment
from teams import services
from teams.models import SameIssueStudent
from tests.factories import SchoolFactory, StudentFactory, actor_of, enrol, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_issue(district, school, world):
    """Ada discussed; Ben and Cleo in the same class; Dev at another school."""
    tess = world["tess"]
    with district_context(district):
        room = Enrolment.objects.get(student=world["ada"]).classroom
        ben = StudentFactory(district=district, school=school, given_name="Ben", family_name="Bo")
        cleo = StudentFactory(district=district, school=school, given_name="Cleo", family_name="Co")
        for student in (ben, cleo):
            enrol(student, room)
        dev = StudentFactory(district=district, school=SchoolFactory(district=district))
        actor = actor_of(tess, district)
        d = services.discussion_add(
            actor=actor, meeting=world["meeting"], student=world["ada"], user=tess
        )
    return {"discussion": d, "ben": ben, "cleo": cleo, "dev": dev}


def _page(client, world):
    return client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").content.decode()


def test_a_teacher_names_and_unnames_students_with_the_same_issue(client, world, key_issue):
    d, ben, cleo = key_issue["discussion"], key_issue["ben"], key_issue["cleo"]
    url = f"/d/alpha/meetings/{world['meeting'].pk}/discussions/{d.pk}/same-issue/"
    client.force_login(world["tess"])
    assert "None named." in _page(client, world)
    # Without JavaScript: a plain form post, back to the discussion.
    response = client.post(url, {"student": ben.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"#discussion-{d.pk}")
    # With htmx: the list comes back in place.
    partial = client.post(url, {"student": cleo.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "Ben Bo" in partial and "Cleo Co" in partial and "<html" not in partial
    assert 'aria-label="Remove Cleo Co"' in partial
    page = _page(client, world)
    assert "Ben Bo" in page and "Cleo Co" in page and "None named." not in page
    client.post(url, {"student": ben.pk, "action": "remove"}, HTTP_HX_REQUEST="true")
    client.post(url, {"student": cleo.pk})  # again: still once
    named = SameIssueStudent.objects.for_district(d.district_id).filter(discussion=d)
    assert list(named.values_list("student_id", flat=True)) == [cleo.pk]


def test_bad_names_are_refused_with_a_reason(client, district, world, key_issue):
    d = key_issue["discussion"]
    url = f"/d/alpha/meetings/{world['meeting'].pk}/discussions/{d.pk}/same-issue/"
    client.force_login(world["tess"])
    itself = client.post(url, {"student": world["ada"].pk}, HTTP_HX_REQUEST="true")
    assert "this is the student being discussed" in itself.content.decode()
    # A student the teacher cannot see (another school) is not found, not explained.
    assert client.post(url, {"student": key_issue["dev"].pk}).status_code == 404
    # Not a student id at all: a form error, said beside the list.
    junk = client.post(url, {"student": "not-a-number"}, HTTP_HX_REQUEST="true")
    assert "type part of a name or a student number" in junk.content.decode()
    # The district admin sees every school, and is told why.
    admin = member(district, Role.DISTRICT_ADMIN, email="boss@alpha.example")
    client.force_login(admin)
    other = client.post(url, {"student": key_issue["dev"].pk}, HTTP_HX_REQUEST="true")
    assert "name an active student of this team&#x27;s school" in other.content.decode()
    assert not SameIssueStudent.objects.for_district(district).exists()
    # Someone outside the team cannot see the meeting, so it is not found for them.
    client.force_login(world["outsider"])
    assert client.post(url, {"student": key_issue["ben"].pk}).status_code == 404
    assert not SameIssueStudent.objects.for_district(district).exists()


def test_the_api_reads_and_writes_the_list_and_hides_it_when_sensitive(district, world, key_issue):
    api = APIClient()
    d, ben = key_issue["discussion"], key_issue["ben"]
    base = f"/api/v1/d/alpha/meetings/{world['meeting'].pk}/"
    api.force_authenticate(world["tess"])
    named = api.post(f"{base}discussions/{d.pk}/same-issue/", {"student": ben.pk}, format="json")
    assert named.status_code == 200, named.content
    assert named.json()["same_issue_students"] == [ben.pk]
    assert api.get(base).json()["discussions"][0]["same_issue_students"] == [ben.pk]
    bad = api.post(
        f"{base}discussions/{d.pk}/same-issue/", {"student": world["ada"].pk}, format="json"
    )
    assert bad.status_code == 400 and "student" in bad.json()
    api.patch(f"{base}discussions/{d.pk}/", {"field": "sensitive", "value": "true"}, format="json")
    api.force_authenticate(world["teo"])
    assert api.get(base).json()["discussions"][0]["same_issue_students"] is None
    refused = api.post(
        f"{base}discussions/{d.pk}/same-issue/",
        {"student": ben.pk, "named": False},
        format="json",
    )
    assert refused.status_code == 403
    api.force_authenticate(world["tess"])  # the author may
    removed = api.post(
        f"{base}discussions/{d.pk}/same-issue/",
        {"student": ben.pk, "named": False},
        format="json",
    )
    assert removed.status_code == 200 and removed.json()["same_issue_students"] == []


def test_a_named_student_who_left_the_team_is_still_shown(
    client, district, school, world, key_issue
):
    d, ben = key_issue["discussion"], key_issue["ben"]
    with district_context(district):
        services.same_issue_set(actor=actor_of(world["tess"], district), discussion=d, student=ben)

        Enrolment.objects.filter(student=ben).update(is_active=False)
    client.force_login(member(district, Role.PRINCIPAL, school=school))
    assert "Ben Bo" in _page(client, world)
    # A teacher no longer teaching Ben may not open his page, so the list leaves him out
    # (issue 14, item 4: every list of students follows the student page's rule).
    client.force_login(world["tess"])
    assert "Ben Bo" not in _page(client, world)


def test_the_profile_lists_where_a_student_was_named_with_the_same_issue(
    client, district, world, key_issue
):
    d, ben = key_issue["discussion"], key_issue["ben"]
    with district_context(district):
        services.same_issue_set(actor=actor_of(world["tess"], district), discussion=d, student=ben)
    client.force_login(world["tess"])
    page = client.get(f"/d/alpha/students/{ben.pk}/").content.decode()
    assert "Named with the same issue" in page
    assert f"when {world['ada'].display_name} was discussed" in page
    with district_context(district):
        d.sensitive = True
        d.save()
    client.force_login(world["teo"])  # not the author, not the principal
    page = client.get(f"/d/alpha/students/{ben.pk}/").content.decode()
    assert "Named with the same issue" not in page
