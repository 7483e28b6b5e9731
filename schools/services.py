"""Writes about schools and rosters."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from crsys.imports import progress
from crsys.imports.problems import InputRejected, Problem
from crsys.imports.uploads import refuse_unstorable
from crsys.tenancy.context import district_context
from districts.models import District, Membership, User
from districts.permissions import SYSTEM, Actor, Capability, SystemActor, require
from schools.models import (
    Classroom,
    Enrolment,
    PendingMembership,
    RosterImport,
    School,
    SchoolYear,
    StaffAssignment,
    Student,
    StudentFlagValue,
)
from schools.roster.apply import ImportRun, Outcome, apply_tables
from schools.roster.load import load_tables
from schools.roster.people import people_csv

logger = logging.getLogger(__name__)
# Tables a roster commit writes (SQLite checks foreign keys per table; PostgreSQL all at once).
ROSTER_MODELS = [
    School,
    SchoolYear,
    Classroom,
    Student,
    Enrolment,
    StaffAssignment,
    StudentFlagValue,
    PendingMembership,
    Membership,
    User,
]


def _require_import_rights(actor: Actor | SystemActor) -> None:
    require(actor, Capability.IMPORT_DATA, "Only a district admin imports rosters.")


def progress_key(import_id: int) -> str:
    return progress.progress_key("roster-import", import_id)


def import_progress(roster_import: RosterImport) -> dict:
    return progress.read_progress(progress_key(roster_import.pk)) or progress.WAITING


@transaction.atomic
def roster_import_upload(
    *,
    district: District,
    actor: Actor | SystemActor,
    name: str,
    data: bytes,
    kind: str,
    options: dict | None = None,
    user=None,
    source: str = "web",
    check: bool = True,
) -> RosterImport:
    """Store an upload and (after commit) queue its dry run. A students spreadsheet waits
    for its column mapping first (``check=False``)."""
    _require_import_rights(actor)
    refuse_unstorable(Path(name).name, len(data), job=RosterImport)
    roster_import = RosterImport(
        district=district,
        created_by=user,
        kind=kind,
        original_name=Path(name).name,
        options=options or {},
        source=source,
    )
    roster_import.file.save(f"{district.slug}-{Path(name).name}", ContentFile(data), save=False)
    roster_import.save()
    if check:
        _queue_check(roster_import)
    return roster_import


def _queue_check(roster_import: RosterImport) -> None:
    from schools.tasks import check_roster_import

    district_id, import_id = roster_import.district_id, roster_import.pk
    progress.set_progress(progress_key(import_id), 0, "Queued")
    transaction.on_commit(
        lambda: check_roster_import.delay(district_id=district_id, import_id=import_id)
    )


@transaction.atomic
def roster_import_set_mapping(
    *,
    actor: Actor,
    roster_import: RosterImport,
    mapping: dict,
    sheet: str,
    full_sync: bool,
    date_order: str = "iso",
) -> RosterImport:
    _require_import_rights(actor)
    if roster_import.status not in {RosterImport.Status.UPLOADED, RosterImport.Status.INVALID,
                                    RosterImport.Status.READY}:  # fmt: skip
        raise ValidationError("This import can no longer be changed.")
    roster_import.options = {"mapping": mapping, "sheet": sheet, "full_sync": full_sync,
                             "date_order": date_order}  # fmt: skip
    roster_import.status = RosterImport.Status.CHECKING
    roster_import.save(update_fields=["options", "status", "updated_at"])
    _queue_check(roster_import)
    return roster_import


@transaction.atomic
def roster_import_confirm(
    *,
    actor: Actor,
    roster_import: RosterImport,
    user=None,
    allow_mass_withdrawal: bool = False,
    allow_relink: bool = False,
) -> RosterImport:
    """Queue the commit of a checked import (all or nothing, in Celery). An import that would
    withdraw more than the allowed share needs ``allow_mass_withdrawal``; one that re-links
    stored students to new sourcedIds needs ``allow_relink``."""
    from schools.tasks import commit_roster_import

    _require_import_rights(actor)
    locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if locked.status != RosterImport.Status.READY:
        raise ValidationError("Only a checked import without errors can be committed.")
    allow_mass_withdrawal_of(locked, allow=allow_mass_withdrawal)
    allow_relink_of(locked, allow=allow_relink)
    locked.status = RosterImport.Status.COMMITTING
    locked.committed_by = user
    locked.save(update_fields=["status", "committed_by", "options", "updated_at"])
    district_id, import_id = locked.district_id, locked.pk
    progress.set_progress(progress_key(import_id), 0, "Queued")
    transaction.on_commit(
        lambda: commit_roster_import.delay(district_id=district_id, import_id=import_id)
    )
    return locked


def allow_mass_withdrawal_of(roster_import: RosterImport, *, allow: bool) -> None:
    """Record the admin's confirmation of a mass withdrawal, or refuse without it (not saved:
    the caller saves with its own change)."""
    if roster_import.mass_withdrawal and not allow:
        raise ValidationError(
            f"{roster_import.mass_withdrawal} To commit anyway, confirm the withdrawal."
        )
    roster_import.options = {**roster_import.options, "allow_mass_withdrawal": allow}


def allow_relink_of(roster_import: RosterImport, *, allow: bool) -> None:
    """Record the admin's confirmation of the re-link, or refuse without it (not saved)."""
    if roster_import.relink and not allow:
        raise ValidationError(f"{roster_import.relink} To commit, confirm the re-link.")
    roster_import.options = {**roster_import.options, "allow_relink": allow}


@transaction.atomic
def roster_import_allow(
    *,
    actor: Actor | SystemActor,
    roster_import: RosterImport,
    mass_withdrawal: bool,
    relink: bool,
) -> RosterImport:
    """Record the confirmations a checked import needs before ``roster_import_commit`` runs
    in this process (the command line's flags); refused, as the page refuses, without them."""
    _require_import_rights(actor)
    allow_mass_withdrawal_of(roster_import, allow=mass_withdrawal)
    allow_relink_of(roster_import, allow=relink)
    roster_import.save(update_fields=["options", "updated_at"])
    return roster_import


def _run_as(roster_import: RosterImport) -> ImportRun:
    actors = {i for i in (roster_import.created_by_id, roster_import.committed_by_id) if i}
    return ImportRun(
        actor_user_ids=frozenset(actors),
        allow_mass_withdrawal=bool(roster_import.options.get("allow_mass_withdrawal")),
        allow_relink=bool(roster_import.options.get("allow_relink")),
        roster_import_id=roster_import.pk,
    )


def _record_outcome(roster_import: RosterImport, outcome: Outcome, tables) -> None:
    roster_import.warnings = tables.warnings + outcome.warnings
    roster_import.source_version = tables.source_version
    roster_import.role_changes = outcome.role_changes
    roster_import.mass_withdrawal = outcome.mass_withdrawal
    roster_import.relink = outcome.relink
    if outcome.mass_withdrawal:
        roster_import.warnings.append(outcome.mass_withdrawal)
    _record_people(roster_import, outcome.people)


def _record_people(roster_import: RosterImport, people: list[dict]) -> None:
    """The list of people as a CSV file on the import (the commit's replaces the dry run's)."""
    if roster_import.people_file:
        roster_import.people_file.delete(save=False)
    roster_import.people_count = len(people)
    if people:
        roster_import.people_file.save(
            f"import-{roster_import.pk}-people.csv", ContentFile(people_csv(people)), save=False
        )


def _read(roster_import: RosterImport) -> bytes:
    with roster_import.file.open("rb") as handle:
        return handle.read()


def roster_import_check(*, roster_import: RosterImport) -> RosterImport:
    """The dry run: what the commit would do, and every problem, writing nothing else.

    Runs inside the district's context (the task's or the command's)."""
    report = progress.reporter(progress_key(roster_import.pk))
    report(1, "Reading the file")
    roster_import.status = RosterImport.Status.CHECKING
    try:
        with transaction.atomic():
            tables = load_tables(
                district_id=roster_import.district_id,
                kind=roster_import.kind,
                name=roster_import.original_name,
                data=_read(roster_import),
                options=roster_import.options,
            )
            outcome = apply_tables(
                district_id=roster_import.district_id, tables=tables, commit=False,
                progress=report, run_as=_run_as(roster_import),
            )  # fmt: skip
            roster_import.preview = outcome.counts
            _record_outcome(roster_import, outcome, tables)
            transaction.set_rollback(True)  # a dry run writes nothing, whatever happened
    except InputRejected as rejected:
        roster_import.record_problems(rejected.problems)
        roster_import.preview, roster_import.role_changes = {}, []
        roster_import.mass_withdrawal = roster_import.relink = ""
        _record_people(roster_import, [])
        roster_import.status = RosterImport.Status.INVALID
    else:
        roster_import.record_problems([])
        roster_import.status = RosterImport.Status.READY
    roster_import.save()
    report(100, roster_import.get_status_display())
    return roster_import


def roster_import_commit(*, roster_import: RosterImport) -> RosterImport:
    """Apply the import in one transaction: all of it, or (on any problem) none of it."""
    if roster_import.status == RosterImport.Status.COMMITTED:
        return roster_import  # a re-delivered task: already done
    report = progress.reporter(progress_key(roster_import.pk))
    report(1, "Reading the file")
    try:
        with transaction.atomic():
            # One import at a time per district: a second waits here.
            District.objects.select_for_update().get(pk=roster_import.district_id)
            tables = load_tables(
                district_id=roster_import.district_id,
                kind=roster_import.kind,
                name=roster_import.original_name,
                data=_read(roster_import),
                options=roster_import.options,
            )
            outcome = apply_tables(
                district_id=roster_import.district_id, tables=tables, commit=True,
                progress=report, run_as=_run_as(roster_import),
            )  # fmt: skip
            # Foreign keys are checked at the end of the transaction, which may be the
            # caller's (a task's district context): check them here, where a failure still
            # rolls back only this import and marks it failed, instead of "Committing" forever.
            connection.check_constraints(table_names=[m._meta.db_table for m in ROSTER_MODELS])
            roster_import.counts = outcome.counts
            _record_outcome(roster_import, outcome, tables)
            roster_import.status = RosterImport.Status.COMMITTED
            roster_import.committed_at = timezone.now()
            roster_import.record_problems([])
            roster_import.save()
    except InputRejected as rejected:
        roster_import.counts, roster_import.committed_at = {}, None
        roster_import.record_problems(rejected.problems)
        roster_import.status = RosterImport.Status.INVALID
        roster_import.save()
    except Exception as error:
        logger.exception("roster import %s failed", roster_import.pk)
        roster_import.counts, roster_import.committed_at = {}, None
        roster_import.record_problems(
            [Problem(roster_import.original_name, None, None,
                     f"the import failed while writing ({type(error).__name__}) and nothing was "
                     "written; the details are in the server log")],
        )  # fmt: skip
        roster_import.status = RosterImport.Status.FAILED
        roster_import.save()
    report(100, roster_import.get_status_display())
    return roster_import


@transaction.atomic
def roster_import_send_invitations(
    *, district: District, actor: Actor | SystemActor, roster_import: RosterImport
) -> list[str]:
    """E-mail the people an import invites, once each: only when the admin asks (an import
    never mails an account outside the district on its own). Returns the addresses."""
    from schools.tasks import send_membership_invitation

    _require_import_rights(actor)
    pending = PendingMembership.objects.filter(roster_import=roster_import, invited_at__isnull=True)
    user_ids = sorted(set(pending.values_list("user_id", flat=True)))
    pending.update(invited_at=timezone.now())
    for user_id in user_ids:
        transaction.on_commit(
            partial(send_membership_invitation.delay, district_id=district.pk, user_id=user_id)
        )
    return list(User.objects.filter(pk__in=user_ids).order_by("email").values_list(
        "email", flat=True))  # fmt: skip


def invitation_accept(*, user, district: District) -> list[Membership]:
    """The invited person's yes: each role offered becomes a membership. Runs in the
    district's context; the person is the actor, and only their own invitations count."""
    from districts.services import membership_grant

    with district_context(district, user=user):
        pending = list(
            PendingMembership.objects.filter(user=user).select_related("school").order_by("pk")
        )
        if not pending:
            raise Http404("No such invitation.")
        granted = [
            # The grant is the invited person's own acceptance of an admin's offer, not an
            # act of theirs that needs a capability: the platform carries it out.
            membership_grant(
                district=district, user=user, role=p.role, school=p.school, actor=SYSTEM
            )
            for p in pending
        ]
        PendingMembership.objects.filter(pk__in=[p.pk for p in pending]).delete()
    return granted


def invitation_decline(*, user, district: District) -> None:
    with district_context(district, user=user):
        deleted, _ = PendingMembership.objects.filter(user=user).delete()
    if not deleted:
        raise Http404("No such invitation.")
