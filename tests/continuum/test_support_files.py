"""A support's resource files: kept by whoever keeps the support, downloaded only through a
view that checks the reader sees the support, refused when too large or of an unknown kind."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from continuum import resources
from continuum.models import SupportFile
from crsys.tenancy.context import district_context

pytestmark = pytest.mark.django_db


def _url(support) -> str:
    return f"/d/alpha/continuum/supports/{support.pk}/"


def _add(client, support, name="handout.pdf", data=b"%PDF-1.4 x"):
    return client.post(_url(support) + "files/", {"file": SimpleUploadedFile(name, data)})


def test_a_principal_adds_a_file_and_a_teacher_of_the_school_downloads_it(
    client, scene, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(scene["principal"])
    assert _add(client, scene["aspen_own"]).status_code == 302
    with district_context(scene["district"]):
        stored = SupportFile.objects.get()
    page = client.get(_url(scene["aspen_own"])).content.decode()
    assert "handout.pdf" in page
    client.force_login(scene["teacher"])
    response = client.get(_url(scene["aspen_own"]) + f"files/{stored.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # a teacher may not add or remove
    assert _add(client, scene["aspen_own"]).status_code == 403
    assert client.post(_url(scene["aspen_own"]) + f"files/{stored.pk}/remove/").status_code == 403


def test_another_schools_principal_gets_the_same_404_as_for_a_missing_file(
    client, scene, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(scene["principal"])
    _add(client, scene["aspen_own"])
    with district_context(scene["district"]):
        stored = SupportFile.objects.get()
    client.force_login(scene["birch_principal"])
    assert client.get(_url(scene["aspen_own"]) + f"files/{stored.pk}/").status_code == 404
    # the file's id under a support they do see: not found either
    assert client.get(_url(scene["divisional"]) + f"files/{stored.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("script.exe", b"MZ", "not accepted"),
        ("page.html", b"<script>", "not accepted"),
        ("x" * 250 + ".pdf", b"%PDF", "at most 200 characters"),
        ("big.pdf", b"x" * 2048, "the limit is"),
    ],
)
def test_a_bad_file_is_refused_with_a_message(
    client, scene, settings, tmp_path, monkeypatch, name, data, message
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(resources, "MAX_BYTES", 1024)
    client.force_login(scene["principal"])
    response = _add(client, scene["aspen_own"], name, data)
    assert response.status_code == 302
    page = client.get(_url(scene["aspen_own"])).content.decode()
    assert message in page
    with district_context(scene["district"]):
        assert not SupportFile.objects.exists()
    assert not any(tmp_path.rglob("*.*"))  # nothing left under MEDIA


def test_removing_a_file_deletes_it_from_media(
    client, scene, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(scene["principal"])
    _add(client, scene["aspen_own"])
    with district_context(scene["district"]):
        stored = SupportFile.objects.get()
    assert any(tmp_path.rglob("*.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(scene["aspen_own"]) + f"files/{stored.pk}/remove/")
    assert response.status_code == 302
    assert not any(tmp_path.rglob("*.pdf"))
