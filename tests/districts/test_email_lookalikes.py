"""Look-alike addresses (issue 14, item 1): one normal form for storage, uniqueness, lookup
and the sign-in throttle. The cause is PostgreSQL's: ``UPPER('admın')`` is ``'ADMIN'``, so
these tests mean most there (they also run on SQLite)."""

import importlib
import re
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from districts.models import Role, User
from tests.factories import PASSWORD, DistrictFactory, UserFactory, member
from tests.mfa import code_for, sign_in

pytestmark = pytest.mark.django_db

REAL = "admin@beta.example"
OPERATOR = "super@platform.example"
# U+0131 dotless i, U+017F long s: PostgreSQL's UPPER folds them onto I and S.
LOOK_ALIKES = ["admın@beta.example", "ſuper@platform.example", "ADMıN@beta.example"]
LOGIN = reverse("login")
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def real_users(db):
    beta = DistrictFactory(slug="beta", name="Beta School District")
    admin = member(beta, Role.DISTRICT_ADMIN, email=REAL)
    operator = User.objects.create_superuser(OPERATOR, PASSWORD)
    return admin, operator


@pytest.fixture
def staff_client(client):
    operator = User.objects.create_superuser("ops@platform.example", PASSWORD)
    client.force_login(operator)
    return client


def user_count_is_unchanged(before: int) -> bool:
    return User.objects.count() == before


# -- creation: every path refuses a look-alike, with a message ------------------------------


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_create_user_and_create_superuser_refuse_look_alikes(real_users, address):
    before = User.objects.count()
    for create in (User.objects.create_user, User.objects.create_superuser):
        with pytest.raises(ValidationError, match="only look like ordinary letters"):
            create(address, PASSWORD)
    assert user_count_is_unchanged(before)


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_saving_a_user_refuses_look_alikes_and_the_database_refuses_them_too(real_users, address):
    before = User.objects.count()
    with pytest.raises(ValidationError):
        User(email=address).save()
    with pytest.raises(ValidationError) as refused:
        User(email=address).full_clean(exclude=["password"])
    assert "email" in refused.value.message_dict
    # A path that skips save() (bulk_create, COPY) meets the database's own check.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email=address, password="!")])
    assert user_count_is_unchanged(before)


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_createsuperuser_command_refuses_look_alikes(real_users, address):
    before = User.objects.count()
    with pytest.raises(CommandError, match="only look like ordinary letters"):
        call_command("createsuperuser", "--noinput", "--email", address, verbosity=0)
    assert user_count_is_unchanged(before)


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_django_admin_user_add_refuses_look_alikes(real_users, staff_client, address):
    before = User.objects.count()
    response = staff_client.post(
        "/admin/districts/user/add/",
        {"email": address, "password1": "a-long-pass-4242", "password2": "a-long-pass-4242"},
    )
    assert response.status_code == 200
    assert "only look like ordinary letters" in response.content.decode()
    assert user_count_is_unchanged(before)


def test_django_admin_user_add_refuses_a_case_variant_as_the_same_account(real_users, staff_client):
    before = User.objects.count()
    response = staff_client.post(
        "/admin/districts/user/add/",
        {"email": "Admin@Beta.Example", "password1": "a-long-pass-4242", "password2": "x"},
    )
    assert response.status_code == 200
    assert "User with this Email already exists" in response.content.decode()
    assert user_count_is_unchanged(before)


def test_django_admin_user_change_refuses_a_look_alike_and_stores_the_normal_form(
    real_users, staff_client
):
    other = UserFactory(email="someone@beta.example")
    url = f"/admin/districts/user/{other.pk}/change/"
    form = {"email": "admın@beta.example", "full_name": "S", "is_active": "on"}
    response = staff_client.post(url, form)
    assert response.status_code == 200
    assert "only look like ordinary letters" in response.content.decode()
    response = staff_client.post(url, {**form, "email": "  SomeOne.Else@Beta.example "})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.email == "someone.else@beta.example"


def test_an_address_is_stored_in_its_normal_form():
    assert User.objects.create_user(" Mixed.Case@Example.ORG ").email == "mixed.case@example.org"
    assert UserFactory(email="Factory@Example.org").email == "factory@example.org"


# -- sign-in: a look-alike is a normal failure, never a 500, never the real account ----------


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_lookup_by_a_look_alike_finds_nobody(real_users, address):
    assert User.objects.find_by_email(address) is None
    assert authenticate(RequestFactory().post("/"), username=address, password=PASSWORD) is None
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key(address)
    assert User.objects.get_by_natural_key(REAL.upper()).email == REAL


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_sign_in_page_with_a_look_alike_and_the_real_password_is_a_normal_failure(
    client, real_users, address
):
    client.raise_request_exception = False
    response = client.post(LOGIN, {"username": address, "password": PASSWORD})
    assert response.status_code == 200
    assert "That e-mail and password do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_token_endpoint_with_a_look_alike_is_a_normal_failure(real_users, address):
    api = APIClient(raise_request_exception=False)
    response = api.post(TOKEN_URL, {"email": address, "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert "do not match" in response.json()["detail"]


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_admin_login_with_a_look_alike_is_a_normal_failure(client, real_users, address):
    client.raise_request_exception = False
    response = client.post(
        "/admin/login/?next=/admin/", {"username": address, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "That e-mail and password do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_real_accounts_still_sign_in(client, real_users):
    response = sign_in(client, "Admin@Beta.example")
    assert response.status_code == 302 and "_auth_user_id" in client.session
    client.post(reverse("logout"))
    response = client.post(
        "/admin/login/?next=/admin/", {"username": OPERATOR.upper(), "password": PASSWORD}
    )
    # The password is only the first step: the platform operator's second factor follows.
    assert response.status_code == 302 and response["Location"] == "/accounts/login/enrol/"
    client.get("/accounts/login/enrol/")
    response = client.post("/accounts/login/enrol/", {"code": code_for(OPERATOR)})
    assert response.status_code == 302 and client.get("/admin/").status_code == 200


# -- the throttle: case variants are the account; look-alikes are not -----------------------


def test_case_variants_count_against_the_real_account(client, real_users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for variant in ("ADMIN@beta.example", " Admin@Beta.Example", "admin@BETA.example"):
        client.post(LOGIN, {"username": variant, "password": "wrong"})
    response = client.post(LOGIN, {"username": REAL, "password": PASSWORD})
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_look_alikes_never_test_the_real_password_nor_lock_the_real_account(
    client, real_users, settings
):
    """A look-alike is not the account: even with the right password it is refused (the
    real password was never tried), and its failures count under its own key, so they can
    neither guess the real password nor lock its owner out."""
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(LOGIN, {"username": "admın@beta.example", "password": PASSWORD})
        assert "_auth_user_id" not in client.session
    response = client.post(LOGIN, {"username": "admın@beta.example", "password": PASSWORD})
    assert "Too many failed sign-in attempts" in response.content.decode()  # its own lock
    response = client.post(LOGIN, {"username": REAL, "password": PASSWORD})
    assert response.status_code == 302  # the real account is untouched (on to its code)


def test_admin_login_is_throttled_like_the_site(client, real_users, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post("/admin/login/", {"username": OPERATOR, "password": "wrong"})
    response = client.post("/admin/login/", {"username": OPERATOR, "password": PASSWORD})
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


# -- password reset --------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["ſuper@platform.example", "admın@beta.example"])
def test_password_reset_for_a_look_alike_sends_nothing(client, real_users, address, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": address})
    assert response.status_code == 302
    assert mailoutbox == []


def test_password_reset_finds_the_account_by_its_normal_form(client, real_users, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "ADMIN@Beta.example"})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[REAL]]


# -- the data migration ----------------------------------------------------------------------


def test_migration_plan_normalises_rows_and_names_collisions_and_look_alikes():
    migration = importlib.import_module("districts.migrations.0003_user_email_normal_form")
    updates, problems = migration.plan([(1, "Ada@X.org"), (2, "bob@x.org")])
    assert (updates, problems) == ({1: "ada@x.org"}, [])
    _, problems = migration.plan(
        [(1, "ada@x.org"), (2, "ADA@x.org"), (3, "admın@x.org"), (4, "bob@x.org")]
    )
    text = "\n".join(problems)
    assert "user id 1 ('ada@x.org'), user id 2 ('ADA@x.org')" in text
    assert "user id 3: 'admın@x.org'" in text
    assert "bob" not in text


# -- never a 500, and no lookup that folds -----------------------------------------------


ODD_ADDRESSES = ["a\x00b@beta.example", "x" * 300 + "@beta.example", "", "@", "ADMİN@beta.example"]


@pytest.mark.parametrize("address", ODD_ADDRESSES)
def test_every_sign_in_path_answers_odd_addresses_without_a_500(client, real_users, address):
    client.raise_request_exception = False
    api = APIClient(raise_request_exception=False)
    answers = [
        client.post(LOGIN, {"username": address, "password": PASSWORD}).status_code,
        client.post("/admin/login/", {"username": address, "password": PASSWORD}).status_code,
        client.post(reverse("password_reset"), {"email": address}).status_code,
        api.post(TOKEN_URL, {"email": address, "password": PASSWORD}, format="json").status_code,
    ]
    assert all(code < 500 for code in answers), answers
    assert "_auth_user_id" not in client.session


def test_no_code_looks_an_address_up_case_insensitively():
    """The class of bug behind item 1: a folding lookup (``iexact``/``istartswith``…) on an
    e-mail column. Lookups go through ``User.objects.find_by_email`` / exact normal forms."""

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"email__i(exact|startswith|endswith)\b")
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.glob("*/**/*.py")
        if not path.is_relative_to(root / "tests") and ".venv" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
