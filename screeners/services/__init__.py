"""Writes about screeners (STYLE 2): each entity's one write path, which pages, the API,
tasks and imports all call. Split by seam; the names are re-exported here."""

from screeners.services.configuration import (
    bands_copy,
    bands_replace,
    screener_archive,
    screener_delete,
    screener_save,
)
from screeners.services.recompute_requests import (
    RECOMPUTE_DEBOUNCE_SECONDS,
    queue_recompute,
    request_recompute,
)
from screeners.services.result_imports import (
    result_import_check,
    result_import_commit,
    result_import_confirm,
    result_import_map_columns,
    result_import_upload,
)
from screeners.services.results import Outcome, result_record, results_record
from screeners.services.schedule import (
    schedule_copy_from_last_year,
    window_delete,
    window_recompute_request,
    window_save,
    windows_close_due,
)

__all__ = [
    "RECOMPUTE_DEBOUNCE_SECONDS",
    "Outcome",
    "bands_copy",
    "bands_replace",
    "queue_recompute",
    "request_recompute",
    "result_import_check",
    "result_import_commit",
    "result_import_confirm",
    "result_import_map_columns",
    "result_import_upload",
    "result_record",
    "results_record",
    "schedule_copy_from_last_year",
    "screener_archive",
    "screener_delete",
    "screener_save",
    "window_delete",
    "window_recompute_request",
    "window_save",
    "windows_close_due",
]
