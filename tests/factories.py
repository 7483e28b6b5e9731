import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from knox.crypto import hash_token

from continuum.models import FocusArea
from continuum.selectors import focus_area_by_key
from continuum.services import continuum_defaults_ensure
from crsys.tenancy.context import district_context
from districts.models import ApiToken, District, Membership, Role, User
from districts.selectors import resolve_actor
from districts.tokens import api_token_issue
from schools.models import (
    Classroom,
    Enrolment,
    School,
    SchoolYear,
    StaffAssignment,
    StaffRole,
    Student,
)
from screeners.models import Screener, ScreenerResult
from teams.models import LayerKind, Team, TeamLayer, TeamMember
from teams.services import layers_ensure

PASSWORD = "correct-horse-battery-staple"

# Tests find students on pages by name. Two students of one test must never share a family
# name, nor have one inside the other ("Hall" in "Marshall"), or a page lookup is ambiguous
# and the test flaky. tests/conftest.py forgets the names after each test.
_family_names_in_use: set[str] = set()


def forget_family_names() -> None:
    _family_names_in_use.clear()


def _distinct_family_name() -> str:
    fake = factory.Faker._get_faker()
    for _ in range(200):
        name = fake.last_name()
        if not any(name in used or used in name for used in _family_names_in_use):
            break
    else:  # a test with hundreds of students: make the name distinct by construction
        name = f"{fake.last_name()}-{fake.unique.lexify('??????')}"
    _family_names_in_use.add(name)
    return name


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")

    @factory.post_generation
    def layers(obj, create, extracted, **kwargs):
        """A district is born with its four team layers and its continuum's focus areas and
        tiers, as ``district_create`` makes it."""
        if create:
            layers_ensure(district_id=obj.pk)
            continuum_defaults_ensure(district_id=obj.pk)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    code = factory.Sequence(lambda n: f"S{n:04d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    district = factory.SubFactory(DistrictFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.TEACHER
    school = factory.LazyAttribute(
        lambda m: (
            None
            if m.role in (Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER)
            else SchoolFactory(district=m.district)
        )
    )


def member(district, role: Role, school=None, **user_fields) -> User:
    """A user holding ``role`` in ``district`` (at ``school`` for school roles)."""
    user = UserFactory(**user_fields)
    if role not in (Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER) and school is None:
        school = SchoolFactory(district=district)
    MembershipFactory(district=district, user=user, role=role, school=school)
    return user


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"{2026 + n}–{2027 + n}")
    start_date = factory.Sequence(lambda n: datetime.date(2026 + n, 9, 1))
    end_date = factory.Sequence(lambda n: datetime.date(2027 + n, 6, 30))


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom

    district = factory.SubFactory(DistrictFactory)
    school = factory.SubFactory(SchoolFactory, district=factory.SelfAttribute("..district"))
    school_year = factory.SubFactory(
        SchoolYearFactory, district=factory.SelfAttribute("..district")
    )
    name = factory.Sequence(lambda n: f"Homeroom {n}")
    grades = ["03"]


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    district = factory.SubFactory(DistrictFactory)
    school = factory.SubFactory(SchoolFactory, district=factory.SelfAttribute("..district"))
    student_number = factory.Sequence(lambda n: f"{500000 + n}")
    given_name = factory.Faker("first_name")
    family_name = factory.LazyFunction(_distinct_family_name)
    grade = "03"


class ScreenerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screener

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Screener {n}")
    focus_area = factory.LazyAttribute(lambda s: focus_area(s.district, "literacy"))
    grades = ["03", "04"]


class ScreenerResultFactory(factory.django.DjangoModelFactory):
    """A raw result (no band: a recompute places it), as an import writes it. Pass
    ``window``, ``screener`` and ``student``."""

    class Meta:
        model = ScreenerResult

    district = factory.SelfAttribute("window.district")
    score = Decimal("50")


def layer_of(district, kind: LayerKind) -> TeamLayer:
    """The district's team layer of ``kind`` (a district is made with its four)."""
    return TeamLayer.objects.for_district(district).get(kind=kind)


class TeamFactory(factory.django.DjangoModelFactory):
    """A team of ``kind`` (default: a collaborative team meeting) at a school of its district;
    ``members`` (users) join it."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    class Params:
        kind = LayerKind.COLLABORATIVE_TEAM_MEETING

    district = factory.SubFactory(DistrictFactory)
    school = factory.SubFactory(SchoolFactory, district=factory.SelfAttribute("..district"))
    layer = factory.LazyAttribute(lambda t: layer_of(t.district, t.kind))
    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        for user in extracted or ():
            TeamMemberFactory(team=obj, user=user)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    district = factory.SelfAttribute("team.district")
    user = factory.SubFactory(UserFactory)


def focus_area(district, key: str) -> FocusArea:
    """The district's focus area with this key (its defaults: literacy, numeracy, well_being,
    attendance, behaviour, executive_functioning, other)."""
    with district_context(district):
        return focus_area_by_key(key=key)


def enrol(student, classroom, **fields):
    return Enrolment.objects.create(
        district=student.district, student=student, classroom=classroom, **fields
    )


def teach(user, classroom, role=StaffRole.TEACHER):
    return StaffAssignment.objects.create(
        district=classroom.district, user=user, school=classroom.school, classroom=classroom,
        role=role,
    )  # fmt: skip


def actor_of(user, district):
    """The user's grants in ``district``, resolved as a request resolves them."""
    return resolve_actor(user=user, district_slug=district.slug)[1]


def api_token(user, key: str | None = None) -> str:
    """An API token of ``user`` (issued now, or ``key`` made valid again for them)."""
    if key is None:
        return api_token_issue(user=user, client="tests")[1]
    user.refresh_from_db()
    ApiToken.objects.update_or_create(
        digest=hash_token(key),
        defaults={
            "user": user,
            "token_key": key[:15],
            "client": "tests",
            "session_version": user.session_version,
            "expiry": timezone.now() + datetime.timedelta(days=1),
        },
    )
    return key
