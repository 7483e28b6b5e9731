"""PDFs from the same templates as the pages, through WeasyPrint, fetching nothing."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def stylesheet() -> str:
    # Inline: WeasyPrint must not fetch anything over the network (not even our own server).
    with open(finders.find("css/crsys.css"), encoding="utf-8") as handle:
        return handle.read()


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    # Lazy: WeasyPrint loads pango, harfbuzz and fontconfig at import; only PDFs need them.
    from weasyprint import HTML  # noqa: PLC0415

    html = render_to_string(template, {**context, "css": stylesheet()}, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def one_page_pdf_response(
    request, template: str, context: dict, filename: str, *, sizes: list[float], guess: float
) -> HttpResponse:
    """A poster, in the largest type (the template's ``font_pt``) at which it fits one page.

    ``guess`` is an estimate from the texts' lengths, tried first: it usually fits, so one
    layout is enough. Prose breaks into lines differently from any estimate, though, so when
    it does not fit, the smaller ``sizes`` are searched by bisection, laying each one out."""
    # Lazy: WeasyPrint loads pango, harfbuzz and fontconfig at import; only PDFs need them.
    from weasyprint import HTML  # noqa: PLC0415

    css = stylesheet()

    def layout(size: float):
        html = render_to_string(template, {**context, "css": css, "font_pt": size}, request=request)
        return HTML(string=html).render()

    document = layout(guess)
    if len(document.pages) > 1:
        smaller = sorted((s for s in sizes if s < guess), reverse=True)
        low, high, document = 0, len(smaller) - 1, None
        while low <= high:
            middle = (low + high) // 2
            candidate = layout(smaller[middle])
            if len(candidate.pages) == 1:
                document, high = candidate, middle - 1
            else:
                low = middle + 1
        document = document or layout(min(sizes))
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
