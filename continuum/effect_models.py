"""What is working: a precomputed table of screener band movement per support.

Rows are derived (``continuum/effects.py`` rebuilds a window's rows in one INSERT … SELECT
after the window's recompute); pages read them and sum, never the snapshots or the plans.
"""

from __future__ import annotations

from django.db import models

from crsys.tenancy.models import TenantModel

# Derived rows, as the screener snapshots they come from (docs/adr/0004): the foreign keys
# were checked on the rows they are computed from; deletes still cascade through Django.
DERIVED = {"on_delete": models.CASCADE, "related_name": "+", "db_constraint": False}


class SupportEffect(TenantModel):
    """For one support, one pair of consecutive windows, one screener and one group of
    students who started in the same band, grade and school: how many who received the
    support (a planned-for-real plan, active or completed, overlapping the time between the
    windows) moved up, stayed or moved down a band, beside the same counts for the group's
    students who did not receive it. Descriptive counts, not a measured effect."""

    district = models.ForeignKey("districts.District", **DERIVED)
    support = models.ForeignKey("continuum.Support", **DERIVED)
    window = models.ForeignKey("screeners.ScreeningWindow", **DERIVED)
    previous_window = models.ForeignKey("screeners.ScreeningWindow", **DERIVED)
    screener = models.ForeignKey("screeners.Screener", **DERIVED)
    school = models.ForeignKey("schools.School", **DERIVED)
    grade = models.CharField(max_length=8)
    start_rank = models.PositiveSmallIntegerField(help_text="Band rank in the earlier window")
    received = models.PositiveIntegerField()
    received_up = models.PositiveIntegerField()
    received_same = models.PositiveIntegerField()
    received_down = models.PositiveIntegerField()
    others = models.PositiveIntegerField()
    others_up = models.PositiveIntegerField()
    others_same = models.PositiveIntegerField()
    others_down = models.PositiveIntegerField()

    class Meta:
        ordering = ["support_id", "window_id", "screener_id", "start_rank"]
        indexes = [
            models.Index(fields=["district", "support", "window"]),
            models.Index(fields=["district", "window"]),
        ]

    def __str__(self) -> str:
        return f"{self.support_id} {self.window_id}: {self.received_up}/{self.received}"
