"""A real Celery worker, started as its own process against Redis, runs a task end to end."""

import pytest

from districts.models import Role, User
from tests.celery_worker import start_worker
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_worker_sends_an_invitation_for_the_district(district, school, tmp_path):
    invitee = UserFactory(email="invitee@alpha.example")
    MembershipFactory(district=district, user=invitee, role=Role.TEACHER, school=school)
    outbox = tmp_path / "mail"
    worker = start_worker(
        tmp_path,
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(outbox),
            "SITE_URL": "https://crsys.example.org",
        },
    )
    try:
        result = worker.send(
            "districts.tasks.send_invitation", district_id=district.pk, user_id=invitee.pk
        )
        assert result.get(timeout=60) == "invitee@alpha.example"
    finally:
        worker.stop()
    messages = "".join(p.read_text() for p in outbox.iterdir())
    assert "To: invitee@alpha.example" in messages
    assert "https://crsys.example.org/accounts/password/reset/" in messages
    assert User.objects.get(pk=invitee.pk).invited_at is not None
