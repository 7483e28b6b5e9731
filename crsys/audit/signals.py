"""Sign-ins and failed sign-ins, recorded in each district the account belongs to."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed

from crsys.audit.models import Action
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
