"""The district's common language: its team layers side by side, the admins' editors for
their words and agendas, and the one-page poster."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from crsys.pdf import one_page_pdf_response
from teams import agenda, forms, permissions, selectors, services
from teams.models import TeamLayer

WORDS = ("name", "purpose", "attendees", "frequency")


@dataclass(frozen=True)
class LayerCard:
    """One layer on the page, with its two editors (bound to the post when it was refused:
    ``open_form`` names which, so it opens with what was typed)."""

    layer: TeamLayer
    agenda_minutes: int
    words: forms.LayerWordsForm
    agenda: forms.BaseAgendaFormSet
    open_form: str | None = None

    def agenda_rows(self) -> list[tuple]:
        """(row form, what the section is called when built in) for the agenda editor."""
        return [(row, agenda.BUILT_IN.get(row["key"].value() or "", "")) for row in self.agenda]


def _card(layer: TeamLayer, refused: tuple | None = None) -> LayerCard:
    kind, form = refused if refused else (None, None)
    return LayerCard(
        layer=layer,
        agenda_minutes=agenda.total_minutes(layer.agenda_template),
        words=form
        if kind == "words"
        else forms.LayerWordsForm(initial={f: getattr(layer, f) for f in WORDS}),
        agenda=form if kind == "agenda" else forms.agenda_formset(sections=layer.agenda_template),
        open_form=kind,
    )


@require_http_methods(["GET", "POST"])
def common_language(request):
    """The district's team layers side by side; admins rename and describe them. A refused
    change comes back with what was typed in its form, and the reason."""
    layers = selectors.district_layers(district_id=request.district.pk)
    can_edit = permissions.can_describe_layers(request.actor)
    refused: dict[int, tuple] = {}  # layer pk -> ("agenda" | "words", the bound form)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        layer = next((x for x in layers if str(x.pk) == request.POST.get("layer")), None)
        try:
            if layer is None:
                messages.error(request, "Choose a layer.")
            elif request.POST.get("form") == "agenda":
                formset = forms.agenda_formset(data=request.POST)
                refused[layer.pk] = ("agenda", formset)
                services.layer_agenda_set(
                    actor=request.actor, layer=layer, sections=formset.sections()
                )
                messages.success(request, f"The agenda of {layer.name} is saved.")
            else:
                words = forms.LayerWordsForm(request.POST)
                refused[layer.pk] = ("words", words)
                words.is_valid()  # text only: the service and the model say what is wrong
                services.layer_describe(
                    actor=request.actor,
                    layer=layer,
                    **{f: words.cleaned_data[f] for f in WORDS},
                )
                messages.success(request, f"{layer.name} saved.")
            return redirect("teams:common_language", district_slug=request.district.slug)
        except ValidationError as error:
            what = "Agenda" if refused[layer.pk][0] == "agenda" else "Layer"
            messages.error(request, f"{what} not saved: " + "; ".join(error.messages))
            layer.refresh_from_db()  # the refused change must not show as the layer's words
    return render(
        request,
        "teams/common_language.html",
        {
            "layers": [_card(layer, refused.get(layer.pk)) for layer in layers],
            "can_edit": can_edit,
            "limits": POSTER_LIMITS,
        },
        status=400 if refused else 200,
    )


@require_GET
def common_language_pdf(request):
    layers = selectors.district_layers(district_id=request.district.pk)
    return one_page_pdf_response(
        request,
        "teams/common_language_poster.html",
        {"layers": layers, "limit": POSTER_LIMITS},
        f"{request.district.slug}-team-layers.pdf",
        sizes=POSTER_FONT_SIZES,
        guess=_poster_font_pt(layers),
    )


# The poster's texts are cut at these lengths (the web page has them whole), so that at the
# smallest type every layer fits on one page; the type is as large as the texts allow.
POSTER_LIMITS = {"name": 60, "purpose": 400, "attendees": 200, "frequency": 60, "title": 48}
POSTER_FONT_SIZES = [6.5 + step / 2 for step in range(12)]  # 6.5 to 12 pt


def _poster_font_pt(layers) -> float:
    """A first guess from the longest column's length (the layout has the last word)."""
    limit = POSTER_LIMITS
    longest = max(
        (
            sum(min(len(getattr(layer, field)), limit[field]) for field in WORDS)
            + sum(min(len(s.get("title", "")), limit["title"]) + 12 for s in layer.agenda_template)
            for layer in layers
        ),
        default=0,
    )
    estimate = max(6.5, min(12.0, 12.0 - (longest - 400) / 170))
    return min(POSTER_FONT_SIZES, key=lambda size: abs(size - estimate))
