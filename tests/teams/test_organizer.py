import pytest

from crsys.tenancy.context import district_context
from screeners.models import ScreenerResult
from screeners.recompute import recompute_window
from teams.models import OrganizerPick, TeamMember
from tests.screeners.fixtures import screened_class

pytestmark = pytest.mark.django_db


def test_teacher_picks_from_their_class_with_suggestions_just_below_benchmark(
    client, district, school, world
):
    screened = screened_class(district, school, students=3)
    teacher = screened["teacher"]
    low, mid, high = screened["students"]
    with district_context(district):
        TeamMember.objects.create(team=world["team"], user=teacher)
        for student, score in ((low, 10), (mid, 50), (high, 90)):
            ScreenerResult.objects.create(
                student=student,
                screener=screened["reading"],
                window=screened["window"],
                score=score,
            )
        recompute_window(district_id=district.pk, window_id=screened["window"].pk)
    client.force_login(teacher)
    url = f"/d/alpha/meetings/{world['meeting'].pk}/organizer/"
    page = client.get(url).content.decode()
    assert f"{mid.choice_label} (suggested)" in page  # strategic: just below
    assert f"{low.choice_label} (suggested)" not in page
    ada = world["ada"]
    assert f"{ada.family_name}, {ada.given_name}" not in page  # not in this teacher's class
    client.post(
        url, {"celebrate": high.pk, "key_issue": mid.pk, "key_issue_note": "decoding", "enrich": ""}
    )
    picks = {p.kind: p.student_id for p in OrganizerPick.objects.for_district(district)}
    assert picks == {"celebrate": high.pk, "key_issue": mid.pk}
    meeting_page = client.get(f"/d/alpha/meetings/{world['meeting'].pk}/").content.decode()
    assert "Planned in the organizer" in meeting_page and "decoding" in meeting_page
    # The saved note is in its box, so saving again keeps it.
    assert (
        'name="key_issue_note" maxlength="300" value="decoding"' in client.get(url).content.decode()
    )
    # A student outside the class is refused by the pick's name, and nothing changes.
    refused = client.post(
        url, {"celebrate": world["ada"].pk, "key_issue": "", "enrich": ""}, follow=True
    )
    assert "To celebrate: pick a student of your class. Nothing was changed." in (
        refused.content.decode()
    )
    after = {p.kind: p.student_id for p in OrganizerPick.objects.for_district(district)}
    assert after == picks


def test_a_pick_outside_the_teachers_class_is_ignored(client, district, school, world):
    client.force_login(world["teo"])  # teaches nobody
    url = f"/d/alpha/meetings/{world['meeting'].pk}/organizer/"
    client.post(url, {"key_issue": world["ada"].pk})
    assert not OrganizerPick.objects.for_district(district).exists()
