import pytest
from django.core.management import CommandError, call_command

from crsys.tenancy.context import district_context
from districts.models import District, Membership, User
from schools.models import RosterImport, School, Student

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", slug="demo", password="pw-123456")
    call_command("seed_demo", slug="demo", password="pw-123456", force=True)


def test_seed_demo_is_idempotent_and_two_slugs_are_independent(settings, capsys):
    settings.DEBUG = True
    for _ in range(2):
        call_command("seed_demo", slug="north", password="pw-123456")
    call_command("seed_demo", slug="south", password="pw-123456")
    out = capsys.readouterr().out
    for local in ("admin", "leader", "principal", "teacher", "support"):
        assert f"{local}@north.example" in out and f"{local}@south.example" in out
    north, south = District.objects.get(slug="north"), District.objects.get(slug="south")
    assert School.objects.for_district(north).count() == 6
    assert Student.objects.for_district(north).count() == 1_500
    assert Student.objects.for_district(south).count() == 1_500
    demo_logins = [f"{local}@north.example" for local in ("admin", "leader", "principal",
                                                          "teacher", "support")]  # fmt: skip
    assert Membership.objects.for_district(north).filter(user__email__in=demo_logins).count() == 5
    # The second run imported the same roster again: nothing changed.
    last = RosterImport.objects.for_district(north).order_by("-pk").first()
    assert all(not any(c.values()) for c in last.counts.values())
    with district_context(south):
        emails = set(Membership.objects.values_list("user__email", flat=True))
        assert all(e.endswith("@south.example") for e in emails)
    assert User.objects.get(email="teacher@north.example").check_password("pw-123456")
