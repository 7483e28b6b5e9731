from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from crsys.tenancy.context import district_context
from districts.models import District, User
from schools import selectors, services
from schools.models import PendingMembership


@shared_task(acks_late=True)
def check_roster_import(*, district_id: int, import_id: int) -> str:
    with district_context(district_id):
        roster_import = selectors.get_roster_import(district_id=district_id, import_pk=import_id)
        return services.roster_import_check(roster_import=roster_import).status


@shared_task(acks_late=True)
def commit_roster_import(*, district_id: int, import_id: int) -> str:
    with district_context(district_id):
        roster_import = selectors.get_roster_import(district_id=district_id, import_pk=import_id)
        # The admin who confirmed it is the actor of every row it writes (the audit
        # triggers read app.user_id), not the worker.
        with district_context(district_id, user=roster_import.committed_by_id):
            return services.roster_import_commit(roster_import=roster_import).status


@shared_task(acks_late=True)
def send_membership_invitation(*, district_id: int, user_id: int) -> str:
    """E-mail someone the roles a district's import offers them: a link to accept after
    signing in (and to set a password first if the account has none)."""
    with district_context(district_id):
        if not PendingMembership.objects.filter(user_id=user_id).exists():
            return ""  # accepted, declined or withdrawn since: nothing to send
        district = District.objects.get(pk=district_id)
        user = User.objects.get(pk=user_id)
        context = {
            "user": user,
            "district": district,
            "link": settings.SITE_URL + reverse("invitations"),
            "set_password": ""
            if user.has_usable_password()
            else settings.SITE_URL
            + reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            ),
        }
        send_mail(
            subject=f"{district.name} invites you to crsys",
            message=render_to_string("schools/email/membership_invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    return user.email
