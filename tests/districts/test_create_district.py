"""Onboarding a district (issue 14, item 15): manage.py create_district and Django admin's
district add share districts.services.district_create."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from districts.models import District, Membership, Role, User
from teams.models import TeamLayer
from tests.factories import PASSWORD, member
from tests.mfa import sign_in

pytestmark = pytest.mark.django_db


def create(*args) -> str:
    out = StringIO()
    call_command("create_district", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return District.objects.count(), User.objects.count(), Membership.objects.unscoped().count()


def test_creates_the_district_its_layers_and_its_first_admin_with_a_working_link(client):
    # when
    out = create("prairie", "--name", "Prairie Rose SD", "--admin", " First.Admin@Prairie.ca ")
    # then
    district = District.objects.get(slug="prairie")
    assert district.name == "Prairie Rose SD"
    assert TeamLayer.objects.for_district(district).count() == 4
    admin = User.objects.get(email="first.admin@prairie.ca")
    assert not admin.has_usable_password()
    grants = Membership.objects.for_district(district).filter(user=admin, is_active=True)
    assert [(m.role, m.school_id) for m in grants] == [(Role.DISTRICT_ADMIN, None)]
    assert "first.admin@prairie.ca (new account)" in out
    # The printed link lets the admin choose a password, sign in and reach the district.
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", out)[0]
    response = client.get(urlsplit(link).path, follow=True)
    form_url = response.redirect_chain[-1][0]
    new = {"new_password1": "a-brand-new-pass-9", "new_password2": "a-brand-new-pass-9"}
    assert client.post(form_url, new).status_code == 302
    sign_in(client, "first.admin@prairie.ca", "a-brand-new-pass-9")  # enrols the authenticator
    assert client.get("/d/prairie/members/").status_code == 200


def test_reuses_the_account_with_the_same_normal_address(other_district):
    person = member(other_district, Role.TEACHER, email="dana@schools.example")
    before_users = User.objects.count()
    out = create("gamma", "--name", "Gamma SD", "--admin", "DANA@Schools.Example")
    assert User.objects.count() == before_users
    assert "dana@schools.example (existing account)" in out
    # Someone who already signs in gets no reset link printed: whoever read it could take over.
    assert "sign in as usual" in out and "/reset/" not in out and "http" not in out
    gamma = District.objects.get(slug="gamma")
    assert Membership.objects.for_district(gamma).get(user=person).role == Role.DISTRICT_ADMIN
    # Their password and their other district are untouched.
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert Membership.objects.for_district(other_district).get(user=person).is_active


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alpha", "--name", "Again", "--admin", "x@y.org"], "SLUG: District with this Slug"),
        (["not a slug", "--name", "N", "--admin", "x@y.org"], "SLUG: Enter a valid “slug”"),
        (["delta", "--name", "Delta", "--admin", "not-an-address"], "--admin: Enter a valid"),
        (["delta", "--name", "Delta", "--admin", "admın@delta.ca"], "--admin: “admın@delta.ca”"),
        (["delta", "--name", "Delta", "--admin", "a@d.ca", "--time-zone", "Mars/Base"], "--time-"),
    ],
)
def test_refuses_bad_input_with_a_message_and_writes_nothing(district, args, message):
    before = counts()
    with pytest.raises(CommandError, match="Nothing was created") as refused:
        create(*args)
    assert message in str(refused.value)
    assert counts() == before


def test_the_command_exits_non_zero_on_refusal(district, capsys):
    argv = ["manage.py", "create_district", "alpha", "--name", "A", "--admin", "x@y.org"]
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(argv).execute()
    assert exited.value.code == 1
    assert "District with this Slug already exists" in capsys.readouterr().err


def test_django_admin_district_add_uses_the_same_service(client):
    operator = User.objects.create_superuser("ops@platform.example", "ops-pass-123456")
    client.force_login(operator)
    form = {"name": "Kappa SD", "slug": "kappa", "time_zone": "America/Toronto"}
    form["school_year_start_month"] = 9
    refused = client.post("/admin/districts/district/add/", {**form, "admin_email": "ſam@k.ca"})
    assert refused.status_code == 200 and not District.objects.filter(slug="kappa").exists()
    response = client.post(
        "/admin/districts/district/add/", {**form, "admin_email": "Sam@Kappa.ca"}, follow=True
    )
    assert response.status_code == 200
    kappa = District.objects.get(slug="kappa")
    assert TeamLayer.objects.for_district(kappa).count() == 4
    admin = Membership.objects.for_district(kappa).get(role=Role.DISTRICT_ADMIN).user
    assert admin.email == "sam@kappa.ca"
    assert "/accounts/password/reset/" in response.content.decode()
