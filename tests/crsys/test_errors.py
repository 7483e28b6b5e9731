"""Errors under /api/ answer JSON (an integration can parse them); pages keep the site's."""

import pytest

pytestmark = pytest.mark.django_db


def test_api_errors_are_json_and_pages_are_html(client, admin_user):
    client.force_login(admin_user)
    missing = client.get("/api/v1/d/alpha/no-such-route/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}
    too_many = client.post(
        "/api/v1/d/alpha/commitments/",
        "&".join(f"f{n}=x" for n in range(1200)),
        content_type="application/x-www-form-urlencoded",
    )
    assert too_many.status_code == 400
    assert too_many.json() == {"detail": "The request could not be read."}
    page = client.get("/d/alpha/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
