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
def band_bars(panel, width=640, row=26):
    from screeners.charts import panel_bars

    return panel_bars(panel, width=width, row=row)


@register.simple_tag
def trend_chart(panel, width=640):
    from screeners.charts import panel_trend

    return panel_trend(panel, width=width)


@register.simple_tag
def trend_words(panel):
    from screeners.charts import trend_text

    return trend_text(panel)


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
