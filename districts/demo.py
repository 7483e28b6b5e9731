"""The demo district: a few schools and one user per role. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from crsys.tenancy.context import district_context
from districts.models import District, Role, User
from districts.services import membership_grant
from schools.models import School

DEMO_SCHOOLS = [
    ("Aspen Heights Elementary", "AHE"),
    ("Birchwood School", "BWS"),
    ("Cedar Ridge Middle School", "CRM"),
]

# (local part of the e-mail, role, full name, index of the school in DEMO_SCHOOLS or None)
DEMO_USERS = [
    ("admin", Role.DISTRICT_ADMIN, "Dana Admin", None),
    ("leader", Role.DISTRICT_LEADER, "Lee Leader", None),
    ("principal", Role.PRINCIPAL, "Pat Principal", 0),
    ("teacher", Role.TEACHER, "Terry Teacher", 0),
    ("support", Role.SUPPORT_STAFF, "Sam Support", 0),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


@transaction.atomic
def seed_demo_district(*, slug: str, password: str, name: str | None = None) -> list[DemoLogin]:
    district, _ = District.objects.get_or_create(
        slug=slug, defaults={"name": name or f"{slug.replace('-', ' ').title()} School District"}
    )
    logins = []
    with district_context(district):
        schools = [
            School.objects.update_or_create(code=code, defaults={"name": school_name})[0]
            for school_name, code in DEMO_SCHOOLS
        ]
        for local, role, full_name, school_index in DEMO_USERS:
            email = f"{local}@{slug}.example"
            user = User.objects.filter(email=email).first() or User.objects.create_user(email)
            user.full_name = full_name
            user.set_password(password)
            user.save()
            school = schools[school_index] if school_index is not None else None
            membership_grant(district=district, user=user, role=role, school=school)
            logins.append(DemoLogin(email=email, role=role.label))
    return logins
