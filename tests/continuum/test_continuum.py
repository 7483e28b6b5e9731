"""The continuum of supports: focus areas and tiers at birth, supports kept by the right
people, the grid a school and the district see, promotion, archiving and the poster."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from continuum import services
from continuum.models import FocusArea, Support, Tier
from crsys.tenancy.context import district_context
from districts.models import District, Role
from districts.services import district_create
from tests.factories import SchoolFactory, member
from tests.teams.conftest import actor_of
from tests.teams.test_common_language_and_print import _pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(district):
    services.continuum_defaults_ensure(district_id=district.pk)
    aspen = SchoolFactory(district=district, name="Aspen School", code="ASP")
    birch = SchoolFactory(district=district, name="Birch School", code="BIR")
    people = {
        "admin": member(district, Role.DISTRICT_ADMIN, email="admin@alpha.example"),
        "principal": member(district, Role.PRINCIPAL, school=aspen, email="pat@alpha.example"),
        "teacher": member(district, Role.TEACHER, school=aspen, email="tess@alpha.example"),
        "birch_principal": member(district, Role.PRINCIPAL, school=birch, email="bo@alpha.example"),
    }
    with district_context(district):
        areas = {a.key: a for a in FocusArea.objects.all()}
        tiers = {t.number: t for t in Tier.objects.all()}
        admin = actor_of(people["admin"], district)
        divisional = services.support_create(
            actor=admin, school_id=None, name="Check-in / check-out",
            focus_area=areas["well_being"], tier=tiers[2], provider="Classroom teacher",
        )  # fmt: skip
        aspen_own = services.support_create(
            actor=actor_of(people["principal"], district), school_id=aspen.pk,
            name="Aspen reading buddies", focus_area=areas["literacy"], tier=tiers[2],
        )  # fmt: skip
        birch_own = services.support_create(
            actor=actor_of(people["birch_principal"], district), school_id=birch.pk,
            name="Birch math club", focus_area=areas["numeracy"], tier=tiers[3],
        )  # fmt: skip
    return {
        "district": district, "aspen": aspen, "birch": birch, "areas": areas, "tiers": tiers,
        "divisional": divisional, "aspen_own": aspen_own, "birch_own": birch_own, **people,
    }  # fmt: skip


def test_a_new_district_starts_with_the_four_tiers_and_the_focus_areas(db):
    made = district_create(
        district=District(slug="gamma", name="Gamma"), admin_email="a@gamma.example"
    )
    with district_context(made.district):
        assert [t.number for t in Tier.objects.all()] == [1, 2, 3, 4]
        keys = set(FocusArea.objects.values_list("key", flat=True))
    assert {"literacy", "numeracy", "well_being", "attendance", "behaviour"} <= keys
    # Idempotent: a second call adds nothing.
    services.continuum_defaults_ensure(district_id=made.district.pk)
    assert Tier.objects.for_district(made.district).count() == 4


def test_a_principal_keeps_their_schools_supports_not_another_schools_nor_the_divisional(
    scene,
):
    district = scene["district"]
    principal = actor_of(scene["principal"], district)
    fields = {"focus_area": scene["areas"]["literacy"], "tier": scene["tiers"][2]}
    with district_context(district):
        with pytest.raises(PermissionDenied):
            services.support_create(
                actor=principal, school_id=scene["birch"].pk, name="Not mine", **fields
            )
        with pytest.raises(PermissionDenied):
            services.support_create(actor=principal, school_id=None, name="Everyone", **fields)
        with pytest.raises(PermissionDenied):
            services.support_create(
                actor=actor_of(scene["teacher"], district), school_id=scene["aspen"].pk,
                name="A teacher's", **fields,
            )  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.support_promote(actor=principal, support=scene["aspen_own"])


def test_a_focus_area_of_another_district_is_refused(scene, other_district):
    services.continuum_defaults_ensure(district_id=other_district.pk)
    foreign = FocusArea.objects.for_district(other_district).get(key="literacy")
    district = scene["district"]
    with district_context(district), pytest.raises(ValidationError) as refused:
        services.support_create(
            actor=actor_of(scene["admin"], district), school_id=None, name="Sneaky",
            focus_area=foreign, tier=scene["tiers"][1],
        )  # fmt: skip
    assert "focus_area" in refused.value.message_dict


def test_the_school_grid_shows_its_own_and_the_divisional_supports(client, scene):
    client.force_login(scene["teacher"])
    page = client.get(f"/d/alpha/continuum/?scope={scene['aspen'].pk}").content.decode()
    assert "Aspen reading buddies" in page and "Check-in / check-out" in page
    assert "Birch math club" not in page
    divisional = client.get("/d/alpha/continuum/").content.decode()
    assert "Check-in / check-out" in divisional and "Aspen reading buddies" not in divisional
    # Another school's grid is not theirs to open, nor its supports, nor "every school's".
    assert client.get(f"/d/alpha/continuum/?scope={scene['birch'].pk}").status_code == 404
    assert client.get(f"/d/alpha/continuum/supports/{scene['birch_own'].pk}/").status_code == 404
    assert "Birch math club" not in client.get("/d/alpha/continuum/?scope=all").content.decode()


def test_the_grid_filters_by_focus_area_tier_and_words(client, scene):
    client.force_login(scene["admin"])
    base = "/d/alpha/continuum/?scope=all"
    page = client.get(base + "&focus_area=literacy").content.decode()
    assert "Aspen reading buddies" in page and "Birch math club" not in page
    page = client.get(base + "&tier=3").content.decode()
    assert "Birch math club" in page and "Aspen reading buddies" not in page
    page = client.get(base + "&q=check").content.decode()
    assert "Check-in / check-out" in page and "Birch math club" not in page


def test_the_grid_takes_a_fixed_handful_of_queries(client, scene, django_assert_max_num_queries):
    client.force_login(scene["admin"])
    with district_context(scene["district"]):
        for n in range(20):
            services.support_create(
                actor=actor_of(scene["admin"], scene["district"]), school_id=scene["aspen"].pk,
                name=f"Support {n}", focus_area=scene["areas"]["numeracy"],
                tier=scene["tiers"][1 + n % 4],
            )  # fmt: skip
    client.get("/d/alpha/continuum/?scope=all")
    # session, user+memberships, RLS, schools, focus areas (form), tiers (form), focus areas,
    # tiers, supports.
    with django_assert_max_num_queries(10):
        response = client.get("/d/alpha/continuum/?scope=all")
    links = re.findall(r'href="/d/alpha/continuum/supports/\d+/"', response.content.decode())
    assert len(links) == 23


def test_a_district_admin_promotes_a_schools_support_and_every_school_sees_it(client, scene):
    client.force_login(scene["admin"])
    url = f"/d/alpha/continuum/supports/{scene['aspen_own'].pk}/"
    assert client.post(url + "promote/").status_code == 302
    with district_context(scene["district"]):
        support = Support.objects.get(pk=scene["aspen_own"].pk)
    assert support.school_id is None and support.promoted_from_id == scene["aspen"].pk
    client.force_login(scene["birch_principal"])
    page = client.get(f"/d/alpha/continuum/?scope={scene['birch'].pk}").content.decode()
    assert "Aspen reading buddies" in page
    # Only the district's admins promote.
    client.force_login(scene["principal"])
    birch = f"/d/alpha/continuum/supports/{scene['birch_own'].pk}/promote/"
    assert client.post(birch).status_code == 404  # not theirs to see either


def test_an_archived_support_leaves_the_grid_and_keeps_its_page(client, scene):
    client.force_login(scene["principal"])
    url = f"/d/alpha/continuum/supports/{scene['aspen_own'].pk}/"
    assert client.post(url + "archive/", {"archived": "1"}).status_code == 302
    grid = f"/d/alpha/continuum/?scope={scene['aspen'].pk}"
    link = f'href="{url}"'
    assert link not in client.get(grid).content.decode()
    assert link in client.get(grid + "&archived=on").content.decode()
    assert "Archived" in client.get(url).content.decode()
    # A teacher may read it, not archive it.
    client.force_login(scene["teacher"])
    assert client.get(url).status_code == 200
    assert client.post(url + "archive/", {"archived": "0"}).status_code == 403


def test_a_principal_adds_a_support_through_the_page(client, scene):
    client.force_login(scene["principal"])
    url = f"/d/alpha/continuum/supports/new/?school={scene['aspen'].pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "school": scene["aspen"].pk, "name": "Lunch bunch", "tier": scene["tiers"][3].pk,
            "focus_area": scene["areas"]["well_being"].pk, "provider": "Counsellor",
            "duration_weeks": "6", "resources": "https://example.org/lunch\nA binder",
        },
    )  # fmt: skip
    assert response.status_code == 302
    with district_context(scene["district"]):
        support = Support.objects.get(name="Lunch bunch")
    assert support.school_id == scene["aspen"].pk and support.duration_weeks == 6
    page = client.get(support.get_absolute_url()).content.decode()
    assert 'href="https://example.org/lunch"' in page and "A binder" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"focus_area": ""}, "focus_area", "This field is required."),
        ({"tier": ""}, "tier", "This field is required."),
        ({"name": "Aspen reading buddies"}, "name", "already has a support with this name"),
        ({"name": "x" * 161}, "name", "at most 160 characters"),
        ({"duration_weeks": "0"}, "duration_weeks", "greater than or equal to 1"),
        ({"duration_weeks": "ten"}, "duration_weeks", "Enter a whole number."),
    ],
)
def test_a_support_form_refuses_bad_input_by_field(client, scene, change, field, message):
    client.force_login(scene["principal"])
    data = {
        "name": "Fresh support", "focus_area": scene["areas"]["literacy"].pk,
        "tier": scene["tiers"][2].pk, **change,
    }  # fmt: skip
    response = client.post(f"/d/alpha/continuum/supports/new/?school={scene['aspen'].pk}", data)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    with district_context(scene["district"]):
        assert not Support.objects.filter(name="Fresh support").exists()


def test_the_poster_is_one_page(client, scene):
    client.force_login(scene["principal"])
    with district_context(scene["district"]):
        for n in range(40):
            services.support_create(
                actor=actor_of(scene["admin"], scene["district"]), school_id=None,
                name=f"A support with a fairly long descriptive name number {n}",
                focus_area=scene["areas"]["literacy"], tier=scene["tiers"][1 + n % 4],
                provider="The classroom teacher",
            )  # fmt: skip
    response = client.get(f"/d/alpha/continuum/poster.pdf?scope={scene['aspen'].pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _pdf_pages(response.content) == 1
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Aspen reading buddies" in text and "number 39" in text
