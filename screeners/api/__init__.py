"""Screeners API: configuration (district admins), results (bulk upsert, all or nothing with
per-item errors), and snapshots (the same reads as the dashboards)."""

from screeners.api.results import (
    BulkResultsRefusedSerializer,
    BulkResultsSerializer,
    BulkWarningSerializer,
    ResultItemSerializer,
    ResultSerializer,
    ResultViewSet,
)
from screeners.api.screeners import (
    BandInputSerializer,
    BandSerializer,
    BandsInputSerializer,
    ScreenerSerializer,
    ScreenerViewSet,
)
from screeners.api.snapshots import (
    BandCountSerializer,
    ClassroomSnapshotsView,
    SchoolSnapshotsView,
    SnapshotSerializer,
    StudentSnapshotsView,
)
from screeners.api.windows import (
    WindowSerializer,
    WindowViewSet,
)

__all__ = [
    "BandSerializer",
    "ScreenerSerializer",
    "BandInputSerializer",
    "BandsInputSerializer",
    "ScreenerViewSet",
    "WindowSerializer",
    "WindowViewSet",
    "ResultSerializer",
    "ResultItemSerializer",
    "BulkResultsSerializer",
    "BulkWarningSerializer",
    "BulkResultsRefusedSerializer",
    "ResultViewSet",
    "SnapshotSerializer",
    "StudentSnapshotsView",
    "ClassroomSnapshotsView",
    "BandCountSerializer",
    "SchoolSnapshotsView",
]
