"""Screening pages, by seam: set-up, the result grid, dashboards, results files."""

from screeners.views.dashboards import (
    classroom_dashboard,
    school_dashboard,
    school_dashboard_pdf,
)
from screeners.views.grid import (
    result_cell,
    result_grid,
)
from screeners.views.imports import (
    result_import_commit,
    result_import_detail,
    result_import_map_columns,
    result_import_problems,
    result_import_upload,
)
from screeners.views.setup import (
    schedule,
    screener_copy_bands,
    screener_detail,
    screener_list,
    screener_remove,
    window_detail,
)

__all__ = [
    "screener_list",
    "screener_detail",
    "screener_copy_bands",
    "screener_remove",
    "schedule",
    "window_detail",
    "result_grid",
    "result_cell",
    "classroom_dashboard",
    "school_dashboard",
    "school_dashboard_pdf",
    "result_import_upload",
    "result_import_detail",
    "result_import_map_columns",
    "result_import_commit",
    "result_import_problems",
]
