"""Which requests leave an audit event, decided in one place by URL name.

Every successful read of a district page or API route is recorded (one INSERT per request,
never one per row shown), except the routes in ``NOT_STUDENT_DATA``, which show no student
or note: tests/audit/test_every_student_read_is_audited.py walks every route and fails when
one of those shows a student, or when any other route that does was not recorded. Writes are
recorded by database triggers (every row of the student-record tables and memberships, bulk
writes included), and imports by name here. Under a support grant everything is recorded,
refused writes included.
"""

from __future__ import annotations

from crsys.audit.models import Action
from crsys.audit.selectors import STUDENT_OF, student_of
from crsys.audit.services import event_record

#: Reads that show no student and no note: configuration, the district's own words, polling.
NOT_STUDENT_DATA = frozenset(
    {
        "districts:members", "districts:member",
        "schools:school_list", "schools:import_progress",
        "screeners:screener_list", "screeners:screener", "screeners:schedule",
        "teams:team_list", "teams:common_language", "teams:common_language_pdf",
        "teams:team_create",
        "continuum:grid", "continuum:poster", "continuum:support", "continuum:support_new",
        "continuum:support_edit", "continuum:common", "continuum:setup",
        "continuum:focus_area_add", "continuum:focus_area_change", "continuum:tier_add",
        "continuum:tier_change",
        "audit:support",
        "api:me", "api:membership-list", "api:membership-detail", "api:school-list",
        "api:school-detail", "api:schoolyear-list", "api:schoolyear-detail",
        "api:screener-list", "api:screener-detail", "api:screeningwindow-list",
        "api:screeningwindow-detail", "api:focusarea-list", "api:focusarea-detail",
        "api:tier-list", "api:tier-detail", "api:support-list", "api:support-detail",
        "api:teamlayer-list", "api:teamlayer-detail", "api:team-list", "api:team-detail",
    }
)  # fmt: skip

#: Writes that load data in bulk; their rows are also recorded one by one by the triggers.
IMPORTS = frozenset(
    {
        "schools:import_list", "schools:import_confirm", "screeners:result_import_upload",
        "screeners:result_import_commit", "api:result-bulk",
    }
)  # fmt: skip

READ_METHODS = frozenset({"GET", "HEAD"})
EXPORT_SUFFIXES = (".csv", ".pdf")


def _object_of(kwargs: dict) -> tuple[str, str]:
    """The last object the URL names: ('discussion', '12') from …/discussions/12/."""
    named = [(k.removesuffix("_pk"), v) for k, v in kwargs.items() if k.endswith("_pk")]
    if not named:
        return "", ""
    object_type, object_id = named[-1]
    return object_type, str(object_id)


def decide(request, response) -> Action | None:
    """The action to record for a finished district request, or None."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    actor = getattr(request, "actor", None)
    under_support = getattr(actor, "support_grant_id", None) is not None
    if response.status_code >= 400:
        return Action.REFUSED if under_support else None
    if request.method in READ_METHODS:
        if match.view_name in NOT_STUDENT_DATA and not under_support:
            return None
        return Action.EXPORT if request.path.endswith(EXPORT_SUFFIXES) else Action.VIEW
    if match.view_name in IMPORTS:
        return Action.IMPORT
    # Other writes: the triggers record the rows; under support nothing writes (refused).
    return Action.REFUSED if under_support else None


def request_record(request, response) -> None:
    """Append the event a finished request calls for (at most one)."""
    district = getattr(request, "district", None)
    if district is None:
        return
    action = decide(request, response)
    if action is None:
        return
    match = request.resolver_match
    kwargs = {**match.kwargs}
    kwargs.pop("district_slug", None)
    object_type, object_id = _object_of(kwargs)
    student_id = int(object_id) if object_type == "student" else None
    actor = request.actor
    detail = {"route": match.view_name, "method": request.method}
    if response.status_code >= 400:
        detail["status"] = response.status_code
    # After the request's own transaction: one INSERT (for a discussion, plan, score or
    # referral, with the read of its student inside it), never one per row shown.
    if student_id is None and object_type in STUDENT_OF:
        student_id = student_of(district=district, object_type=object_type, object_id=object_id)
    event_record(
        district_id=district.pk, user=request.user, action=action, request=request,
        object_type=object_type or match.view_name.split(":")[-1], object_id=object_id,
        student_id=student_id, support_grant_id=getattr(actor, "support_grant_id", None),
        detail=detail,
    )  # fmt: skip
