"""Sign-ins and failed sign-ins, recorded in each district the account belongs to; and the
audit table's privileges taken back from the app role after every migrate."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connections

from crsys.audit.models import Action, AuditEvent
from crsys.audit.services import event_record
from districts.models import Membership


def _district_ids(user_id: int) -> list[int]:
    # Outside any district (a sign-in has none): the account's own memberships, all districts.
    rows = Membership.objects.unscoped().filter(user_id=user_id, is_active=True)
    return sorted(set(rows.values_list("district_id", flat=True)))


def signed_in(sender, request, user, **kwargs) -> None:
    for district_id in _district_ids(user.pk):
        event_record(
            district_id=district_id, user=user, action=Action.SIGN_IN, request=request,
            object_type="user", object_id=user.pk,
        )  # fmt: skip


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    email = credentials.get("username") or credentials.get("email") or ""
    if not isinstance(email, str) or not email or "\x00" in email:
        return
    user = get_user_model().objects.find_by_email(email[:254])
    if user is None:
        return  # no account, no district to tell
    for district_id in _district_ids(user.pk):
        event_record(
            district_id=district_id, user=user, action=Action.SIGN_IN_FAILED, request=request,
            object_type="user", object_id=user.pk,
        )  # fmt: skip


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="crsys-audit-sign-in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="crsys-audit-sign-in-failed")


def revoke_audit_writes(sender, using="default", **kwargs) -> None:
    """The app role may read and append audit events, nothing else (the trigger refuses
    the rest anyway: this makes the refusal a permission error before it gets there)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    role = quote(settings.CRSYS_DB_APP_ROLE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [settings.CRSYS_DB_APP_ROLE])
        if cursor.fetchone() is None:
            return
        cursor.execute(
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(AuditEvent._meta.db_table)} FROM {role}"
        )
