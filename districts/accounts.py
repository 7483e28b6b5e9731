"""Accounts nobody uses any more are disabled: an ex-employee's password or token that
still works years later is how one district's records were taken (2021).

An account is unused when neither a sign-in nor an API call with one of its tokens happened
in ``ACCOUNT_UNUSED_DAYS`` (an invited account that never signed in counts from its
invitation). Disabling ends its sessions and tokens; a district admin reactivates it by
inviting the person again (Django admin for platform staff).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from districts.models import ApiToken, User
from districts.sessions import end_every_session


@transaction.atomic
def users_disable_unused(*, now: datetime.datetime | None = None) -> list[str]:
    """Disable every active account unused for ``ACCOUNT_UNUSED_DAYS``; their addresses.
    Platform work (a Celery beat task), across districts by design. Idempotent."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ACCOUNT_UNUSED_DAYS)
    recent_token = ApiToken.objects.filter(user=OuterRef("pk"), last_used_at__gte=cutoff)
    unused = (
        User.objects.filter(is_active=True)
        .alias(seen=Coalesce("last_login", "invited_at", "created_at"))
        .filter(seen__lt=cutoff)
        .exclude(Exists(recent_token))
        .select_for_update()
    )
    disabled = []
    for user in unused:
        User.objects.filter(pk=user.pk).update(is_active=False)
        end_every_session(user.pk)
        disabled.append(user.email)
    return disabled
