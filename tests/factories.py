import factory

from districts.models import District, Membership, Role, User
from schools.models import School

PASSWORD = "correct-horse-battery-staple"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")


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
