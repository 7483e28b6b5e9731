"""The district's audit log for its admins: search, CSV export, a student's viewers, and
support access granted to platform staff."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crsys.audit import selectors, services
from crsys.audit.forms import EventFilterForm, SupportGrantForm
from crsys.imports.problems import csv_safe
from districts.permissions import Capability, capability_required
from schools.selectors import get_student

EVENTS_PER_PAGE = 50
#: A CSV export holds at most this many events; narrow the search for more.
CSV_MAX_ROWS = 100_000
CSV_COLUMNS = [
    "occurred_at", "actor_id", "actor_email", "action", "object_type", "object_id",
    "student_id", "client_address", "path", "support_grant_id",
]  # fmt: skip


def _search(request):
    form = EventFilterForm(request.GET)
    filters = form.filters()
    student = None
    if "student" in filters:
        student = get_student(actor=request.actor, student_pk=filters.pop("student"))
    rows = selectors.event_search(district=request.district, student=student, **filters)
    return form, rows, student


@require_GET
@capability_required(Capability.MANAGE_USERS)
def events(request):
    form, rows, student = _search(request)
    page = Paginator(rows, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "student": student, "query": request.GET.urlencode()}
    return render(request, "audit/events.html", context)


@require_GET
@capability_required(Capability.MANAGE_USERS)
def events_csv(request):
    _form, rows, _student = _search(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{request.district.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows.values_list(*CSV_COLUMNS)[:CSV_MAX_ROWS].iterator(chunk_size=2000):
        writer.writerow([csv_safe(value) for value in row])
    return response


@require_GET
@capability_required(Capability.MANAGE_USERS)
def student_viewers(request, student_pk: int):
    student = get_student(actor=request.actor, student_pk=student_pk)
    rows = selectors.student_viewers(district=request.district, student=student)
    page = Paginator(rows, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/student.html", {"student": student, "page": page})


def _support_url(request) -> str:
    return reverse("audit:support", kwargs={"district_slug": request.district.slug})


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_USERS)
def support(request):
    form = SupportGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        staff = get_user_model().objects.find_by_email(form.cleaned_data["staff_email"])
        try:
            if staff is None:
                raise ValidationError({"staff_email": "No platform staff account has it."})
            services.support_grant_create(
                district=request.district, actor=request.actor, staff_user=staff,
                hours=form.cleaned_data["hours"], reason=form.cleaned_data["reason"],
                request=request,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{staff.email} may read this district for now.")
            return redirect(
                reverse("audit:support", kwargs={"district_slug": request.district.slug})
            )
    grants = list(selectors.district_grants(district=request.district)[:50])
    by_grant: dict[int, list] = {g.pk: [] for g in grants}
    for event in selectors.grant_events(district=request.district, grant_ids=by_grant)[:1000]:
        by_grant[event.support_grant_id].append(event)
    context = {"form": form, "grants": [(g, by_grant[g.pk]) for g in grants]}
    status = 400 if form.errors else 200
    return render(request, "audit/support.html", context, status=status)


@require_POST
@capability_required(Capability.MANAGE_USERS)
def support_revoke(request, supportgrant_pk: int):
    grant = selectors.get_grant(district=request.district, grant_pk=supportgrant_pk)
    services.support_grant_revoke(
        district=request.district, actor=request.actor, grant=grant, request=request
    )
    messages.success(request, f"Support access for {grant.staff_user.email} has ended.")
    return redirect(_support_url(request))
