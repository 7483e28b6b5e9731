"""The roster import's own rows: each upload with what its dry run and commit found, and
the roles it offers to people whose accounts are not this district's to attach (ADR 3, ADR 7).
Part of the schools app's models (``schools.models`` imports them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from crsys.imports.models import ImportJob
from crsys.tenancy.models import TenantModel
from districts.models import Role


class RosterImport(ImportJob):
    """One roster upload: its dry run, its commit, and what they found (import history)."""

    class Kind(models.TextChoices):
        ONEROSTER = "oneroster", "OneRoster bundle (zip)"
        STUDENTS = "students", "Students spreadsheet (CSV or XLSX)"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        CHECKING = "checking", "Checking"
        READY = "ready", "Ready to commit"
        INVALID = "invalid", "Has errors"
        COMMITTING = "committing", "Committing"
        COMMITTED = "committed", "Committed"
        FAILED = "failed", "Failed"

    source = models.CharField(max_length=16, default="web", help_text="web or command line")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to="roster-imports/%Y/%m/", max_length=300)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    #: Roles the import gives, removes or offers, by name (the dry run's, then the commit's).
    role_changes = models.JSONField(default=list, blank=True)
    #: Set when the import would withdraw more than the allowed share of students or staff: the
    #: words the dry run shows; the commit then needs the admin's explicit confirmation.
    mass_withdrawal = models.TextField(blank=True)
    #: Set when the import would re-link stored students to the file's sourcedIds by student
    #: number: the words the dry run shows; the commit then needs the admin's confirmation.
    relink = models.TextField(blank=True)
    #: What the file says it is ("OneRoster 1.2"), as the dry run read it.
    source_version = models.CharField(max_length=40, blank=True)
    #: The people the import creates, changes (field: before -> after) and withdraws, as a
    #: CSV file: a first import lists every student, too many for a JSON column.
    people_file = models.FileField(upload_to="roster-imports/people/%Y/%m/", max_length=300,
                                   blank=True)  # fmt: skip
    people_count = models.PositiveIntegerField(default=0)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    BUSY = frozenset({Status.UPLOADED, Status.CHECKING, Status.COMMITTING})

    class Meta(ImportJob.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse(
            "schools:import_detail",
            kwargs={"district_slug": self.district.slug, "import_pk": self.pk},
        )


class PendingMembership(TenantModel):
    """A role a roster import would give to someone whose account is not this district's to
    attach (a member of another district, or a platform operator). It grants nothing: it
    becomes a ``Membership`` only when that person signs in and accepts (ADR 7)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: When the admin chose to e-mail the invitation (never sent by an import on its own).
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user_id", "role", "school_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "user", "role", "school"], name="pending_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} invited as {self.role} at {self.school_id}"
