"""The demo district: a roster of the chosen size, one user per role, screening results and
teams with a history, built around today. Idempotent."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from crsys.tenancy.context import district_context
from districts.mfa import totp_enrol_with_secret
from districts.models import District, Role, User
from districts.permissions import SYSTEM
from districts.services import membership_grant

# (local part of the e-mail, role, full name, at the demo school?)
DEMO_USERS = [
    ("admin", Role.DISTRICT_ADMIN, "Dana Admin", False),
    ("leader", Role.DISTRICT_LEADER, "Lee Leader", False),
    ("principal", Role.PRINCIPAL, "Pat Principal", True),
    ("teacher", Role.TEACHER, "Terry Teacher", True),
    ("support", Role.SUPPORT_STAFF, "Sam Support", True),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


def seed_demo_district(
    *,
    slug: str,
    password: str,
    name: str | None = None,
    size: str = "small",
    today: datetime.date | None = None,
    totp_secret: str | None = None,
) -> list[DemoLogin]:
    """The demo as of ``today`` (default: the district's local date): a screening window open
    now with results still to enter, earlier windows closed, each team's last meeting closed
    and its next one due. Running it again only adds what is missing."""
    from schools import demo as school_demo
    from schools.selectors import district_today

    district, _ = District.objects.get_or_create(
        slug=slug, defaults={"name": name or f"{slug.replace('-', ' ').title()} School District"}
    )
    today = today or district_today(district)
    from screeners import demo as screener_demo

    school_demo.seed_roster(district=district, size=size, today=today)
    screener_demo.seed_screeners(district=district, today=today)
    school = school_demo.first_school(district)
    logins = []
    for local, role, full_name, at_school in DEMO_USERS:
        email = f"{local}@{slug}.example"
        user = User.objects.find_by_email(email) or User.objects.create_user(email)
        user.full_name = full_name
        user.set_password(password)
        user.save()
        if totp_secret:
            totp_enrol_with_secret(user=user, secret_base32=totp_secret)
        with district_context(district):
            membership_grant(
                district=district,
                user=user,
                role=role,
                school=school if at_school else None,
                actor=SYSTEM,
            )
        if role == Role.TEACHER:
            school_demo.assign_demo_teacher(district=district, user=user, school=school)
        logins.append(DemoLogin(email=email, role=role.label))
    from continuum import demo as continuum_demo
    from continuum import demo_history as continuum_history
    from teams import demo as team_demo

    continuum_demo.seed_continuum(district=district, admin_email=f"admin@{slug}.example")
    continuum_demo.seed_plans(
        district=district, teacher_email=f"teacher@{slug}.example", today=today
    )
    continuum_history.seed_history(district=district, admin_email=f"admin@{slug}.example")
    continuum_history.seed_district_supports(district=district, slug=slug)

    team_demo.seed_teams(district=district, teacher_email=f"teacher@{slug}.example", today=today)
    from leadership import demo as leadership_demo

    leadership_demo.seed_leadership(
        district=district, leader_email=f"leader@{slug}.example",
        principal_email=f"principal@{slug}.example", today=today,
    )  # fmt: skip
    from crsys.bulk import analyze_database

    analyze_database()
    return logins
