from __future__ import annotations

from celery import shared_task

from crsys.tenancy.context import district_context
from districts import accounts, services
from districts.models import District


@shared_task(acks_late=True)
def send_invitation(*, district_id: int, user_id: int) -> str:
    """E-mail a member a link to set their password; records when. Returns the address."""
    district = District.objects.get(pk=district_id)
    with district_context(district):
        return services.invitation_send(district=district, user_id=user_id)


@shared_task(acks_late=True)
def disable_unused_accounts() -> int:
    """Celery beat, daily: disable accounts unused for ACCOUNT_UNUSED_DAYS; how many."""
    return len(accounts.users_disable_unused())
