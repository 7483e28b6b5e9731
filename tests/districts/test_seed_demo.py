import pytest
from django.core.management import CommandError, call_command

from crsys.tenancy.context import district_context
from districts.models import District, Membership, User
from schools.models import School

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
    assert School.objects.for_district(north).count() == 3
    assert Membership.objects.for_district(north).count() == 5
    assert User.objects.filter(email__endswith="@north.example").count() == 5
    with district_context(south):
        assert set(Membership.objects.values_list("user__email", flat=True)) == {
            f"{local}@south.example"
            for local in ("admin", "leader", "principal", "teacher", "support")
        }
    assert User.objects.get(email="teacher@north.example").check_password("pw-123456")
