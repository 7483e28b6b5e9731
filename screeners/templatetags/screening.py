from django import template

from screeners.bands import score_display

register = template.Library()


@register.filter
def score_text(result, screener) -> str:
    """A stored result's score as a person types it (a level name for ordinal screeners)."""
    return "" if result is None else score_display(result.score, screener)


MOVEMENT = {
    "up": ("▲", "moved up a band"),
    "down": ("▼", "moved down a band"),
    "same": ("▶", "same band"),
    "new": ("•", "first result"),
}


@register.inclusion_tag("screeners/_movement.html")
def movement(value: str):
    symbol, text = MOVEMENT.get(value, ("", ""))
    return {"symbol": symbol, "text": text, "value": value}


@register.simple_tag
def band_bars(panel):
    from screeners.charts import stacked_bars

    rows = [(f"Grade {grade}", dist) for grade, dist in panel.grades]
    rows.append(("School", panel.school))
    return stacked_bars(f"Band distribution by grade, {panel.screener.name}", rows)


@register.simple_tag
def trend_chart(panel):
    from screeners.charts import trend_line

    points = [
        (f"{w.get_season_display()} {w.school_year.name[-4:]}", pct) for w, pct in panel.trend
    ]
    return trend_line(f"% at or above benchmark over time, {panel.screener.name}", points)


@register.simple_tag
def band_badge(band):
    """A band's colour swatch and name (its label on hover): colour is never alone."""
    from django.utils.html import format_html

    if not band:  # none, or an empty lookup in the template
        return ""
    return format_html(
        '<span class="band"><span class="swatch" style="background: {}" aria-hidden="true">'
        '</span><span class="band-name" title="{}">{}</span></span>',
        band.colour,
        band.label,
        band.name,
    )
