"""Configuration rules that live on the model, so the page and the API agree (issue 14, items
8 and 14), and the bulk API's refusals as its schema documents them."""

from decimal import Decimal

import jsonschema
import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from screeners.forms import UNTOUCHED_COLOUR
from screeners.models import BenchmarkBand, Screener
from tests.screeners.fixtures import screened_class

pytestmark = pytest.mark.django_db

ORDINAL = {"name": "Phonics", "domain": "literacy", "grades": ["01"], "score_type": "ordinal"}


def by_page(client, fields: dict):
    data = {k: v for k, v in fields.items() if k != "levels"}
    data["focus_area"] = data.pop("domain")  # the page's name for the API's domain: a key
    data["levels_text"] = "\n".join(fields.get("levels", []))
    return client.post("/d/alpha/screeners/", data)


def page_errors(response) -> str:
    assert response.status_code == 200, "the page saved it"
    return response.content.decode()


def by_api(api, fields: dict):
    return api.post("/api/v1/d/alpha/screeners/", fields, format="json")


@pytest.mark.parametrize(
    ("case", "fields", "message"),
    [
        (
            "ordinal on a 0-100 scale in half points",
            {**ORDINAL, "levels": ["Low", "Mid", "High"], "min_score": "0", "max_score": "100"}
            | {"score_step": "0.5"},
            "an ordinal screener with 3 levels scores them 1 to 3 in steps of 1 "
            "(not 0 to 100 in steps of 0.5)",
        ),
        ("ordinal with one level", {**ORDINAL, "levels": ["Only"]}, "at least two levels"),
        (
            "ordinal with a repeated level",
            {**ORDINAL, "levels": ["Low", "low"]},
            "two levels have the same name",
        ),
        (
            "numeric upside down",
            {**ORDINAL, "score_type": "numeric", "min_score": "50", "max_score": "10"},
            "must be above the lowest score",
        ),
    ],
)
def test_page_and_api_refuse_the_same_screener_alike(
    client, district, admin_user, case, fields, message
):
    client.force_login(admin_user)
    assert message in page_errors(by_page(client, fields))
    api = APIClient()
    api.force_authenticate(admin_user)
    response = by_api(api, fields)
    assert response.status_code == 400
    assert message in str(response.json())
    assert not Screener.objects.for_district(district).exists()


def test_a_nul_in_a_level_is_refused_by_both_never_a_500(client, district, admin_user):
    """PostgreSQL's jsonb cannot store NUL: the input guard refuses it on both paths alike."""
    fields = {**ORDINAL, "levels": ["Low", "Hi\x00gh"]}
    client.force_login(admin_user)
    assert by_page(client, fields).status_code == 400
    api = APIClient()
    api.force_authenticate(admin_user)
    response = by_api(api, fields)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert not Screener.objects.for_district(district).exists()


def test_an_ordinal_screener_without_a_scale_scores_its_levels_on_both_paths(
    client, district, admin_user
):
    client.force_login(admin_user)
    assert by_page(client, {**ORDINAL, "levels": ["Low", "Mid", "High"]}).status_code == 302
    api = APIClient()
    api.force_authenticate(admin_user)
    response = by_api(api, {**ORDINAL, "name": "Phonics 2", "levels": ["Low", "Mid", "High"]})
    assert response.status_code == 201, response.content
    with district_context(district):
        scales = set(Screener.objects.values_list("min_score", "max_score", "score_step"))
    assert scales == {(Decimal(1), Decimal(3), Decimal(1))}


def test_api_refuses_unknown_grades_on_screeners_and_bands(district, admin_user, school):
    world = screened_class(district, school)
    api = APIClient()
    api.force_authenticate(admin_user)
    response = by_api(api, {**ORDINAL, "levels": ["A", "B"], "grades": ["ZZ"]})
    assert response.status_code == 400 and "grades" in response.json()
    bands = {
        "season": "fall",
        "bands": [
            {"name": "All", "label": "All", "colour": "#aa0000", "min_score": 0, "max_score": 100}
        ],
    }
    url = f"/api/v1/d/alpha/screeners/{world['reading'].pk}/bands/"
    for grade in ("ZZ", "03\r\n"):
        response = api.put(url, {**bands, "grade": grade}, format="json")
        assert response.status_code == 400 and "grade" in response.json(), grade


# Item 8: the band form's spare row ---------------------------------------------------------


def band_rows(rows, spare_colour=None):
    """The form as a browser posts it: the rows, then the spare row, untouched (a colour input
    still submits a colour)."""
    total = len(rows) + (spare_colour is not None)
    data = {
        "action": "bands",
        "band-TOTAL_FORMS": str(total),
        "band-INITIAL_FORMS": "0",
        "band-MIN_NUM_FORMS": "0",
        "band-MAX_NUM_FORMS": "1000",
    }
    for i, (name, low, high) in enumerate(rows):
        data |= {
            f"band-{i}-name": name,
            f"band-{i}-label": f"{name} label",
            f"band-{i}-colour": "#2e7d32",
            f"band-{i}-min_score": str(low),
            f"band-{i}-max_score": str(high),
        }
    if spare_colour is not None:
        i = len(rows)
        data |= {f"band-{i}-{f}": "" for f in ("name", "label", "min_score", "max_score")}
        data[f"band-{i}-colour"] = spare_colour
    return data


def test_an_untouched_spare_band_row_is_empty(client, district, admin_user, school):
    world = screened_class(district, school)
    client.force_login(admin_user)
    url = f"/d/alpha/screeners/{world['reading'].pk}/?grade=03&season=winter"
    response = client.post(url, band_rows([("Low", 0, 49), ("High", 50, 100)], UNTOUCHED_COLOUR))
    assert response.status_code == 302, response.content.decode()
    with district_context(district):
        saved = BenchmarkBand.objects.filter(screener=world["reading"], season="winter")
        assert sorted(saved.values_list("name", flat=True)) == ["High", "Low"]


def test_a_spare_row_given_only_a_colour_is_a_row_and_says_what_it_lacks(
    client, district, admin_user, school
):
    world = screened_class(district, school)
    client.force_login(admin_user)
    url = f"/d/alpha/screeners/{world['reading'].pk}/?grade=03&season=winter"
    response = client.post(url, band_rows([("Low", 0, 49), ("High", 50, 100)], "#123456"))
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["grade=ABCDEFGHIJKL&season=fall", "grade=03&season=notaseason", "grade=03"]
)
def test_a_hand_made_grade_or_season_never_reaches_the_database(
    client, district, admin_user, school, query
):
    world = screened_class(district, school)
    client.force_login(admin_user)
    url = f"/d/alpha/screeners/{world['reading'].pk}/?{query}"
    assert client.get(url).status_code == 200
    response = client.post(url, band_rows([("All", 0, 100)]))
    assert response.status_code == 302
    with district_context(district):
        keys = set(BenchmarkBand.objects.values_list("grade", "season"))
    assert keys == {("03", "fall")}  # the defaults: grade 3, fall
    copy = f"/d/alpha/screeners/{world['reading'].pk}/copy-bands/"
    assert client.post(copy, {}).status_code == 302


# The bulk API's refusals, as documented ----------------------------------------------------


@pytest.fixture(scope="module")
def refused_schema(django_db_blocker, tmp_path_factory):

    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    operation = schema["paths"]["/api/v1/d/{district_slug}/results/bulk/"]["post"]
    documented = operation["responses"]["400"]["content"]["application/json"]["schema"]
    refs = [option["$ref"] for option in documented.get("anyOf", [documented])]
    (ref,) = [r for r in refs if r.endswith("/BulkResultsRefused")]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_every_bulk_refusal_matches_its_documented_schema(district, school, refused_schema):
    world = screened_class(district, school)
    api = APIClient()
    api.force_authenticate(world["teacher"])
    ok = {
        "student": world["students"][0].pk,
        "screener": world["reading"].pk,
        "window": world["window"].pk,
        "score": "40",
    }
    bodies = [
        {},
        {"results": "not a list"},
        {"results": [{"student": "x"}]},
        {"results": [ok, {**ok, "score": "140"}]},
        {"results": [{**ok, "student": 999_999}]},
        {"results": [ok] * 1001},
    ]
    for body in bodies:
        response = api.post("/api/v1/d/alpha/results/bulk/", body, format="json")
        assert response.status_code == 400, body
        jsonschema.validate(response.json(), refused_schema)
        assert all(key.startswith("results") for key in response.json()), response.json()
