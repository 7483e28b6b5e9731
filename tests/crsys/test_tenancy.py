import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, OuterRef, Q, UniqueConstraint

from crsys.tenancy.context import NoDistrictInContext, current_district_id, district_context
from crsys.tenancy.models import CrossDistrictRead, CrossDistrictWrite
from crsys.tenancy.rls import POLICY_NAME, tenant_models
from districts.models import Membership, Role, User
from schools.models import School
from tests.factories import DistrictFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_districts():
    a, b = DistrictFactory(slug="a"), DistrictFactory(slug="b")
    SchoolFactory(district=a, name="A1"), SchoolFactory(district=a, name="A2")
    SchoolFactory(district=b, name="B1")
    return a, b


def test_query_without_district_fails_closed(two_districts):
    with pytest.raises(NoDistrictInContext):
        list(School.objects.all())
    with pytest.raises(NoDistrictInContext):
        School.objects.filter(name="A1").exists()
    with pytest.raises(NoDistrictInContext):
        School.objects.count()


def test_default_manager_is_scoped_to_the_district_in_context(two_districts):
    a, b = two_districts
    with district_context(a):
        assert sorted(School.objects.values_list("name", flat=True)) == ["A1", "A2"]
    with district_context(b):
        assert list(School.objects.values_list("name", flat=True)) == ["B1"]
        assert not School.objects.filter(name="A1").exists()


def test_for_district_scopes_without_context(two_districts):
    a, _ = two_districts
    assert School.objects.for_district(a).count() == 2


def test_for_district_inside_a_context_agrees_with_it_or_raises(two_districts):
    # given: a district in context
    a, b = two_districts
    with district_context(a):
        # then: naming the same district is allowed; naming another is a bug, refused
        assert School.objects.for_district(a).count() == 2
        assert School.objects.for_district(a.pk).count() == 2
        with pytest.raises(CrossDistrictRead):
            School.objects.for_district(b)
        with pytest.raises(CrossDistrictRead):
            School.objects.all().for_district(b.pk)


def test_the_ambient_manager_works_as_a_subquery_of_a_model_without_a_district(two_districts):
    # given: a member of each district
    a, b = two_districts
    in_a, in_b = User.objects.create_user("a@x.example"), User.objects.create_user("b@x.example")
    Membership.objects.for_district(a).create(district=a, user=in_a, role=Role.DISTRICT_LEADER)
    Membership.objects.for_district(b).create(district=b, user=in_b, role=Role.DISTRICT_LEADER)
    # when: an ambient queryset is the subquery of a User query (User has no district_id)
    with district_context(a):
        members = Membership.objects.filter(user=OuterRef("pk"))
        found = list(User.objects.filter(Exists(members)).values_list("email", flat=True))
    # then: it is resolved against its own table and scoped to the district in context
    assert found == ["a@x.example"]


def test_context_is_reset_after_the_block_even_on_error(two_districts):
    a, _ = two_districts
    with pytest.raises(ValueError), district_context(a):
        raise ValueError("boom")
    assert current_district_id() is None


def test_saving_a_row_of_another_district_inside_a_context_is_refused(two_districts):
    a, b = two_districts
    with district_context(a), pytest.raises(CrossDistrictWrite):
        School(district=b, name="sneaky", code="X").save()


def test_new_rows_take_the_district_in_context(two_districts):
    a, _ = two_districts
    with district_context(a):
        school = School.objects.create(name="New", code="N")
    assert school.district_id == a.pk


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)


@postgres_only
def test_rls_hides_other_districts_rows_even_from_raw_sql(two_districts):
    a, b = two_districts
    with district_context(a), connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT district_id) FROM schools_school")
        assert cursor.fetchone() == (2, 1)
        # The escape hatch cannot reach past the second wall either.
        assert School.objects.unscoped().count() == 2


@postgres_only
def test_rls_refuses_writing_a_row_into_another_district(two_districts):

    a, b = two_districts
    with (
        district_context(a),
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO schools_school (district_id, name, code, created_at, updated_at)"
            " VALUES (%s, 'x', 'x', now(), now())",
            [b.pk],
        )


@postgres_only
def test_rls_setting_does_not_outlive_the_context(two_districts):
    a, _ = two_districts
    with district_context(a):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.district_id', true), current_user")
        setting, user = cursor.fetchone()
    assert setting in ("", None)
    assert user != "crsys_app"


@postgres_only
def test_every_tenant_table_has_row_level_security_and_the_app_role_cannot_bypass_it():

    tables = {m._meta.db_table for m in tenant_models()}
    assert {"schools_school", "districts_membership"} <= tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policies p ON p.tablename = c.relname"
            " WHERE c.relrowsecurity AND p.policyname = %s",
            [POLICY_NAME],
        )
        protected = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'crsys_app'")
        assert cursor.fetchone() == (False, False)
    assert tables <= protected


@postgres_only
def test_a_user_sees_their_own_memberships_in_other_districts_but_no_one_elses(two_districts):

    a, b = two_districts
    me, stranger = UserFactory(), UserFactory()
    MembershipFactory(district=a, user=me, role="district_admin")
    MembershipFactory(district=b, user=me, role="district_leader")
    MembershipFactory(district=b, user=stranger, role="district_leader")
    with district_context(a, user=me):
        # Written unscoped on purpose: only RLS stands between this query and district b.
        rows = set(Membership.objects.unscoped().values_list("district__slug", "user_id"))
    assert rows == {("a", me.pk), ("b", me.pk)}


def test_a_queryset_made_outside_any_district_runs_in_the_district_of_its_evaluation(
    two_districts,
):
    # given: a queryset built at import time, as a form field or a filter class does
    a, b = two_districts
    early = School.objects.all()
    # then: it reads the district in context when it runs, and nothing outside one
    with district_context(a):
        assert sorted(s.name for s in early.all()) == ["A1", "A2"]
    with district_context(b):
        assert [s.name for s in early.all()] == ["B1"]
    with pytest.raises(NoDistrictInContext):
        list(early.all())


def test_a_queryset_made_inside_one_district_does_not_keep_it(two_districts):
    # given: a module imported during district a's request builds a class-level queryset
    a, b = two_districts
    with district_context(a):
        made_during_a = School.objects.all()
    # then: district b's request evaluating it sees b's rows only
    with district_context(b):
        assert [s.name for s in made_during_a.all()] == ["B1"]


def test_every_conditional_unique_constraint_is_checked_before_the_write(two_districts):
    """Django validates a conditional UniqueConstraint through ``Q.check`` on an
    ``Exists(Model._default_manager…)``, and silently skips it on a FieldError. The lazy
    district filter once raised one there (it resolved ``district_id`` against the outer
    query), so every such constraint of every tenant model went unchecked and PostgreSQL's
    IntegrityError became a 500. Each conditional constraint is evaluated here, one by one."""

    district = two_districts[0]
    checked = []
    with district_context(district):
        for model in tenant_models():
            for constraint in model._meta.constraints:
                if isinstance(constraint, UniqueConstraint) and constraint.condition:
                    rows = model._default_manager.filter(constraint.condition)
                    # No row yet: the check runs (a FieldError would be raised here) and
                    # answers False.
                    assert Q(Exists(rows)).check({}) is False, (model, constraint.name)
                    checked.append(constraint.name)
    assert "membership_unique_without_school" in checked
    assert len(checked) >= 3
