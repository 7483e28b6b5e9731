from __future__ import annotations

import datetime
import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from knox.models import AbstractAuthToken

from crsys.tenancy.models import TenantModel, TimeStampedModel
from districts.emails import normalize_email


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (e.g. America/Edmonton).")


def today_in(time_zone: str) -> datetime.date:
    """The date now in ``time_zone``: crsys's one "today" (``District.today``)."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(time_zone))


class District(TimeStampedModel):
    """The tenant. Created by the platform operator in Django admin."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(
        max_length=64, default="America/Edmonton", validators=[validate_time_zone]
    )
    school_year_start_month = models.PositiveSmallIntegerField(
        default=9,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Month (1–12) in which the district's school year starts.",
    )
    mfa_required_for_all_roles = models.BooleanField(
        default=False,
        help_text="Every member signs in with a second factor, not only admins, leaders and "
        "principals.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("districts:home", kwargs={"district_slug": self.slug})

    def today(self) -> datetime.date:
        """The date in the district's own time zone (current enrolments, open and closed
        windows, meetings ahead), never the server's."""
        return today_in(self.time_zone)


class NormalEmailField(models.EmailField):
    """An address stored in its one normal form (``districts.emails``); a look-alike is a
    validation error of this field, so every ModelForm, ``full_clean`` and createsuperuser
    refuses it. ``clean``, not ``to_python``: Django also runs ``to_python`` on query values,
    and a search for "adm" is no address."""

    def clean(self, value, model_instance):
        value = super().clean(value, model_instance)
        if value in self.empty_values:
            return value
        return normalize_email(value)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        """ValidationError (naming the address) for a look-alike or invalid address."""
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)  # None leaves an unusable password until invited
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        # Exact match on the stored normal form, never ``iexact``: PostgreSQL's UPPER folds
        # ı and ſ onto I and S, so a case-insensitive lookup could match two rows (a 500 on
        # sign-in) or let a look-alike try the real account's password.
        try:
            key = normalize_email(username)
        except ValidationError:
            # No stored address is unnormalisable, so nobody matches; and a NUL byte never
            # reaches PostgreSQL, which refuses it.
            raise self.model.DoesNotExist("No user has that address.") from None
        return self.get(email=key)

    def find_by_email(self, value: str) -> User | None:
        """The user whose normal address equals ``value``'s, or None (also for look-alikes)."""
        try:
            return self.get_by_natural_key(value)
        except self.model.DoesNotExist:
            return None


class User(AbstractBaseUser, PermissionsMixin, TimeStampedModel):
    """A person. Not owned by a district: one login may hold memberships in several.

    ``is_staff`` marks the platform operator, who works in Django admin outside all districts.
    """

    email = NormalEmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    # Raised to end every session of the user at once (districts.sessions).
    session_version = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            # The database's own guard that every row holds a normal form (lower-case
            # printable ASCII), so ``unique`` on the stored value is uniqueness of the
            # address: a path that skips ``save`` (bulk_create, COPY) cannot add a look-alike.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")) & models.Q(email__regex=r"^[!-~]+$"),
                name="user_email_is_normal",
                violation_error_message="The e-mail address is not in its normal form.",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        # Every write path stores the normal form, or refuses the address.
        self.email = normalize_email(self.email)
        password_changed = self._password is not None and not self._state.adding
        if password_changed:
            # A new password ends every other session and every API token at once
            # (PasswordChangeView keeps the changer's own session: update_session_auth_hash).
            self.session_version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "session_version"}
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.filter(user=self).delete()

    def _get_session_auth_hash(self, secret=None):
        # A session stays valid while this hash does (django.contrib.auth.get_user checks it
        # on every request), so raising session_version signs the user out everywhere, in
        # O(1), whatever the session store. Version 0 keeps Django's own hash, so no session
        # ended the day this was deployed.
        if not self.session_version:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "districts.User.session_version",
            f"{self.session_version}:{self.password}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "District admin"
    DISTRICT_LEADER = "district_leader", "District leader"
    PRINCIPAL = "principal", "Principal"
    VICE_PRINCIPAL = "vice_principal", "Vice-principal"
    TEACHER = "teacher", "Teacher"
    SUPPORT_STAFF = "support_staff", "Support staff"


DISTRICT_WIDE_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER})


class Membership(TenantModel):
    """A user's role in a district, optionally at one school. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="For principals, vice-principals, teachers and support staff.",
    )
    is_active = models.BooleanField(default=True)

    # RLS: a user may read their own memberships in any district (the district switcher).
    rls_visible_to_own_user = True

    class Meta:
        ordering = ["district_id", "user_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "user", "role", "school"],
                name="membership_unique_with_school",
            ),
            models.UniqueConstraint(
                fields=["district", "user", "role"],
                condition=models.Q(school__isnull=True),
                name="membership_unique_without_school",
            ),
        ]
        indexes = [models.Index(fields=["district", "role"])]

    def __str__(self) -> str:
        where = f" at {self.school}" if self.school_id else ""
        return f"{self.user} — {self.get_role_display()}{where}"

    def clean(self) -> None:
        super().clean()
        if self.role in DISTRICT_WIDE_ROLES and self.school_id:
            raise ValidationError({"school": "District-wide roles are not tied to a school."})
        needs_school = self.role not in DISTRICT_WIDE_ROLES | {Role.SUPPORT_STAFF}
        if needs_school and not self.school_id:
            raise ValidationError({"school": "This role needs a school."})
        if self.school_id and self.district_id and self.school.district_id != self.district_id:
            raise ValidationError({"school": "The school belongs to another district."})


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only its SHA-512 digest is stored, it expires
    (``REST_KNOX["TOKEN_TTL"]``), and a user holds one per client: a new token for the same
    client replaces the old. It is valid only while the user's ``session_version`` is the one
    it was issued under, so whatever ends a user's sessions ends their tokens too."""

    client = models.CharField(max_length=100, default="default")
    session_version = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["user", "client"], name="api_token_one_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.client} ({self.token_key})"
