"""A forgotten actor is refused, never full rights (issue 13 item 1): the platform's own work
passes ``SYSTEM`` by name."""

import inspect

import pytest
from django.core.exceptions import PermissionDenied

from crsys.tenancy.context import district_context
from districts import services as district_services
from districts.models import Membership, Role
from districts.permissions import SYSTEM, Capability, require
from schools import services as school_services
from schools.models import RosterImport
from screeners import services as screener_services
from screeners.models import Screener
from tests.factories import UserFactory, focus_area

pytestmark = pytest.mark.django_db


def services_taking_an_actor():
    for module in (district_services, school_services, screener_services):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or "actor" not in inspect.signature(function).parameters:
                continue
            yield f"{module.__name__}.{name}", inspect.signature(function).parameters["actor"]


def test_no_service_gives_the_actor_a_default():
    # given every public write service of districts, schools and screeners
    defaults = {
        name: parameter.default
        for name, parameter in services_taking_an_actor()
        if parameter.default is not inspect.Parameter.empty
    }
    # then the actor is always required: leaving it out is a TypeError
    assert len(dict(services_taking_an_actor())) >= 15
    assert defaults == {}


def test_require_refuses_none_and_lets_the_system_through():
    with pytest.raises(PermissionDenied):
        require(None, Capability.MANAGE_DISTRICT)
    require(SYSTEM, Capability.MANAGE_DISTRICT)


def test_none_as_actor_is_refused_by_each_app(district):
    user = UserFactory()
    with district_context(district):
        screener = Screener.objects.create(
            district=district,
            name="Reading",
            focus_area=focus_area(district, "literacy"),
            min_score=0,
            max_score=100,
        )
        with pytest.raises(PermissionDenied):
            screener_services.screener_archive(actor=None, screener=screener)
        with pytest.raises(PermissionDenied):
            school_services.roster_import_upload(
                district=district, actor=None, name="r.zip", data=b"x", kind="oneroster"
            )
        with pytest.raises(PermissionDenied):
            district_services.membership_grant(
                district=district, user=user, role=Role.DISTRICT_LEADER, actor=None
            )
        with pytest.raises(TypeError):
            district_services.membership_grant(
                district=district, user=user, role=Role.DISTRICT_LEADER
            )
        # then nothing was written
        screener.refresh_from_db()
        assert not screener.is_archived
        assert not RosterImport.objects.exists()
        assert not Membership.objects.filter(user=user).exists()
        # and the platform, named, may
        district_services.membership_grant(
            district=district, user=user, role=Role.DISTRICT_LEADER, actor=SYSTEM
        )
        assert Membership.objects.filter(user=user).exists()
