"""Results files: upload, map columns, commit, and the problems found."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from crsys.imports.problems import problems_csv_response
from districts.permissions import Capability, capability_required
from screeners import selectors, services
from screeners.forms import (
    ColumnMapForm,
    ResultUploadForm,
)


@require_POST
@capability_required(Capability.IMPORT_DATA)
def result_import_upload(request, window_pk: int):
    window = selectors.get_window(district_id=request.district.pk, window_pk=window_pk)
    form = ResultUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"{form.fields[field].label}: {errors[0]}")
        return redirect(
            "screeners:window", district_slug=request.district.slug, window_pk=window.pk
        )
    upload = form.cleaned_data["file"]
    try:
        result_import = services.result_import_upload(
            actor=request.actor,
            window=window,
            name=upload.name,
            data=upload.read(),
            sheet=form.cleaned_data["sheet"],
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(
            "screeners:window", district_slug=request.district.slug, window_pk=window.pk
        )
    return redirect(
        "screeners:result_import",
        district_slug=request.district.slug,
        resultimport_pk=result_import.pk,
    )


@require_GET
@capability_required(Capability.IMPORT_DATA)
def result_import_detail(request, resultimport_pk: int):
    result_import = selectors.get_result_import(
        district_id=request.district.pk, import_pk=resultimport_pk
    )
    template = "screeners/result_import.html"
    if request.htmx:
        template += "#status"
    mapping = None
    if result_import.columns and not result_import.is_busy and not result_import.committed_at:
        mapping = ColumnMapForm(
            result_import=result_import, screeners=_mappable_screeners(result_import.window)
        )
    context = {
        "import": result_import,
        "problems": result_import.problems[:200],
        "mapping": mapping,
    }
    return render(request, template, context)


def _mappable_screeners(window):
    return [s for s in window.screeners.all() if not s.is_archived]


@require_POST
@capability_required(Capability.IMPORT_DATA)
def result_import_map_columns(request, resultimport_pk: int):
    """The mapping step of a wide file: the admin says which screener each column scores."""
    result_import = selectors.get_result_import(
        district_id=request.district.pk, import_pk=resultimport_pk
    )
    form = ColumnMapForm(
        request.POST,
        result_import=result_import,
        screeners=_mappable_screeners(result_import.window),
    )
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"{form.fields[field].label}: {errors[0]}")
    else:
        try:
            services.result_import_map_columns(
                actor=request.actor, result_import=result_import, column_map=form.column_map()
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return redirect(
        "screeners:result_import",
        district_slug=request.district.slug,
        resultimport_pk=result_import.pk,
    )


@require_POST
@capability_required(Capability.IMPORT_DATA)
def result_import_commit(request, resultimport_pk: int):
    result_import = selectors.get_result_import(
        district_id=request.district.pk, import_pk=resultimport_pk
    )
    try:
        services.result_import_confirm(actor=request.actor, result_import=result_import)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(
        "screeners:result_import",
        district_slug=request.district.slug,
        resultimport_pk=result_import.pk,
    )


@require_GET
@capability_required(Capability.IMPORT_DATA)
def result_import_problems(request, resultimport_pk: int):

    result_import = selectors.get_result_import(
        district_id=request.district.pk, import_pk=resultimport_pk
    )
    return problems_csv_response(result_import.problems, f"results-{result_import.pk}-problems.csv")
