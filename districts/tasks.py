from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from crsys.tenancy.context import district_context
from districts.invitations import set_password_url
from districts.models import District, Membership, User


@shared_task(acks_late=True)
def send_invitation(*, district_id: int, user_id: int) -> str:
    """E-mail a member a link to set their password; records when. Returns the address."""
    district = District.objects.get(pk=district_id)
    with district_context(district):
        if not Membership.objects.filter(user_id=user_id, is_active=True).exists():
            return ""  # no longer a member here: nothing to send
        user = User.objects.get(pk=user_id)
        context = {"user": user, "district": district, "link": set_password_url(user)}
        send_mail(
            subject=f"You are invited to crsys for {district.name}",
            message=render_to_string("districts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
        user.invited_at = timezone.now()
        user.save(update_fields=["invited_at"])
    return user.email
