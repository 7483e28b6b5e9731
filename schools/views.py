from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districts.permissions import Capability
from schools import selectors, services
from schools.forms import (
    ColumnMappingForm,
    ImportConfirmForm,
    ImportPeopleFilterForm,
    RosterUploadForm,
    StudentSearchForm,
)
from schools.models import RosterImport, StudentFlag
from schools.roster.people import read_people
from schools.roster.problems import RosterRejected, problems_csv_response
from schools.roster.spreadsheet import guess_mapping, read_table, sheet_names
from screeners import permissions as screener_permissions
from screeners import selectors as screener_selectors
from teams import selectors as team_selectors


@require_GET
def school_list(request):
    schools = selectors.schools_with_counts(actor=request.actor)
    return render(request, "schools/school_list.html", {"schools": schools})


@require_GET
def school_detail(request, school_pk: int):
    actor = request.actor
    school = selectors.get_school(actor=actor, school_pk=school_pk)
    whole_school = selectors.can_view_whole_school(actor, school.pk)
    year = selectors.current_school_year(district=request.district)
    context = {
        "school": school,
        "school_year": year,
        "classrooms": selectors.school_classrooms(actor=actor, school=school, school_year=year),
        "whole_school": whole_school,
        "grade_counts": selectors.school_grade_counts(school=school) if whole_school else [],
        "staff": selectors.school_staff(school=school) if whole_school else [],
    }
    return render(request, "schools/school_detail.html", context)


@require_GET
def classroom_detail(request, classroom_pk: int):
    classroom = selectors.get_classroom(actor=request.actor, classroom_pk=classroom_pk)
    context = {
        "classroom": classroom,
        "students": selectors.classroom_students(actor=request.actor, classroom=classroom),
        "teachers": selectors.classroom_teachers(classroom=classroom),
        # The grid's own rule: offering a button that answers 403 was a dead end.
        "can_enter_results": screener_permissions.can_enter_for_classroom(request.actor, classroom),
    }
    return render(request, "schools/classroom_detail.html", context)


@require_GET
def student_detail(request, student_pk: int):
    student = selectors.get_student(actor=request.actor, student_pk=student_pk)
    context = {
        "student": student,
        "flags": selectors.visible_flags(actor=request.actor, student=student),
        "other_schools": selectors.student_other_schools(student=student),
        "enrolments": selectors.student_enrolments(
            student=student, on=selectors.district_today(request.district)
        ),
        "screener_history": screener_selectors.student_history(student=student),
        "discussions": team_selectors.student_discussions(actor=request.actor, student=student),
        "celebrations": team_selectors.student_celebrations(actor=request.actor, student=student),
        "same_issue_mentions": team_selectors.student_same_issue_mentions(
            actor=request.actor, student=student
        ),
        "follow_up": team_selectors.student_follow_up(actor=request.actor, student=student),
    }
    return render(request, "schools/student_detail.html", context)


@require_GET
def student_search(request):
    form = StudentSearchForm(request.GET)
    query = form.data.get("q", "").strip()[:100]
    results = selectors.search_students(actor=request.actor, query=query) if query else []
    template = "schools/student_search.html"
    # A history restore (Back after a cache miss) swaps the answer into <body>: whole page.
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, {"form": form, "query": query, "results": results})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _require_import(request) -> None:
    if not request.actor.can(Capability.IMPORT_DATA):
        raise PermissionDenied


def _get_import(request, import_pk: int) -> RosterImport:
    return selectors.get_roster_import(district_id=request.district.pk, import_pk=import_pk)


@require_http_methods(["GET", "POST"])
def import_list(request):
    _require_import(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        try:
            roster_import = services.roster_import_upload(
                district=request.district, actor=request.actor, name=upload.name,
                data=upload.read(), kind=kind, user=request.user,
                check=kind == RosterImport.Kind.ONEROSTER,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(roster_import.get_absolute_url())
    imports = selectors.roster_imports(district_id=request.district.pk)[:50]
    return render(request, "schools/import_list.html", {"form": form, "imports": imports})


@require_GET
def import_detail(request, import_pk: int):
    _require_import(request)
    roster_import = selectors.get_roster_import(
        district_id=request.district.pk, import_pk=import_pk
    )
    if (
        roster_import.kind == RosterImport.Kind.STUDENTS
        and roster_import.status == RosterImport.Status.UPLOADED
    ):
        return redirect("schools:import_mapping", district_slug=request.district.slug,
                        import_pk=roster_import.pk)  # fmt: skip
    return render(request, "schools/import_detail.html", _import_context(roster_import))


ROLE_CHANGES_SHOWN = 200


def _import_context(roster_import: RosterImport) -> dict:
    preview = roster_import.counts or roster_import.preview
    return {
        "import": roster_import,
        "progress": services.import_progress(roster_import),
        "rows": [(entity.replace("_", " "), c) for entity, c in preview.items()],
        "no_changes": bool(preview)
        and all(not any(c.values()) for c in preview.values())
        and not roster_import.relink,
        "problems": roster_import.problems[:200],
        "role_changes": roster_import.role_changes[:ROLE_CHANGES_SHOWN],
        # A ready import shows the mass-withdrawal warning beside its checkbox instead.
        "warnings": [
            w
            for w in roster_import.warnings
            if roster_import.status != RosterImport.Status.READY
            or w != roster_import.mass_withdrawal
        ],
        "uninvited": selectors.uninvited_count(roster_import=roster_import),
        "confirm_form": ImportConfirmForm(),
    }


@require_GET
def import_progress(request, import_pk: int):
    _require_import(request)
    roster_import = selectors.get_roster_import(
        district_id=request.district.pk, import_pk=import_pk
    )
    # While busy the panel carries its own polling; once finished it does not, so it stops.
    return render(request, "schools/import_detail.html#status", _import_context(roster_import))


@require_http_methods(["GET", "POST"])
def import_mapping(request, import_pk: int):
    _require_import(request)
    district = request.district
    roster_import = selectors.get_roster_import(district_id=district.pk, import_pk=import_pk)
    if roster_import.kind != RosterImport.Kind.STUDENTS:
        return redirect(roster_import.get_absolute_url())
    with roster_import.file.open("rb") as handle:
        data = handle.read()
    flags = list(StudentFlag.objects.for_district(district.pk))
    problems: list = []
    headers: list[str] = []
    try:
        sheets = sheet_names(roster_import.original_name, data)
        chosen = request.POST.get("sheet") or request.GET.get("sheet")
        sheet = chosen or roster_import.options.get("sheet") or (sheets[0] if sheets else None)
        headers = list(read_table(roster_import.original_name, data, sheet=sheet).columns)
    except RosterRejected as rejected:
        problems, sheets, sheet = rejected.problems, [], None
    initial = {**guess_mapping(headers, [f.code for f in flags]),
               **roster_import.options.get("mapping", {}), "sheet": sheet,
               "date_order": roster_import.options.get("date_order", "iso")}  # fmt: skip
    form = ColumnMappingForm(
        request.POST or None, initial=initial, headers=headers,
        sheets=sheets if len(sheets) > 1 else [], flags=flags,
    )  # fmt: skip
    if request.method == "POST" and not problems and form.is_valid():
        try:
            services.roster_import_set_mapping(
                actor=request.actor, roster_import=roster_import, mapping=form.mapping(),
                sheet=form.cleaned_data.get("sheet") or sheet or "",
                full_sync=form.cleaned_data["full_sync"],
                date_order=form.cleaned_data["date_order"] or "iso",
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect(roster_import.get_absolute_url())
    context = {"import": roster_import, "form": form, "problems": problems, "headers": headers}
    return render(request, "schools/import_mapping.html", context)


@require_POST
def import_confirm(request, import_pk: int):
    _require_import(request)
    roster_import = selectors.get_roster_import(
        district_id=request.district.pk, import_pk=import_pk
    )
    form = ImportConfirmForm(request.POST)
    form.is_valid()  # a lone checkbox: unticked or missing is simply False
    try:
        services.roster_import_confirm(
            actor=request.actor, roster_import=roster_import, user=request.user,
            allow_mass_withdrawal=form.cleaned_data.get("allow_mass_withdrawal", False),
            allow_relink=form.cleaned_data.get("allow_relink", False),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(roster_import.get_absolute_url())


@require_POST
def import_send_invitations(request, import_pk: int):
    _require_import(request)
    roster_import = selectors.get_roster_import(
        district_id=request.district.pk, import_pk=import_pk
    )
    sent = services.roster_import_send_invitations(
        district=request.district, actor=request.actor, roster_import=roster_import
    )
    messages.success(request, f"Invitation sent to {len(sent)} people." if sent else
                     "Nobody was waiting for an invitation.")  # fmt: skip
    return redirect(roster_import.get_absolute_url())


@require_GET
def import_problems_csv(request, import_pk: int):
    _require_import(request)
    roster_import = selectors.get_roster_import(
        district_id=request.district.pk, import_pk=import_pk
    )
    return problems_csv_response(roster_import.problems, f"import-{roster_import.pk}-problems.csv")


PEOPLE_PER_PAGE = 50


def _people_data(roster_import: RosterImport) -> bytes:
    if not roster_import.people_file:
        return b""
    with roster_import.people_file.open("rb") as handle:
        return handle.read()


@require_GET
def import_people(request, import_pk: int):
    """Who the import creates, changes and withdraws: searchable, by pages of 50."""
    _require_import(request)
    roster_import = _get_import(request, import_pk)
    form = ImportPeopleFilterForm(request.GET)
    people = [p for p in read_people(_people_data(roster_import)) if form.matches(p)]
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"import": roster_import, "form": form, "page": page}
    return render(request, "schools/import_people.html", context)


@require_GET
def import_people_csv(request, import_pk: int):
    _require_import(request)
    roster_import = _get_import(request, import_pk)
    response = HttpResponse(_people_data(roster_import), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{roster_import.pk}-people.csv"'
    return response
