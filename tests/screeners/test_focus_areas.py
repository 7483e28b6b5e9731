"""A screener's focus area is one of the district's (the continuum's list): the page offers
those in use, by name; the API takes and gives the key under its old name, ``domain``."""

import pytest
from rest_framework.test import APIClient

from continuum import services as continuum_services
from crsys.tenancy.context import district_context
from screeners.models import Screener
from tests.factories import actor_of, focus_area

pytestmark = pytest.mark.django_db

SCREENER = {"name": "Number Sense", "domain": "numeracy", "grades": ["03"]}


@pytest.fixture
def api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def _archive(district, admin_user, key):
    with district_context(district):
        continuum_services.focus_area_save(
            actor=actor_of(admin_user, district),
            focus_area=focus_area(district, key),
            is_archived=True,
        )


def test_the_api_takes_and_gives_the_key_of_the_districts_focus_area(api, district, other_district):
    created = api.post("/api/v1/d/alpha/screeners/", SCREENER, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["domain"] == "numeracy"
    with district_context(district):
        screener = Screener.objects.select_related("focus_area").get()
    assert screener.focus_area.pk == focus_area(district, "numeracy").pk
    assert screener.focus_area.pk != focus_area(other_district, "numeracy").pk
    listed = api.get("/api/v1/d/alpha/screeners/", {"domain": "numeracy"}).json()
    assert [s["name"] for s in listed["results"]] == ["Number Sense"]
    assert api.get("/api/v1/d/alpha/screeners/", {"domain": "literacy"}).json()["count"] == 0


def test_the_api_refuses_a_key_the_district_lacks_or_has_archived(api, district, admin_user):
    unknown = api.post(
        "/api/v1/d/alpha/screeners/", {**SCREENER, "domain": "astrology"}, format="json"
    )
    assert unknown.status_code == 400 and "domain" in unknown.json()
    _archive(district, admin_user, "numeracy")
    archived = api.post("/api/v1/d/alpha/screeners/", SCREENER, format="json")
    assert archived.status_code == 400
    assert archived.json() == {"domain": ["This focus area is archived."]}
    with district_context(district):
        assert not Screener.objects.exists()


def test_the_page_offers_the_districts_focus_areas_in_use_by_name(client, district, admin_user):
    # given: the district renames one focus area and archives another
    with district_context(district):
        continuum_services.focus_area_save(
            actor=actor_of(admin_user, district),
            focus_area=focus_area(district, "literacy"),
            name="Reading and writing",
        )
    _archive(district, admin_user, "attendance")
    client.force_login(admin_user)
    # when
    page = client.get("/d/alpha/screeners/").content.decode()
    # then
    assert '<option value="literacy">Reading and writing</option>' in page
    assert '<option value="attendance"' not in page
    # and a screener made there is listed under the district's name for its area
    made = client.post(
        "/d/alpha/screeners/",
        {"name": "Phonics", "focus_area": "literacy", "grades": ["01"], "score_type": "numeric"},
    )
    assert made.status_code == 302
    listed = client.get("/d/alpha/screeners/").content.decode()
    assert "<td>Reading and writing</td>" in listed
    refused = client.post(
        "/d/alpha/screeners/",
        {"name": "Tardy", "focus_area": "attendance", "grades": ["01"], "score_type": "numeric"},
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
