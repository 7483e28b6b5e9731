"""The district's audit log and the support access it grants platform staff.

An ``AuditEvent`` is appended, never changed: ``save`` refuses an existing row, ``delete``
and queryset ``update``/``delete`` refuse, and on PostgreSQL a trigger refuses UPDATE,
DELETE and TRUNCATE (docs/adr/0011-audit-log.md). The district column has no foreign key:
the log outlives a deleted district, a deleted student and a deleted user, so it holds ids
and the e-mail address at the time, never references.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from crsys.tenancy.models import TenantManager, TenantModel, TenantQuerySet


class AppendOnly(RuntimeError):
    """An audit event was about to be changed or deleted."""


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    EXPORT = "export", "Exported"
    IMPORT = "import", "Imported"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    PERMISSION_CHANGE = "permission_change", "Permission changed"
    SUPPORT_GRANT = "support_grant", "Support access granted"
    SUPPORT_REVOKE = "support_revoke", "Support access ended"
    REFUSED = "refused", "Refused"


class AuditQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Audit events are never changed.")

    def delete(self):
        raise AppendOnly("Audit events are never deleted (purge_audit_events removes old ones).")


class AuditManager(TenantManager.from_queryset(AuditQuerySet)):
    pass


class AuditEvent(TenantModel):
    # No foreign key (db_constraint=False, DO_NOTHING): the log outlives the district.
    district = models.ForeignKey(
        "districts.District", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    student_id = models.BigIntegerField(null=True, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    #: The platform staff member's support grant this was done under, if any.
    support_grant_id = models.BigIntegerField(null=True, blank=True)
    #: Counts and column names, never the values of a student record.
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditManager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["district", "-occurred_at"], name="audit_district_time"),
            models.Index(fields=["district", "student_id", "-occurred_at"], name="audit_student"),
            models.Index(fields=["district", "actor_id", "-occurred_at"], name="audit_actor"),
            models.Index(fields=["district", "support_grant_id"], name="audit_support"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit events are never deleted.")


class SupportGrant(TenantModel):
    """A district admin's time-boxed, read-only access for one named platform staff member."""

    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=500)
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("starts_at")),
                name="support_grant_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["staff_user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.staff_user} until {self.expires_at:%Y-%m-%d %H:%M}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.starts_at <= now < self.expires_at
