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
    from weasyprint import HTML

    html = render_to_string(template, {**context, "css": stylesheet()}, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
