import pytest
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from districts.models import Role
from screeners.models import ScreenerResult
from screeners.recompute import recompute_window
from tests.factories import SchoolFactory, StudentFactory, member
from tests.screeners.fixtures import screened_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def world(district, school):
    return screened_class(district, school)


def bulk(api, items):
    return api.post("/api/v1/d/alpha/results/bulk/", {"results": items}, format="json")


def item(world, student, score):
    return {
        "student": student.pk,
        "screener": world["reading"].pk,
        "window": world["window"].pk,
        "score": score,
    }


def test_bulk_upsert_saves_all_when_every_item_is_good(api, district, world):
    api.force_authenticate(world["teacher"])
    a, b, _ = world["students"]
    response = bulk(api, [item(world, a, "45"), item(world, b, "80")])
    assert response.status_code == 200, response.content
    assert response.json()["saved"] == 2
    with district_context(district):
        bands = dict(ScreenerResult.objects.values_list("student_id", "band__name"))
    assert bands == {a.pk: "Strategic", b.pk: "At benchmark"}


def test_bulk_upsert_is_all_or_nothing_with_per_item_errors(api, district, world):
    api.force_authenticate(world["teacher"])
    a, b, c = world["students"]
    response = bulk(api, [item(world, a, "45"), item(world, b, "140"), item(world, c, "abc")])
    assert response.status_code == 400
    errors = response.json()
    assert sorted(errors) == ["results[1].score", "results[2].score"]
    assert "out of range" in errors["results[1].score"][0]
    assert "not a number" in errors["results[2].score"][0]
    assert not ScreenerResult.objects.for_district(district).exists()


def test_bulk_refuses_students_the_caller_cannot_see_and_other_districts_ids(
    api, district, other_district, school, world
):
    elsewhere = StudentFactory(district=district, school=SchoolFactory(district=district))
    foreign = StudentFactory(district=other_district)
    api.force_authenticate(world["teacher"])
    response = bulk(api, [item(world, elsewhere, "50"), item(world, foreign, "50")])
    assert response.status_code == 400
    assert response.json() == {
        "results[0].student": ["no such student"],
        "results[1].student": ["no such student"],
    }
    assert not ScreenerResult.objects.for_district(district).exists()


def test_bands_put_rejects_overlaps_with_the_values(api, admin_user, world):
    api.force_authenticate(admin_user)
    url = f"/api/v1/d/alpha/screeners/{world['reading'].pk}/bands/"
    bad = {
        "grade": "03",
        "season": "winter",
        "bands": [
            {"name": "Low", "label": "Low", "colour": "#aa0000", "min_score": 0, "max_score": 50},
            {
                "name": "High",
                "label": "High",
                "colour": "#00aa00",
                "min_score": 45,
                "max_score": 100,
            },
        ],
    }
    response = api.put(url, bad, format="json")
    assert response.status_code == 400
    assert "overlap" in response.json()["bands"][0] and "45" in response.json()["bands"][0]
    good = {**bad, "bands": [{**bad["bands"][0]}, {**bad["bands"][1], "min_score": 51}]}
    assert api.put(url, good, format="json").status_code == 200


def test_screener_with_results_cannot_be_deleted(api, admin_user, world):
    api.force_authenticate(world["teacher"])
    bulk(api, [item(world, world["students"][0], "50")])
    api.force_authenticate(admin_user)
    response = api.delete(f"/api/v1/d/alpha/screeners/{world['reading'].pk}/")
    assert response.status_code == 400 and "archive" in response.json()["detail"]


def test_windows_api_refuses_overlap(api, admin_user, world):
    api.force_authenticate(admin_user)
    w = world["window"]
    payload = {
        "school_year": world["year"].pk,
        "season": "winter",
        "opens_on": str(w.opens_on),
        "closes_on": str(w.closes_on),
        "screeners": [world["reading"].pk],
        "grades": [],
    }
    response = api.post("/api/v1/d/alpha/screening-windows/", payload, format="json")
    assert response.status_code == 400 and "overlaps" in str(response.json())


def test_snapshots_for_student_classroom_and_school(api, district, school, world):
    api.force_authenticate(world["teacher"])
    a, b, c = world["students"]
    bulk(api, [item(world, a, "20"), item(world, b, "50"), item(world, c, "90")])
    with district_context(district):
        recompute_window(district_id=district.pk, window_id=world["window"].pk)
    response = api.get(f"/api/v1/d/alpha/snapshots/students/{a.pk}/")
    assert [(s["band_name"], s["movement"]) for s in response.json()] == [("Intensive", "new")]
    response = api.get(f"/api/v1/d/alpha/snapshots/classrooms/{world['room'].pk}/")
    assert sorted(s["band_name"] for s in response.json()) == [
        "At benchmark",
        "Intensive",
        "Strategic",
    ]
    assert api.get(f"/api/v1/d/alpha/snapshots/schools/{school.pk}/").status_code == 403
    api.force_authenticate(member(district, Role.PRINCIPAL, school=school))
    rows = api.get(f"/api/v1/d/alpha/snapshots/schools/{school.pk}/").json()
    school_rows = {r["name"]: r["students"] for r in rows if r["grade"] == ""}
    assert school_rows == {"Intensive": 1, "Strategic": 1, "At benchmark": 1}


def test_bulk_names_a_repeated_item_instead_of_failing(api, district, world):
    api.force_authenticate(world["teacher"])
    a = world["students"][0]
    response = bulk(api, [item(world, a, "45"), item(world, a, "50")])
    assert response.status_code == 400
    assert response.json() == {
        "results[1].student": ["a second result for this student and screener (item 0)"]
    }
    assert not ScreenerResult.objects.for_district(district).exists()
