import shutil
import subprocess

import pytest

from crsys.tenancy.context import district_context
from districts.models import Role
from teams.models import LayerKind, TeamLayer
from teams.services import layers_ensure
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_common_language_shows_the_districts_names_and_admins_change_them(
    client, district, admin_user, teacher_user
):
    client.force_login(teacher_user)
    page = client.get("/d/alpha/common-language/").content.decode()
    assert "Collaborative team meeting" in page and "School support team" in page
    assert client.post("/d/alpha/common-language/", {}).status_code == 403
    with district_context(district):
        ctm = TeamLayer.objects.get(kind=LayerKind.COLLABORATIVE_TEAM_MEETING)
    client.force_login(admin_user)
    client.post(
        "/d/alpha/common-language/",
        {
            "layer": ctm.pk,
            "name": "Grade-group huddle",
            "purpose": "Every child, every six weeks",
            "attendees": "Teachers",
            "frequency": "6 weeks",
        },
    )
    client.force_login(teacher_user)
    assert "Grade-group huddle" in client.get("/d/alpha/common-language/").content.decode()


def test_poster_and_minutes_print_as_pdf(client, district, school, world):
    client.force_login(world["tess"])
    poster = client.get("/d/alpha/common-language.pdf")
    assert poster["Content-Type"] == "application/pdf" and poster.content.startswith(b"%PDF")
    minutes = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/minutes.pdf")
    assert minutes["Content-Type"] == "application/pdf" and minutes.content.startswith(b"%PDF")
    client.force_login(member(district, Role.TEACHER, school=school))
    assert client.get(f"/d/alpha/meetings/{world['meeting'].pk}/minutes.pdf").status_code == 404


def _pdf_pages(content: bytes) -> int:

    if shutil.which("pdfinfo") is None:
        pytest.skip("install poppler-utils (pdfinfo) to count PDF pages")
    info = subprocess.run(
        ["pdfinfo", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


PROSE = (
    "Teachers meet to look at evidence of learning, name what each student needs next and "
    "agree on the classroom practices that will get them there; they bring work samples, "
    "screener results and their own observations, and leave with commitments. "
)


@pytest.mark.parametrize(
    "described",
    [
        pytest.param(  # every field at and beyond its limit
            {
                "name": "A very long layer name " * 5,
                "purpose": "A long purpose for this layer of teams. " * 50,
                "attendees": "Teachers, principals, support staff, counsellors. " * 40,
                "frequency": "Every six weeks, " * 7,
                "agenda_template": [
                    {"key": f"custom-{n}", "title": "A long agenda section " * 4, "minutes": 5}
                    for n in range(12)
                ],
            },
            id="at-the-limits",
        ),
        pytest.param(  # a district's real prose, with the default agendas (2 pages before)
            {"purpose": PROSE * 6, "attendees": "Classroom teachers, resource teachers. " * 6},
            id="prose",
        ),
    ],
)
def test_the_poster_is_one_page_even_with_every_layer_described_at_length(
    client, district, admin_user, described
):
    with district_context(district):
        for layer in layers_ensure(district_id=district.pk):
            for field, value in described.items():
                setattr(layer, field, value)
            layer.save()
    client.force_login(admin_user)
    poster = client.get("/d/alpha/common-language.pdf").content
    assert _pdf_pages(poster) == 1
