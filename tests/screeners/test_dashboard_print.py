"""The school dashboard as a principal prints it: few pages, summary first, bands named in
words, legible labels; and the trend's window labels name the right year."""

import datetime
import shutil
import subprocess

import pytest

from crsys.tenancy.context import district_context
from districts.models import District, User
from schools.models import School, SchoolYear
from screeners import demo as screener_demo
from screeners.charts import ink_on, stacked_bars
from screeners.models import ScreeningWindow
from screeners.selectors import BandShare, Distribution, ScreenerPanel
from screeners.templatetags.screening import trend_chart

pytestmark = pytest.mark.django_db


def _poppler(tool: str, content: bytes) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"install poppler-utils ({tool}) to read PDFs")
    return subprocess.run(
        [tool, "-", "-"] if tool == "pdftotext" else [tool, "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


def test_the_demo_schools_dashboard_pdf_is_two_pages_summary_first_with_bands_in_words(
    client, demo_district
):
    # given the demo, as its principal
    demo = District.objects.get(slug="demo")
    with district_context(demo):
        school = School.objects.order_by("pk").first()
    client.force_login(User.objects.get(email="principal@demo.example"))
    # when the school dashboard is printed
    response = client.get(f"/d/demo/schools/{school.pk}/dashboard.pdf")
    assert response.status_code == 200
    # then it takes two pages (it took seven, the first nearly blank)
    info = _poppler("pdfinfo", response.content)
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert pages <= 2
    text = _poppler("pdftotext", response.content)
    words = " ".join(text.split())
    first_page = " ".join(text.split("\f")[0].split())
    # the summary of every screener comes first, and the first screener's panel fits beside it
    assert "Summary" in first_page and "Reading Benchmark · Literacy" in first_page
    for name, *_ in screener_demo.SCREENERS:
        assert name in first_page
    # every band is named in words, not only shown in colour
    for *_, seasons in screener_demo.SCREENERS:
        for band_name, label, *_ in seasons["fall"]:
            assert band_name in words and label in words, band_name


def _contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    full = {"#000": "#000000", "#fff": "#ffffff"}
    lighter, darker = sorted(
        (luminance(full.get(foreground, foreground)), luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def test_percentages_inside_bars_are_drawn_in_an_ink_that_reads_on_every_demo_band():
    colours = {
        colour
        for *_, seasons in screener_demo.SCREENERS
        for bands in seasons.values()
        for _, _, colour, *_ in bands
    }
    for colour in colours:
        assert _contrast(ink_on(colour), colour) >= 4.5, colour
    # no white halo: WeasyPrint ignores paint-order and printed the halo over the text
    shares = [
        BandShare(name, name, colour, rank, 10, 25.0, rank > 1)
        for rank, (name, colour) in enumerate(
            [("Intensive", "#c62828"), ("Strategic", "#f9a825"), ("At", "#2e7d32"),
             ("Over", "#1565c0")]
        )
    ]  # fmt: skip
    svg = stacked_bars("Bands", [("School", Distribution(total=40, bands=shares))])
    assert "paint-order" not in svg and 'stroke="#fff" stroke-width="3"' not in svg
    assert 'fill="#000">25%' in svg and 'fill="#fff">25%' in svg


def test_the_trend_labels_each_window_with_the_year_its_season_falls_in(district):
    # given a school year named "2025–2026", with a winter window opening in late November
    with district_context(district):
        year = SchoolYear.objects.create(
            name="2025–2026",
            start_date=datetime.date(2025, 9, 1),
            end_date=datetime.date(2026, 6, 30),
        )
        windows = [
            ScreeningWindow(school_year=year, season=season, opens_on=opens, closes_on=opens)
            for season, opens in (
                ("fall", datetime.date(2025, 9, 15)),
                ("winter", datetime.date(2025, 11, 24)),
                ("spring", datetime.date(2026, 4, 15)),
            )
        ]
    panel = ScreenerPanel(
        screener=type("S", (), {"name": "Reading"})(),
        school=Distribution(),
        grades=[],
        trend=[(w, 50.0) for w in windows],
        change=None,
    )
    # when the trend chart is drawn
    svg = trend_chart(panel)
    # then fall is in 2025, winter and spring in 2026 (fall used to say 2026)
    assert "Fall 2025: 50%" in svg and "Winter 2026: 50%" in svg and "Spring 2026: 50%" in svg
    assert "Fall 2026" not in svg
