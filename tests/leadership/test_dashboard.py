"""The leadership dashboard: every school × every measure from the stored evaluations, in a
fixed number of queries; filters, sort, CSV (formula-safe) and one landscape PDF page."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crsys.tenancy.context import district_context
from leadership import selectors, services
from leadership.models import Evaluation, Measure, Priority
from schools.models import School
from tests.factories import actor_of
from tests.teams.test_common_language_and_print import _pdf_pages

pytestmark = pytest.mark.django_db
OVERALLS = ["excellent", "good", "acceptable", "issue", "concern"]


def grow(scene, schools: int = 250, measures: int = 12) -> None:
    """``schools`` schools × ``measures`` measures of the scene's year, each evaluated."""
    district, year = scene["district"], scene["year"]
    with district_context(district):
        School.objects.bulk_create(
            School(district=district, name=f"School {i:03d}", code=f"S{i:03d}", grades=["KG"])
            for i in range(schools - School.objects.count())
        )
        priority = Priority.objects.create(
            district=district, school_year=year, area=scene["areas"]["teaching"], title="Grown"
        )
        Measure.objects.bulk_create(
            Measure(district=district, priority=priority, name=f"Measure {i}", source="manual")
            for i in range(measures - Measure.objects.count())
        )
        Evaluation.objects.all().delete()
        Evaluation.objects.bulk_create(
            Evaluation(district=district, measure=m, school=s, value=Decimal(i % 100),
                       overall=OVERALLS[i % 5], achievement="high")
            for i, (m, s) in enumerate(
                (m, s) for m in Measure.objects.all() for s in School.objects.all()
            )
        )  # fmt: skip


def test_the_dashboard_costs_at_most_ten_queries_for_250_schools_and_12_measures(
    scene, client, django_assert_max_num_queries
):
    grow(scene)
    with district_context(scene["district"]):
        with django_assert_max_num_queries(10):
            board = selectors.leadership_dashboard(year=scene["year"], today=datetime.date.today())
        assert (len(board.rows), len(board.columns)) == (250, 12)
    client.force_login(scene["leader"])
    with CaptureQueriesContext(connection) as page:
        response = client.get("/d/alpha/leadership/")
    assert response.status_code == 200
    # The page: the request's own (session, user, memberships, district) and the board's.
    assert len(page.captured_queries) <= 10 + 6, [q["sql"][:80] for q in page.captured_queries]


def test_cells_show_the_word_beside_the_colour_and_filters_narrow(scene, client):
    client.force_login(scene["leader"])
    page = client.get("/d/alpha/leadership/").content.decode()
    assert "Concern" in page and "Excellent" in page and "#D55E00" in page
    literacy = client.get("/d/alpha/leadership/?area=growth").content.decode()
    assert "grade 3 reading" in literacy and "feel they belong" not in literacy
    high = client.get("/d/alpha/leadership/?band=high").content.decode()
    assert "Birch School" in high and "Aspen School" not in high
    found = client.get("/d/alpha/leadership/?q=asp").content.decode()
    assert "Aspen School" in found and "Birch School" not in found
    with district_context(scene["district"]):
        board = selectors.leadership_dashboard(
            year=scene["year"], today=datetime.date.today(), sort=f"m{scene['literacy'].pk}"
        )
    assert [r.name for r in board.rows] == ["Aspen School", "Birch School"]  # concern first


def test_the_dashboard_is_for_district_roles(scene, client):
    for who in ("principal", "teacher"):
        client.force_login(scene[who])
        assert client.get("/d/alpha/leadership/").status_code == 403


def test_the_csv_neutralises_formulas(scene, client):
    district = scene["district"]
    with district_context(district):
        scene["aspen"].name = "=HYPERLINK(evil)"
        scene["aspen"].save(update_fields=["name"])
        services.measure_save(
            actor=actor_of(scene["leader"], district), measure=scene["survey"], name="+cmd"
        )
    client.force_login(scene["leader"])
    response = client.get("/d/alpha/leadership/dashboard.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert "'+cmd" in rows[0]
    assert any(r[0] == "'=HYPERLINK(evil)" for r in rows[1:])


def test_the_pdf_is_one_landscape_page(scene, client):
    grow(scene, schools=60, measures=12)
    client.force_login(scene["leader"])
    response = client.get("/d/alpha/leadership/dashboard.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert _pdf_pages(response.content) == 1


def test_bad_filters_answer_400_not_500(scene, client):
    client.force_login(scene["leader"])
    for query in ("?sort=%00", "?q=" + "x" * 500, "?area=nowhere", "?year=abc"):
        assert client.get("/d/alpha/leadership/" + query).status_code in (400, 404)
