"""Server-side SVG charts: the same markup shows in the page and prints in the PDF.

Every chart has a <title> and <desc>, and a table beside it carries the same numbers, so
colour is never the only way to read it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL = 90
ROW = 26
BAR = 18
#: A band narrower than this (in px) has no room for its percentage.
LABEL_ROOM = 30


def window_label(window) -> str:
    """ "Fall 2025", "Winter 2026": the season and the calendar year it belongs to, read from
    the school year's dates: fall in the year the school year starts, winter and spring in the
    year it ends (a winter window may open in late November). A school year's name is free
    text spanning two years, so it is never sliced for a year."""
    year = window.school_year
    calendar_year = year.start_date.year if window.season == "fall" else year.end_date.year
    return f"{window.get_season_display()} {calendar_year}"


def trend_text(panel) -> str:
    """The trend chart's figures in words, oldest first (windows without data left out)."""
    return " → ".join(f"{window_label(w)} {pct:.0f}%" for w, pct in panel.trend if pct is not None)


def ink_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (#rrggbb): WCAG's contrast ratio
    of each against the colour's relative luminance. Unknown colours get black."""
    try:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    except ValueError:
        return "#000"
    if len(colour.lstrip("#")) != 6:
        return "#000"
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#fff"


def panel_bars(panel, *, width: int = WIDTH, row: int = ROW) -> SafeString:
    rows = [(f"Grade {grade}", dist) for grade, dist in panel.grades]
    rows.append(("School", panel.school))
    return stacked_bars(
        f"Band distribution by grade, {panel.screener.name}", rows, width=width, row=row
    )


def panel_trend(panel, *, width: int = WIDTH) -> SafeString:
    points = [(window_label(w), pct) for w, pct in panel.trend]
    return trend_line(
        f"% at or above benchmark over time, {panel.screener.name}", points, width=width
    )


def stacked_bars(
    title: str, rows: list[tuple[str, object]], *, width: int = WIDTH, row: int = ROW
) -> SafeString:
    """One horizontal bar per row (``row`` px apart), split into its bands by percentage."""
    height = row * len(rows) + 4
    span = width - LABEL - 10
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, distribution) in enumerate(rows):
        y = index * row + 2
        parts.append(f'<text x="0" y="{y + BAR - 5}" font-size="12">{escape(label)}</text>')
        x = float(LABEL)
        for band in distribution.bands:
            part = span * band.percent / 100
            tip = f"{label} · {band.name}: {band.students} students ({band.percent:.0f}%)"
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{part:.1f}" height="{BAR}" '
                f'fill="{escape(band.colour)}" stroke="#ffffff" stroke-width="1">'
                f"<title>{escape(tip)}</title></rect>"
            )
            if part >= LABEL_ROOM:
                # Plain ink chosen for the band's colour: a halo (paint-order) is not drawn
                # by every renderer, and WeasyPrint printed it as a white blob over the text.
                parts.append(
                    f'<text x="{x + 4:.1f}" y="{y + BAR - 5}" font-size="11" '
                    f'fill="{ink_on(band.colour)}">{band.percent:.0f}%</text>'
                )
            x += part
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped


def trend_line(
    title: str, points: list[tuple[str, float | None]], *, width: int = WIDTH
) -> SafeString:
    """% at or above benchmark per window, oldest first; gaps where a window has no data.
    Each label sits on two lines (season above year) so that six windows fit side by side."""
    height, top, bottom = 170, 18, 40
    plot = height - top - bottom
    step = (width - 100) / max(len(points) - 1, 1)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for pct in (0, 50, 100):
        y = top + plot * (1 - pct / 100)
        parts.append(
            f'<line x1="34" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#c9d1da" stroke-width="1"/>'
        )
        parts.append(f'<text x="0" y="{y + 4:.1f}" font-size="11">{pct}%</text>')
    coords = []
    for index, (label, pct) in enumerate(points):
        x = 60 + index * step
        first, _, rest = label.partition(" ")
        parts.append(
            f'<text x="{x:.1f}" y="{height - 22}" font-size="11" text-anchor="middle">'
            f"{escape(first)}</text>"
        )
        if rest:
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle">'
                f"{escape(rest)}</text>"
            )
        if pct is None:
            continue
        y = top + plot * (1 - pct / 100)
        coords.append(f"{x:.1f},{y:.1f}")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#0b5cad">'
            f"<title>{escape(label)}: {pct:.0f}%</title></circle>"
        )
        parts.append(
            f'<text x="{x:.1f}" y="{y - 8:.1f}" font-size="11" text-anchor="middle">'
            f"{pct:.0f}%</text>"
        )
    if len(coords) > 1:
        parts.insert(
            2,
            f'<polyline points="{" ".join(coords)}" fill="none" stroke="#0b5cad" '
            f'stroke-width="2"/>',
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped
