import pytest
from django.core import mail
from django.urls import reverse

from districts.auth import MembershipBackend
from districts.models import Membership, Role
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def test_sign_in_lands_in_the_users_only_district(client, teacher_user, district):
    response = client.post(LOGIN, {"username": "TEACHER@alpha.example", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == "/d/alpha/"
    assert client.get("/d/alpha/").status_code == 200


def test_wrong_password_says_so(client, teacher_user):
    response = client.post(LOGIN, {"username": "teacher@alpha.example", "password": "nope"})
    assert response.status_code == 200
    assert "That e-mail and password do not match" in response.content.decode()


def test_repeated_failures_are_throttled_even_with_the_right_password(
    client, teacher_user, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(LOGIN, {"username": "teacher@alpha.example", "password": "nope"})
    response = client.post(LOGIN, {"username": "teacher@alpha.example", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(client, teacher_user):
    response = client.post(reverse("password_reset"), {"email": "teacher@alpha.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "a-new-long-pass-42", "new_password2": "a-new-long-pass-42"}
    )
    assert response.status_code == 302
    response = client.post(
        LOGIN, {"username": "teacher@alpha.example", "password": "a-new-long-pass-42"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_password_change(client, teacher_user):
    client.force_login(teacher_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-77",
            "new_password2": "another-long-pass-77",
        },
    )
    assert response.status_code == 302
    teacher_user.refresh_from_db()
    assert teacher_user.check_password("another-long-pass-77")


def test_logout_is_a_post(client, teacher_user):
    client.force_login(teacher_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_session_user_and_their_memberships_come_in_one_query(
    client, teacher_user, district, other_district, django_assert_num_queries
):

    MembershipFactory(district=other_district, user=teacher_user, role=Role.TEACHER)
    with django_assert_num_queries(1):
        user = MembershipBackend().get_user(teacher_user.pk)
        assert user == teacher_user
        assert {m.district.slug for m in user.active_memberships} == {"alpha", "beta"}


def test_a_deactivated_membership_or_user_is_not_carried_by_the_session(
    client, teacher_user, district
):

    client.force_login(teacher_user)
    assert client.get("/d/alpha/").status_code == 200
    Membership.objects.for_district(district).filter(user=teacher_user).update(is_active=False)
    assert client.get("/d/alpha/").status_code == 404  # no grant any more, the same 404
    teacher_user.is_active = False
    teacher_user.save()
    assert client.get("/d/alpha/").status_code == 302  # signed out: to the sign-in page
