"""The screening schedule in the browser (issue 14, items 9 and 10): school years, windows
added, changed and deleted by district admins; the grid of a window not open."""

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from crsys.tenancy.context import district_context
from districts.models import Role
from schools.models import SchoolYear
from screeners.models import ScreeningWindow, human_date
from tests.factories import SchoolYearFactory, member
from tests.screeners.builders import add_result, days, make_screener, make_window, set_bands
from tests.screeners.fixtures import screened_class

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def year(district):
    return SchoolYearFactory(
        district=district, name="2026–2027", start_date=D(2026, 9, 1), end_date=D(2027, 6, 30)
    )


@pytest.fixture
def reading(district):
    screener = make_screener(district, "Reading", grades=("03",))
    set_bands(screener)
    return screener


def stored_windows(district):
    with district_context(district):
        return list(
            ScreeningWindow.objects.order_by("opens_on").values_list(
                "name", "season", "opens_on", "closes_on", "grades"
            )
        )


def window_form(year, reading, **fields):
    return {
        "action": "window",
        "school_year": year.pk,
        "season": "fall",
        "opens_on": "2026-09-15",
        "closes_on": "2026-10-15",
        "screeners": [reading.pk],
        **fields,
    }


def test_an_admin_adds_a_school_year_on_the_page(admin, district):
    data = {
        "action": "year",
        "year-name": "2027–2028",
        "year-start_date": "2027-09-01",
        "year-end_date": "2028-06-30",
    }
    response = admin.post("/d/alpha/screening/", data)
    assert response.status_code == 302
    with district_context(district):
        assert list(SchoolYear.objects.values_list("name", "start_date")) == [
            ("2027–2028", D(2027, 9, 1))
        ]
    body = admin.get("/d/alpha/screening/").content.decode()
    assert "2027–2028: 1 Sep 2027 to 30 Jun 2028" in body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"year-end_date": "2027-08-01"}, "must be after the day it starts"),
        ({"year-name": "2026–2027"}, "already exists"),
        ({"year-name": "x\x00y"}, "contains a NUL character"),
        ({"year-start_date": "not a date"}, "Enter a valid date"),
        (
            {"year-start_date": "2027-06-01", "year-end_date": "2028-06-30"},
            "overlaps 2026–2027 (1 Sep 2026 to 30 Jun 2027)",
        ),
    ],
)
def test_a_bad_school_year_is_a_form_error(admin, district, year, fields, message):
    data = {
        "action": "year",
        "year-name": "2027–2028",
        "year-start_date": "2027-09-01",
        "year-end_date": "2028-06-30",
        **fields,
    }
    response = admin.post("/d/alpha/screening/", data)
    # A NUL is refused by the input guard (400) before the form; the rest by the form.
    assert response.status_code == (400 if "NUL" in message else 200)
    assert message in response.content.decode()
    with district_context(district):
        assert SchoolYear.objects.count() == 1


def test_a_window_without_grades_is_never_a_500(district, admin_user, year, reading):
    """The page posts no ``grades`` when no box is ticked: every grade, as the form says.
    The API names the missing field (it was a KeyError) and takes ``[]`` for every grade."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    assert client.post("/d/alpha/screening/", window_form(year, reading)).status_code == 302
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(admin_user)
    payload = {
        "school_year": year.pk,
        "season": "winter",
        "opens_on": "2027-01-15",
        "closes_on": "2027-02-01",
        "screeners": [reading.pk],
    }
    response = api.post("/api/v1/d/alpha/screening-windows/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"grades": ["This field is required."]}
    for grades in (["ZZ"], ["03\r\n"], "03"):
        response = api.post(
            "/api/v1/d/alpha/screening-windows/", {**payload, "grades": grades}, format="json"
        )
        assert response.status_code == 400 and "grades" in response.json(), grades
    response = api.post(
        "/api/v1/d/alpha/screening-windows/", {**payload, "grades": []}, format="json"
    )
    assert response.status_code == 201, response.content
    assert [w[4] for w in stored_windows(district)] == [[], []]


def test_a_second_window_in_a_season_is_allowed_and_named(admin, district, year, reading):
    assert admin.post("/d/alpha/screening/", window_form(year, reading)).status_code == 302
    again = window_form(
        year, reading, opens_on="2026-11-02", closes_on="2026-11-13", name="Fall re-screen"
    )
    assert admin.post("/d/alpha/screening/", again).status_code == 302
    assert [(w[0], w[1]) for w in stored_windows(district)] == [
        ("", "fall"),
        ("Fall re-screen", "fall"),
    ]
    assert "Fall re-screen 2026–2027" in admin.get("/d/alpha/screening/").content.decode()


def test_an_overlapping_window_is_a_form_error_in_human_dates(admin, district, year, reading):
    admin.post("/d/alpha/screening/", window_form(year, reading))
    response = admin.post(
        "/d/alpha/screening/", window_form(year, reading, opens_on="2026-10-01", season="winter")
    )
    body = response.content.decode()
    assert "overlaps Fall 2026–2027 (15 Sep 2026 to 15 Oct 2026)" in body
    assert "2026-09-15" not in body.split("Add a window", 1)[1].split("<form", 1)[0]
    assert len(stored_windows(district)) == 1


def test_an_admin_changes_a_windows_dates_and_grades(admin, district, year, reading):
    window = make_window(year, "fall", D(2026, 9, 15), D(2026, 10, 15), [reading])
    page = admin.get(f"/d/alpha/screening/{window.pk}/").content.decode()
    assert 'value="2026-09-15"' in page  # the form shows what is stored
    data = window_form(
        year, reading, action="save", opens_on="2026-09-20", closes_on="2026-10-20", grades="03"
    )
    assert admin.post(f"/d/alpha/screening/{window.pk}/", data).status_code == 302
    assert stored_windows(district) == [("", "fall", D(2026, 9, 20), D(2026, 10, 20), ["03"])]


def test_a_refused_change_keeps_the_window_and_says_why(admin, district, year, reading):
    window = make_window(year, "fall", D(2026, 9, 15), D(2026, 10, 15), [reading])
    data = window_form(year, reading, action="save", opens_on="2027-06-20", closes_on="2027-07-10")
    body = admin.post(f"/d/alpha/screening/{window.pk}/", data).content.decode()
    assert "is not inside the school year 2026–2027 (1 Sep 2026 to 30 Jun 2027)" in body
    assert stored_windows(district) == [("", "fall", D(2026, 9, 15), D(2026, 10, 15), [])]


def test_an_empty_window_is_deleted_and_one_with_results_is_refused_with_a_reason(
    admin, district, school, admin_user
):
    world = screened_class(district, school)
    window = world["window"]
    add_result(window, world["reading"], world["students"][0], 50)
    response = admin.post(f"/d/alpha/screening/{window.pk}/", {"action": "delete"}, follow=True)
    assert "has 1 result and cannot be deleted" in response.content.decode()
    assert len(stored_windows(district)) == 1
    with district_context(district):
        window.results.all().delete()
    response = admin.post(f"/d/alpha/screening/{window.pk}/", {"action": "delete"})
    assert response.status_code == 302 and response["Location"].endswith("/d/alpha/screening/")
    assert stored_windows(district) == []


def test_the_window_api_deletes_only_empty_windows(district, school, admin_user):
    world = screened_class(district, school)
    add_result(world["window"], world["reading"], world["students"][0], 50)
    api = APIClient()
    api.force_authenticate(admin_user)
    url = f"/api/v1/d/alpha/screening-windows/{world['window'].pk}/"
    response = api.delete(url)
    assert response.status_code == 400 and "cannot be deleted" in str(response.json())
    with district_context(district):
        world["window"].results.all().delete()
    assert api.delete(url).status_code == 204


@pytest.mark.parametrize("who", ["teacher", "principal"])
def test_schedule_writes_are_refused_to_others(client, district, school, year, reading, who):

    window = make_window(year, "fall", D(2026, 9, 15), D(2026, 10, 15), [reading])
    client.force_login(member(district, Role(who), school=school))
    for data in ({"action": "year", "year-name": "x"}, window_form(year, reading)):
        assert client.post("/d/alpha/screening/", data).status_code == 403
    for action in ("save", "delete"):
        response = client.post(f"/d/alpha/screening/{window.pk}/", {"action": action})
        assert response.status_code == 403
    assert len(stored_windows(district)) == 1


# Item 10: the grid of a window that is not open ----------------------------------------------


def cells(body: str) -> dict[str, int]:
    return {
        "editable": body.count('name="score"') - body.count('size="6" readonly'),
        "read-only": body.count('size="6" readonly'),
    }


@pytest.fixture
def not_yet_open(district, school):
    """A screened class whose window opens in 30 days."""
    world = screened_class(district, school)
    with district_context(district):
        ScreeningWindow.objects.filter(pk=world["window"].pk).update(
            opens_on=datetime.date.today() + days(30), closes_on=datetime.date.today() + days(40)
        )
    world["window"].refresh_from_db()
    return world


def test_a_window_not_yet_open_says_when_it_opens_and_is_read_only(client, not_yet_open):
    world = not_yet_open
    client.force_login(world["teacher"])
    body = client.get(f"/d/alpha/classrooms/{world['room'].pk}/screening/").content.decode()
    opens = human_date(world["window"].opens_on)
    assert f"<strong>not open yet</strong>: opens {opens}." in body
    assert "changes need a district admin" not in body
    assert cells(body) == {"editable": 0, "read-only": 3}
    assert "The results are shown read-only." in body


def test_a_closed_window_is_read_only_for_a_teacher_but_not_for_an_admin(
    client, district, school, admin_user
):
    world = screened_class(district, school, open_window=False)
    url = f"/d/alpha/classrooms/{world['room'].pk}/screening/"
    client.force_login(world["teacher"])
    body = client.get(url).content.decode()
    assert "<strong>closed</strong>: changes need a district admin." in body
    assert cells(body) == {"editable": 0, "read-only": 3}
    client.force_login(admin_user)
    body = client.get(url).content.decode()
    assert cells(body) == {"editable": 3, "read-only": 0}


def test_a_refused_cell_in_a_window_not_yet_open_names_the_day(client, not_yet_open):
    world = not_yet_open
    client.force_login(world["teacher"])
    response = client.post(
        f"/d/alpha/classrooms/{world['room'].pk}/screening/{world['window'].pk}/cell/",
        {"student": world["students"][0].pk, "screener": world["reading"].pk, "score": "40"},
    )
    body = response.content.decode()
    assert f"is not open yet: it opens on {human_date(world['window'].opens_on)}" in body
    assert cells(body) == {"editable": 0, "read-only": 1}  # it comes back read-only


def test_an_over_long_cell_is_a_message_not_a_truncation(client, district, school):
    world = screened_class(district, school)
    client.force_login(world["teacher"])
    response = client.post(
        f"/d/alpha/classrooms/{world['room'].pk}/screening/{world['window'].pk}/cell/",
        {"student": world["students"][0].pk, "screener": world["reading"].pk, "score": "4" * 25},
    )
    assert "a score has at most 20 characters" in response.content.decode()
