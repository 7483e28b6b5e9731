"""What a roster import and a results import both are: an uploaded file, checked, then
committed, with the problems and warnings found (``ImportJob``). Abstract: each import keeps
its own table, so no data moves."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crsys.imports.problems import Problem
from crsys.tenancy.models import TenantModel

#: Problems kept on the job (every one is counted); the CSV download lists these.
MAX_STORED_PROBLEMS = 10_000


class ImportJob(TenantModel):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    original_name = models.CharField(max_length=255)
    preview = models.JSONField(default=dict, blank=True)  # counts from the dry run
    counts = models.JSONField(default=dict, blank=True)  # counts written by the commit
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    #: The statuses in which a worker is still busy with the job (each import's own).
    BUSY: frozenset[str] = frozenset()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_busy(self) -> bool:
        return self.status in self.BUSY

    def record_problems(self, problems: list[Problem]) -> None:
        """Keep the first ``MAX_STORED_PROBLEMS`` problems and count them all (not saved)."""
        self.problems = [p.as_dict() for p in problems[:MAX_STORED_PROBLEMS]]
        self.problem_count = len(problems)
