"""The district's continuum of supports for schools: what the district offers by tier, with
the district staff who provide each; a school's tier of district support and its assigned
supports, kept by district admins and leaders, read by the leadership dashboard."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from continuum import school_selectors, school_services
from continuum.school_models import SchoolSupportAssignment
from crsys.tenancy.context import district_context
from districts.models import Role
from tests.factories import api_token, member
from tests.teams.conftest import actor_of

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 9, 1)


@pytest.fixture
def offer(scene):
    district = scene["district"]
    leader = member(district, Role.DISTRICT_LEADER, email="lee@alpha.example")
    coach = member(
        district, Role.DISTRICT_LEADER, email="coach@alpha.example", full_name="Cora Coach"
    )
    with district_context(district):
        actor = actor_of(leader, district)
        coaching = school_services.district_support_create(
            actor=actor, name="Literacy coaching", area="instruction", level="targeted",
            frequency="Weekly visits", providers=[coach],
        )  # fmt: skip
        network = school_services.district_support_create(
            actor=actor, name="Principal network", area="leadership", level="universal"
        )
    return {**scene, "leader": leader, "coach": coach, "coaching": coaching, "network": network}


def test_assigning_a_school_gives_the_dashboard_its_tier_and_supports(offer):
    district = offer["district"]
    with district_context(district):
        actor = actor_of(offer["leader"], district)
        school_services.school_support_tier_set(
            actor=actor, school=offer["aspen"], level="targeted", note="Reading results"
        )
        school_services.assign_school_support(
            actor=actor, school=offer["aspen"], support=offer["coaching"], start_date=DAY
        )
        tiers = school_selectors.school_support_tiers(district)
    aspen, birch = tiers[offer["aspen"].pk], tiers[offer["birch"].pk]
    assert (aspen.level, aspen.level_label) == ("targeted", "Targeted: for some schools")
    assert [a.support.name for a in aspen.supports] == ["Literacy coaching"]
    assert (birch.level, birch.supports) == ("universal", [])


def test_the_same_support_twice_is_refused_and_an_ended_one_may_return(offer):
    district = offer["district"]
    with district_context(district):
        actor = actor_of(offer["leader"], district)
        first = school_services.assign_school_support(
            actor=actor, school=offer["aspen"], support=offer["coaching"], start_date=DAY
        )
        with pytest.raises(ValidationError) as error:
            school_services.assign_school_support(
                actor=actor, school=offer["aspen"], support=offer["coaching"], start_date=DAY
            )
        assert "support" in error.value.message_dict
        with pytest.raises(ValidationError):
            school_services.school_support_end(
                actor=actor, assignment=first, end_date=DAY - datetime.timedelta(days=1)
            )
        school_services.school_support_end(actor=actor, assignment=first, end_date=DAY)
        school_services.assign_school_support(
            actor=actor, school=offer["aspen"], support=offer["coaching"], start_date=DAY
        )
        assert SchoolSupportAssignment.objects.count() == 2


def test_principals_and_teachers_may_not_assign_and_providers_are_district_staff(offer):
    district = offer["district"]
    with district_context(district):
        for who in ("principal", "teacher"):
            with pytest.raises(PermissionDenied):
                school_services.assign_school_support(
                    actor=actor_of(offer[who], district), school=offer["aspen"],
                    support=offer["coaching"], start_date=DAY,
                )  # fmt: skip
        with pytest.raises(ValidationError) as error:
            school_services.district_support_create(
                actor=actor_of(offer["leader"], district), name="Visits", area="other",
                level="intensive", providers=[offer["teacher"]],
            )  # fmt: skip
        assert "providers" in error.value.message_dict


def test_the_page_shows_the_offer_by_tier_with_its_providers(client, offer):
    client.force_login(offer["leader"])
    page = client.get("/d/alpha/continuum/district/").content.decode()
    assert "Literacy coaching" in page and "Cora Coach" in page and "Principal network" in page
    assert "Aspen School" in page and "Universal: for all schools" in page
    client.force_login(offer["principal"])
    assert client.get("/d/alpha/continuum/district/").status_code == 403


def test_a_leader_assigns_and_ends_from_the_schools_page(client, offer):
    client.force_login(offer["leader"])
    base = f"/d/alpha/continuum/district/schools/{offer['aspen'].pk}/"
    response = client.post(base + "tier/", {"level": "intensive", "note": "New principal"})
    assert response.status_code == 302
    response = client.post(
        base + "assign/", {"support": offer["coaching"].pk, "start_date": "2026-09-01"}
    )
    assert response.status_code == 302
    page = client.get(base).content.decode()
    assert "Intensive: for a few schools" in page and "Literacy coaching" in page
    with district_context(offer["district"]):
        assignment = SchoolSupportAssignment.objects.get()
    url = f"/d/alpha/continuum/district/assignments/{assignment.pk}/end/"
    assert client.post(url, {"end_date": "2026-12-01"}).status_code == 302
    assert "1 Dec 2026" in client.get(base).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"level": "nope"},
        {"level": "targeted", "note": "x" * 501},
        {"level": ["targeted", "intensive"], "note": "\x00"},
    ],
)
def test_a_bad_tier_is_a_form_error(client, offer, data):
    client.force_login(offer["leader"])
    url = f"/d/alpha/continuum/district/schools/{offer['aspen'].pk}/tier/"
    assert client.post(url, data).status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"support": "x", "start_date": "2026-09-01"},
        {"support": "999999", "start_date": "2026-09-01"},
        {"support": "1", "start_date": "not a date"},
        {"support": "1", "start_date": "2026-09-01", "note": "\x00"},
    ],
)
def test_a_bad_assignment_is_a_form_error(client, offer, data):
    client.force_login(offer["leader"])
    url = f"/d/alpha/continuum/district/schools/{offer['aspen'].pk}/assign/"
    assert client.post(url, data).status_code == 400


def test_a_bad_district_support_is_a_form_error(client, offer):
    client.force_login(offer["leader"])
    url = "/d/alpha/continuum/district/supports/new/"
    for data in (
        {"name": "", "area": "instruction", "level": "targeted"},
        {"name": "x" * 161, "area": "instruction", "level": "targeted"},
        {"name": "Literacy coaching", "area": "instruction", "level": "targeted"},
        {"name": "Ok", "area": "instruction", "level": "targeted", "providers": ["abc"]},
    ):
        assert client.post(url, data).status_code == 400


def test_the_api_assigns_lists_and_ends_school_supports(client, offer):
    # given a leader's token
    auth = {"HTTP_AUTHORIZATION": f"Token {api_token(offer['leader'])}"}
    base = "/api/v1/d/alpha/"
    # when they assign, set a tier, and end the assignment
    made = client.post(base + "school-support-assignments/", {
        "school": offer["aspen"].pk, "support": offer["coaching"].pk, "start_date": "2026-09-01",
    }, content_type="application/json", **auth)  # fmt: skip
    assert made.status_code == 201, made.content
    again = client.post(base + "school-support-assignments/", {
        "school": offer["aspen"].pk, "support": offer["coaching"].pk, "start_date": "2026-09-01",
    }, content_type="application/json", **auth)  # fmt: skip
    assert again.status_code == 400
    for level in ("targeted", "intensive"):
        body = {"school": offer["aspen"].pk, "level": level}
        tier = client.post(
            base + "school-support-tiers/", body, content_type="application/json", **auth
        )
        assert tier.status_code == 201, tier.content
    ended = client.patch(
        base + f"school-support-assignments/{made.json()['id']}/",
        {"end_date": "2026-12-01"}, content_type="application/json", **auth,
    )  # fmt: skip
    assert ended.status_code == 200 and ended.json()["end_date"] == "2026-12-01"
    # then the lists show it, and the offer shows who provides each support
    tiers = client.get(base + "school-support-tiers/", **auth).json()
    assert [t["level"] for t in tiers["results"]] == ["intensive"]
    offer_list = client.get(base + "district-supports/", **auth).json()["results"]
    coaching = next(s for s in offer_list if s["name"] == "Literacy coaching")
    assert coaching["providers"] == [offer["coach"].pk]


def test_the_api_refuses_a_teacher_and_a_provider_from_a_school(client, offer):
    teacher = {"HTTP_AUTHORIZATION": f"Token {api_token(offer['teacher'])}"}
    leader = {"HTTP_AUTHORIZATION": f"Token {api_token(offer['leader'])}"}
    base = "/api/v1/d/alpha/"
    response = client.post(base + "school-support-assignments/", {
        "school": offer["aspen"].pk, "support": offer["coaching"].pk, "start_date": "2026-09-01",
    }, content_type="application/json", **teacher)  # fmt: skip
    assert response.status_code == 403
    assert client.get(base + "school-support-assignments/", **teacher).json()["results"] == []
    response = client.post(base + "district-supports/", {
        "name": "Visits", "area": "other", "level": "intensive",
        "provider_ids": [offer["teacher"].pk],
    }, content_type="application/json", **leader)  # fmt: skip
    assert response.status_code == 400 and "provider_ids" in response.json()
