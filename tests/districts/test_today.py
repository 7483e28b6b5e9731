"""One "today": the district's own date (issue 13 item 5), never the server's."""

import datetime
from unittest import mock

from django.utils import timezone

from districts.models import District
from districts.permissions import Actor
from schools.selectors import district_today

# 03:00 UTC on 2 March: still 1 March in Edmonton (UTC-7), already 2 March in Tokyo.
EARLY_UTC = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)


def test_a_district_today_is_its_own_zone_date():
    edmonton = District(name="E", slug="e", time_zone="America/Edmonton")
    tokyo = District(name="T", slug="t", time_zone="Asia/Tokyo")
    with mock.patch.object(timezone, "now", return_value=EARLY_UTC):
        assert edmonton.today() == datetime.date(2026, 3, 1)
        assert tokyo.today() == datetime.date(2026, 3, 2)
        # the selectors' helper, given the district or an actor carrying its zone, agrees
        assert district_today(edmonton) == datetime.date(2026, 3, 1)
        actor = Actor(user_id=1, district_id=1, grants=(), time_zone="America/Edmonton")
        assert district_today(actor) == datetime.date(2026, 3, 1)
