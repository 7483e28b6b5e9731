from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from districts.models import Role
from districts.permissions import ALL_SCHOOLS, Actor, Capability, Grant, capability_required

C = Capability
HOME, OTHER = 1, 2


def actor(*grants: tuple[Role, int | None]) -> Actor:
    return Actor(user_id=1, district_id=1, grants=tuple(Grant(r, s) for r, s in grants))


def test_district_admin_configures_and_sees_every_school():
    admin = actor((Role.DISTRICT_ADMIN, None))
    for capability in (C.MANAGE_DISTRICT, C.MANAGE_USERS, C.IMPORT_DATA):
        assert admin.can(capability)
    assert admin.can(C.VIEW_SCHOOL, school_id=OTHER)
    assert admin.school_ids(C.VIEW_SCHOOL) is ALL_SCHOOLS
    assert not admin.can(C.VIEW_SENSITIVE_NOTES, school_id=HOME)


def test_district_leader_reads_everything_and_supports_schools_but_configures_nothing():
    leader = actor((Role.DISTRICT_LEADER, None))
    assert leader.can(C.VIEW_LEADERSHIP_DASHBOARD)
    assert leader.can(C.ASSIGN_DISTRICT_SUPPORTS)
    assert leader.can(C.COMMENT_ON_ACTION_PLANS)
    assert leader.school_ids(C.VIEW_SCHOOL) is ALL_SCHOOLS
    assert not leader.can(C.MANAGE_DISTRICT)
    assert not leader.can(C.MANAGE_USERS)
    assert not leader.can(C.MANAGE_SCHOOL, school_id=HOME)


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.VICE_PRINCIPAL])
def test_principal_runs_their_school_only(role):
    principal = actor((role, HOME))
    assert principal.can(C.MANAGE_SCHOOL, school_id=HOME)
    assert principal.can(C.VIEW_SENSITIVE_NOTES, school_id=HOME)
    assert not principal.can(C.VIEW_SCHOOL, school_id=OTHER)
    assert principal.school_ids(C.VIEW_SCHOOL) == {HOME}
    assert not principal.can(C.MANAGE_USERS)
    assert not principal.can(C.VIEW_LEADERSHIP_DASHBOARD)


def test_teacher_enters_results_but_sees_no_whole_school_nor_sensitive_notes():
    teacher = actor((Role.TEACHER, HOME))
    assert teacher.can(C.ENTER_SCREENER_RESULTS, school_id=HOME)
    assert not teacher.can(C.VIEW_SCHOOL, school_id=HOME)
    assert not teacher.can(C.VIEW_SENSITIVE_NOTES, school_id=HOME)
    assert teacher.school_ids(C.VIEW_SCHOOL) == frozenset()
    assert teacher.member_school_ids() == {HOME}


def test_support_staff_see_sensitive_notes_at_their_assigned_schools():
    support = actor((Role.SUPPORT_STAFF, HOME))
    assert support.can(C.VIEW_SENSITIVE_NOTES, school_id=HOME)
    assert support.can(C.VIEW_SCHOOL, school_id=HOME)
    assert not support.can(C.VIEW_SENSITIVE_NOTES, school_id=OTHER)
    assert not support.can(C.MANAGE_SCHOOL, school_id=HOME)


def test_several_memberships_add_up():
    both = actor((Role.TEACHER, HOME), (Role.PRINCIPAL, OTHER))
    assert both.can(C.MANAGE_SCHOOL, school_id=OTHER)
    assert not both.can(C.MANAGE_SCHOOL, school_id=HOME)
    assert both.school_ids(C.VIEW_SCHOOL) == {OTHER}


def test_no_grants_no_rights():
    nobody = actor()
    assert not any(nobody.can_anywhere(c) for c in Capability)


def test_capability_required_refuses_before_the_view_runs():
    ran = []

    @capability_required(Capability.IMPORT_DATA)
    def page(request, pk):
        ran.append(pk)
        return "page"

    leader = Actor(user_id=1, district_id=1, grants=(Grant(Role.DISTRICT_LEADER, None),))
    admin = Actor(user_id=2, district_id=1, grants=(Grant(Role.DISTRICT_ADMIN, None),))
    with pytest.raises(PermissionDenied):
        page(SimpleNamespace(actor=leader), 7)
    with pytest.raises(PermissionDenied):
        page(SimpleNamespace(actor=None), 7)
    assert ran == []
    assert page(SimpleNamespace(actor=admin), 7) == "page"
    assert ran == [7]
