"""The district admin's screening set-up: screeners and their bands, the schedule of
screening windows, a window's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from crsys.imports.progress import read_progress
from districts.permissions import Capability, capability_required
from schools import selectors as school_selectors
from schools.models import SchoolYear
from schools.records import school_year_create
from screeners import selectors, services
from screeners.bands import BandSpec
from screeners.forms import (
    BandFormSet,
    BandKeyForm,
    CopyScheduleForm,
    SchoolYearForm,
    ScreenerForm,
    WindowForm,
)
from screeners.models import Season
from screeners.tasks import progress_key


def _today(request):
    return school_selectors.district_today(request.district)


# Configuration (district admin) ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_DISTRICT)
def screener_list(request):
    form = ScreenerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            screener = services.screener_save(
                actor=request.actor, district_id=request.district.pk, values=form.values()
            )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"{screener.name} added. Now set its bands.")
            return redirect(screener.get_absolute_url())
    context = {
        "screeners": selectors.screeners(district_id=request.district.pk, include_archived=True),
        "form": form,
    }
    return render(request, "screeners/screener_list.html", context)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_DISTRICT)
def screener_detail(request, screener_pk: int):
    screener = selectors.get_screener(district_id=request.district.pk, screener_pk=screener_pk)
    chosen = BandKeyForm(request.GET, screener=screener)
    if chosen.is_valid():
        grade, season = chosen.cleaned_data["grade"], chosen.cleaned_data["season"]
    else:  # nothing chosen yet, or a hand-made URL: the first grade's fall bands
        grade, season = (screener.grades or ["03"])[0], Season.FALL
    bands = selectors.bands_by_key(screener=screener)
    current = sorted(bands.get((grade, season), []), key=lambda b: b.min_score)
    initial = [
        {
            "name": b.name,
            "label": b.label,
            "colour": b.colour,
            "min_score": b.min_score,
            "max_score": b.max_score,
            "meets_benchmark": b.meets_benchmark,
        }
        for b in current
    ]
    formset = BandFormSet(request.POST or None, initial=initial, prefix="band")
    problems: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "bands" and formset.is_valid():
        specs = [
            BandSpec(
                f["name"],
                f["label"],
                f["colour"],
                f["min_score"],
                f["max_score"],
                f["meets_benchmark"],
            )
            for f in formset.cleaned_data
            if f and not f.get("DELETE")
        ]
        try:
            services.bands_replace(
                actor=request.actor, screener=screener, grade=grade, season=season, bands=specs
            )
        except ValidationError as error:
            problems = error.messages
            # The admin's rows again, with a spare row to add the band that may be missing.
            rows = [f for f in formset.cleaned_data if f and not f.get("DELETE")]
            formset = BandFormSet(initial=rows, prefix="band")
        else:
            messages.success(request, f"Bands saved for grade {grade}, {season}.")
            return redirect(f"{request.path}?grade={grade}&season={season}")
    context = {
        "screener": screener,
        "grade": grade,
        "season": season,
        "seasons": Season.choices,
        "formset": formset,
        "problems": problems,
        "configured": sorted(bands),
        "has_bands": bool(current),
    }
    return render(request, "screeners/screener_detail.html", context)


@require_POST
@capability_required(Capability.MANAGE_DISTRICT)
def screener_copy_bands(request, screener_pk: int):
    screener = selectors.get_screener(district_id=request.district.pk, screener_pk=screener_pk)
    chosen = BandKeyForm(request.POST, screener=screener)
    if not chosen.is_valid():
        messages.error(request, "Choose the grade and season whose bands to copy.")
        return redirect(screener.get_absolute_url())
    source = (chosen.cleaned_data["grade"], chosen.cleaned_data["season"])
    targets = [(g, s) for g in screener.grades for s, _ in Season.choices if (g, s) != source]
    try:
        n = services.bands_copy(
            actor=request.actor, screener=screener, source=source, targets=targets
        )
        messages.success(request, f"Copied to {n} other grade and season combinations.")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(f"{screener.get_absolute_url()}?grade={source[0]}&season={source[1]}")


@require_POST
@capability_required(Capability.MANAGE_DISTRICT)
def screener_remove(request, screener_pk: int):
    screener = selectors.get_screener(district_id=request.district.pk, screener_pk=screener_pk)
    action = request.POST.get("action")
    if action in {"archive", "restore"}:
        services.screener_archive(
            actor=request.actor, screener=screener, archived=action == "archive"
        )
        messages.success(request, f"{screener.name} {action}d.")
        return redirect("screeners:screener_list", district_slug=request.district.slug)
    try:
        services.screener_delete(actor=request.actor, screener=screener)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(screener.get_absolute_url())
    messages.success(request, f"{screener.name} deleted.")
    return redirect("screeners:screener_list", district_slug=request.district.slug)


def _window_form(request, data=None, **kwargs) -> WindowForm:
    district_id = request.district.pk
    return WindowForm(
        data,
        school_years=SchoolYear.objects.order_by("-start_date"),
        screeners=selectors.screeners(district_id=district_id),
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_DISTRICT)
def schedule(request):
    """The whole screening schedule: school years, windows (add here; change or delete on
    each window's page), and how complete the open ones are."""
    district = request.district
    action = request.POST.get("action", "window")
    posted = request.POST if request.method == "POST" else None
    years = SchoolYear.objects.order_by("-start_date")
    form = _window_form(request, posted if action == "window" else None)
    year_form = SchoolYearForm(posted if action == "year" else None, prefix="year")
    copy_form = CopyScheduleForm(
        posted if action == "copy" else None, school_years=years, prefix="copy"
    )
    done = None
    if action == "window" and form.is_valid():
        try:
            window = services.window_save(actor=request.actor, **form.values())
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            done = f"{window} saved."
    elif action == "year" and year_form.is_valid():
        try:
            year = school_year_create(
                actor=request.actor, district_id=district.pk, **year_form.cleaned_data
            )
        except ValidationError as error:
            year_form.add_model_errors(error)
        else:
            done = f"School year {year} added. Now add its windows."
    elif action == "copy" and copy_form.is_valid():
        try:
            made = services.schedule_copy_from_last_year(
                actor=request.actor, school_year=copy_form.cleaned_data["school_year"]
            )
        except ValidationError as error:
            copy_form.add_model_errors(error)
        else:
            done = f"Copied {len(made)} windows from last year."
    if done:
        messages.success(request, done)
        return redirect("screeners:schedule", district_slug=district.slug)
    today = _today(request)
    window_list = list(selectors.windows(district_id=district.pk))
    open_windows = [w for w in window_list if w.is_open_on(today)]
    context = {
        "windows": [(w, w.status_on(today)) for w in window_list],
        "form": form,
        "year_form": year_form,
        "copy_form": copy_form,
        "years": years,
        "today": today,
        "tracker": [(w, selectors.completion_by_school(window=w)) for w in open_windows],
    }
    return render(request, "screeners/schedule.html", context)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_DISTRICT)
def window_detail(request, window_pk: int):
    """A window: change its dates, grades and screeners, delete it while it has no results,
    rebuild its dashboards, import results, follow completion."""
    window = selectors.get_window(district_id=request.district.pk, window_pk=window_pk)
    action = request.POST.get("action", "recompute")
    if action not in {"recompute", "save", "delete"}:
        return HttpResponseBadRequest("Unknown action.")
    edit = _window_form(
        request,
        request.POST if request.method == "POST" and action == "save" else None,
        initial=WindowForm.initial_of(window),
    )
    if request.method == "POST":
        if action == "delete":
            try:
                services.window_delete(actor=request.actor, window=window)
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return redirect(request.path)
            messages.success(request, f"{window} deleted.")
            return redirect("screeners:schedule", district_slug=request.district.slug)
        if action == "save":
            if edit.is_valid():
                try:
                    services.window_save(actor=request.actor, window=window, **edit.values())
                except ValidationError as error:
                    edit.add_model_errors(error)
                else:
                    messages.success(request, f"{window} saved.")
                    return redirect(request.path)
            window.refresh_from_db()  # the page shows what is stored beside the refused form
        else:
            services.window_recompute_request(actor=request.actor, window=window)
            messages.success(request, "Recompute queued.")
            return redirect(request.path)
    schools = school_selectors.visible_schools(actor=request.actor)
    chosen = request.GET.get("school", "")
    school = (
        school_selectors.find_school(actor=request.actor, school_pk=chosen)
        if chosen.isascii() and chosen.isdigit()
        else None
    )
    context = {
        "window": window,
        "edit": edit,
        "has_results": selectors.window_has_results(window=window),
        "progress": read_progress(progress_key(window.pk)),
        "by_school": selectors.completion_by_school(window=window),
        "school": school,
        "schools": schools,
        "by_classroom": selectors.completion_by_classroom(window=window, school=school)
        if school
        else [],
    }
    template = "screeners/window_detail.html"
    if request.htmx:
        template += "#recompute"
    return render(request, template, context)


# Result entry (teachers) ----------------------------------------------------------------
