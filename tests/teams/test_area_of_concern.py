"""A discussion's area of concern is one of the district's focus areas (the continuum's list,
one for meetings, screeners and supports): chosen on the page and through the API by its
key, as before, shown by the district's name for it."""

import pytest
from rest_framework.test import APIClient

from continuum import services as continuum_services
from crsys.tenancy.context import district_context
from districts.models import Role
from teams.models import Discussion
from tests.factories import actor_of, focus_area, member
from tests.teams.conftest import discuss_ada

pytestmark = pytest.mark.django_db


def _save(client, meeting, discussion, key):
    return client.post(
        f"/d/alpha/meetings/{meeting.pk}/discussions/{discussion.pk}/",
        {"field": "domain", "value": key},
    )


def _area_of(district, discussion):
    with district_context(district):
        return Discussion.objects.select_related("focus_area").get(pk=discussion.pk).focus_area


def test_the_area_is_the_districts_own_by_its_key_and_shows_its_name(
    client, district, other_district, world
):
    # given: both districts have a numeracy focus area; this one calls it "Mathematics"
    admin = member(district, Role.DISTRICT_ADMIN)
    numeracy = focus_area(district, "numeracy")
    with district_context(district):
        continuum_services.focus_area_save(
            actor=actor_of(admin, district), focus_area=numeracy, name="Mathematics"
        )
    discussion = discuss_ada(district, world)
    client.force_login(world["tess"])
    # when
    saved = _save(client, world["meeting"], discussion, "numeracy")
    # then: the district's own row, named as the district names it, on the page and the API
    assert saved.status_code == 200
    area = _area_of(district, discussion)
    assert area.pk == numeracy.pk and area.district_id == district.pk
    assert focus_area(other_district, "numeracy").pk != area.pk
    page = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").content.decode()
    assert "· Mathematics" in page
    assert '<option value="numeracy" selected>Mathematics</option>' in page
    api = APIClient()
    api.force_authenticate(world["tess"])
    body = api.get(f"/api/v1/d/alpha/meetings/{world['meeting'].pk}/").json()
    assert body["discussions"][0]["domain"] == "numeracy"
    # and: blank takes it off, and the API says "" as it always did
    assert _save(client, world["meeting"], discussion, "").status_code == 200
    assert _area_of(district, discussion) is None
    body = api.get(f"/api/v1/d/alpha/meetings/{world['meeting'].pk}/").json()
    assert body["discussions"][0]["domain"] == ""


def test_an_archived_area_is_kept_where_chosen_but_not_chosen_anew(client, district, world):
    # given: a discussion about attendance, then the district archives attendance
    admin = member(district, Role.DISTRICT_ADMIN)
    discussion = discuss_ada(district, world)
    client.force_login(world["tess"])
    assert _save(client, world["meeting"], discussion, "attendance").status_code == 200
    with district_context(district):
        for key in ("attendance", "behaviour"):
            continuum_services.focus_area_save(
                actor=actor_of(admin, district),
                focus_area=focus_area(district, key),
                is_archived=True,
            )
    # then: the page still shows it (marked), and saving it again is no change refused
    page = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").content.decode()
    assert '<option value="attendance" selected>Attendance (archived)</option>' in page
    assert '<option value="behaviour"' not in page
    assert _save(client, world["meeting"], discussion, "attendance").status_code == 200
    # but another archived one, or a key the district lacks, is refused with a reason
    for key in ("behaviour", "astrology", "12"):
        refused = _save(client, world["meeting"], discussion, key)
        assert refused.status_code == 422
        assert "choose an area of concern from the list" in refused.content.decode()
    assert _area_of(district, discussion).key == "attendance"


def test_the_api_names_the_area_by_key_and_refuses_what_is_not_one(district, world):
    discussion = discuss_ada(district, world)
    api = APIClient()
    api.force_authenticate(world["tess"])
    url = f"/api/v1/d/alpha/meetings/{world['meeting'].pk}/discussions/{discussion.pk}/"
    saved = api.patch(url, {"field": "domain", "value": "well_being"}, format="json")
    assert saved.status_code == 200 and saved.json()["domain"] == "well_being"
    refused = api.patch(url, {"field": "domain", "value": "nonsense"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"value": ["choose an area of concern from the list"]}
    assert _area_of(district, discussion).key == "well_being"
