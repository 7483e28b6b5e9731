"""Input no view can use is refused in one place (crsys/input_guard.py), in the caller's
language; and a page that refuses after it began writing leaves nothing written."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import clear_url_caches, path

import crsys.urls
from schools.models import School

pytestmark = pytest.mark.django_db

NUL_REFUSAL = "The text contains a NUL character"


def test_a_nul_in_a_search_is_a_page_saying_so(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/d/alpha/students/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert NUL_REFUSAL in response.content.decode()
    assert "<html" in response.content.decode()  # the site's page, with its navigation


def test_a_nul_in_an_htmx_save_is_a_short_text_the_field_shows(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/d/alpha/teams/", {"name": "x\x00"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith(NUL_REFUSAL)


@pytest.mark.parametrize(
    "body",
    [
        '{"text": "joy\\u0000"}',
        '{"items": [{"text": "ok"}, {"note": "a\\u0000"}]}',
        '{"key\\u0000": "x"}',
    ],
)
def test_a_nul_anywhere_in_a_json_body_is_a_json_400(client, admin_user, body):
    client.force_login(admin_user)
    response = client.post("/api/v1/d/alpha/celebrations/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(NUL_REFUSAL)


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(client, admin_user):
    client.force_login(admin_user)
    # JSON "\\u0000" is the six characters \u0000: harmless text the API goes on to check.
    response = client.post(
        "/api/v1/d/alpha/school-years/",
        '{"name": "\\\\u0000"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "start_date" in response.json()


def test_a_nul_in_a_form_patch_body_is_refused(client, admin_user):
    client.force_login(admin_user)
    response = client.patch(
        "/d/alpha/teams/", "name=a%00b", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


# A page view that reads a field it was not sent, and one that refuses after writing.
def _reads_a_field(request, district_slug=None):
    return HttpResponse(request.POST["grade"])


def _writes_then_refuses(request, district_slug=None):
    School.objects.create(district=request.district, name="Half-written", code="HALF")
    raise PermissionDenied


@pytest.fixture
def planted_pages(settings):

    settings.ROOT_URLCONF = type(
        "PlantedUrls",
        (),
        {
            "urlpatterns": [
                path("d/<slug:district_slug>/reads-a-field/", _reads_a_field),
                path("api/v1/reads-a-field/", _reads_a_field),
                path("d/<slug:district_slug>/half-written/", _writes_then_refuses),
                *crsys.urls.urlpatterns,
            ],
            "handler403": crsys.urls.handler403,
        },
    )
    clear_url_caches()
    yield
    clear_url_caches()


def test_a_field_a_view_needs_and_was_not_sent_is_a_400_naming_it(
    client, admin_user, planted_pages
):
    client.force_login(admin_user)
    page = client.post("/d/alpha/reads-a-field/", {})
    assert page.status_code == 400 and "grade: this field is required" in page.content.decode()
    api = client.post("/api/v1/reads-a-field/", {})
    assert api.status_code == 400 and api.json() == {"grade": ["grade: this field is required."]}


def test_a_page_that_refuses_after_writing_leaves_nothing_written(
    client, district, admin_user, planted_pages
):
    client.force_login(admin_user)
    assert client.post("/d/alpha/half-written/").status_code == 403
    assert not School.objects.for_district(district).filter(code="HALF").exists()
