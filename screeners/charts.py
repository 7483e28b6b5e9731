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


def stacked_bars(title: str, rows: list[tuple[str, object]]) -> SafeString:
    """One horizontal bar per row, split into its bands by percentage."""
    height = ROW * len(rows) + 4
    span = WIDTH - LABEL - 10
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, distribution) in enumerate(rows):
        y = index * ROW + 2
        parts.append(f'<text x="0" y="{y + BAR - 5}" font-size="12">{escape(label)}</text>')
        x = float(LABEL)
        for band in distribution.bands:
            width = span * band.percent / 100
            tip = f"{label} · {band.name}: {band.students} students ({band.percent:.0f}%)"
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" '
                f'fill="{escape(band.colour)}" stroke="#ffffff" stroke-width="1">'
                f"<title>{escape(tip)}</title></rect>"
            )
            if width >= 34:
                parts.append(
                    f'<text x="{x + 4:.1f}" y="{y + BAR - 5}" font-size="11" fill="#000" '
                    f'paint-order="stroke" stroke="#fff" stroke-width="3">'
                    f"{band.percent:.0f}%</text>"
                )
            x += width
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped


def trend_line(title: str, points: list[tuple[str, float | None]]) -> SafeString:
    """% at or above benchmark per window, oldest first; gaps where a window has no data."""
    height, top, bottom = 170, 16, 40
    plot = height - top - bottom
    step = (WIDTH - 120) / max(len(points) - 1, 1)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for pct in (0, 50, 100):
        y = top + plot * (1 - pct / 100)
        parts.append(
            f'<line x1="30" x2="{WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#c9d1da" stroke-width="1"/>'
        )
        parts.append(f'<text x="0" y="{y + 4:.1f}" font-size="11">{pct}%</text>')
    coords = []
    for index, (label, pct) in enumerate(points):
        x = 60 + index * step
        parts.append(
            f'<text x="{x:.1f}" y="{height - 10}" font-size="11" text-anchor="middle">'
            f"{escape(label)}</text>"
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
