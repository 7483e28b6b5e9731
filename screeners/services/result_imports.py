"""Results files (CSV/XLSX): checked in Celery, committed all or nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from crsys.imports.problems import InputRejected, Problem
from crsys.imports.uploads import refuse_unstorable
from districts.models import Membership, Role
from districts.permissions import Actor, Capability, Grant, SystemActor, actor_from_memberships
from districts.permissions import require as _require
from screeners.models import ScreeningWindow


def result_import_upload(
    *,
    actor: Actor | SystemActor,
    window: ScreeningWindow,
    name: str,
    data: bytes,
    sheet: str = "",
    user=None,
    check: bool = True,
):
    from django.core.files.base import ContentFile

    from screeners.models import ResultImport

    _require(actor, Capability.IMPORT_DATA)
    refuse_unstorable(name, len(data), job=ResultImport)
    result_import = ResultImport(
        district_id=window.district_id,
        window=window,
        created_by=user,
        original_name=name,
        sheet=sheet,
    )
    result_import.file.save(name, ContentFile(data), save=False)
    result_import.save()
    if check:
        from screeners.tasks import check_result_import

        ids = {"district_id": window.district_id, "import_id": result_import.pk}
        transaction.on_commit(lambda: check_result_import.delay(**ids))
    return result_import


def _run_result_import(result_import, *, commit: bool, today):
    from screeners.models import ResultImport
    from screeners.results_import import apply_results, check_results, read_results

    with result_import.file.open("rb") as handle:
        data = handle.read()
    try:
        with transaction.atomic():
            frame, columns = read_results(
                result_import.original_name, data, sheet=result_import.sheet or None
            )
            if "screener" not in columns:  # wide: the mapping step offers its columns
                result_import.columns = [
                    str(c) for c in frame.columns if c != columns["student_number"]
                ]
            checked = check_results(
                result_import.original_name,
                frame,
                columns,
                window=result_import.window,
                actor=_importer(result_import),
                today=today,
                column_map=result_import.column_map,
            )
            counts = apply_results(
                window=result_import.window,
                checked=checked,
                commit=commit,
                today=today,
                entered_by_id=result_import.created_by_id,
            )
            if not commit:
                transaction.set_rollback(True)
    except InputRejected as rejected:
        result_import.record_problems(rejected.problems)
        result_import.status = ResultImport.Status.INVALID
    except Exception:
        import logging

        logging.getLogger(__name__).exception("results import %s failed", result_import.pk)
        problem = Problem(
            result_import.original_name,
            None,
            None,
            "the import failed unexpectedly and nothing was written",
        )
        result_import.record_problems([problem])
        result_import.status = ResultImport.Status.FAILED
    else:
        result_import.warnings = checked.warnings
        result_import.record_problems([])
        if commit:
            from django.utils import timezone

            result_import.counts = counts
            result_import.status = ResultImport.Status.COMMITTED
            result_import.committed_at = timezone.now()
        else:
            result_import.preview = counts
            result_import.status = ResultImport.Status.READY
    result_import.save()
    return result_import


def _importer(result_import) -> Actor:
    """Whose rights a results file is judged by: its uploader's now (a membership ended since
    the upload enters nothing), or, for the command line, which has no uploader, a district
    administrator's."""
    user = result_import.created_by
    if user is None:
        grant = Grant(role=Role.DISTRICT_ADMIN, school_id=None)
        return Actor(
            user_id=0,
            district_id=result_import.district_id,
            grants=(grant,),
            time_zone=result_import.district.time_zone,
        )
    memberships = Membership.objects.filter(user=user)
    return actor_from_memberships(user, result_import.district, memberships)


def result_import_check(*, result_import, today):
    return _run_result_import(result_import, commit=False, today=today)


def result_import_commit(*, result_import, today):
    from screeners.models import ResultImport

    if result_import.status == ResultImport.Status.COMMITTED:
        return result_import
    return _run_result_import(result_import, commit=True, today=today)


@transaction.atomic
def result_import_map_columns(*, actor: Actor, result_import, column_map: dict[str, int]):
    """The mapping step: which screener each column of a wide file scores (0: none); the
    file is checked again with it."""
    from screeners.models import ResultImport
    from screeners.tasks import check_result_import

    _require(actor, Capability.IMPORT_DATA)
    locked = ResultImport.objects.select_for_update().get(pk=result_import.pk)
    if locked.status not in {ResultImport.Status.READY, ResultImport.Status.INVALID}:
        raise ValidationError("Only a checked file can have its columns mapped.")
    locked.column_map = {c: pk for c, pk in column_map.items() if c in locked.columns}
    locked.status = ResultImport.Status.CHECKING
    locked.save(update_fields=["column_map", "status", "updated_at"])
    ids = {"district_id": locked.district_id, "import_id": locked.pk}
    transaction.on_commit(lambda: check_result_import.delay(**ids))
    return locked


@transaction.atomic
def result_import_confirm(*, actor: Actor, result_import):
    from screeners.models import ResultImport
    from screeners.tasks import commit_result_import

    _require(actor, Capability.IMPORT_DATA)
    locked = ResultImport.objects.select_for_update().get(pk=result_import.pk)
    if locked.status != ResultImport.Status.READY:
        raise ValidationError("Only a checked file without errors can be committed.")
    locked.status = ResultImport.Status.COMMITTING
    locked.save(update_fields=["status", "updated_at"])
    ids = {"district_id": locked.district_id, "import_id": locked.pk}
    transaction.on_commit(lambda: commit_result_import.delay(**ids))
    return locked
