"""An id no column can hold matches nothing, wherever a client's id reaches a lookup
(crsys/tenancy/id_lookups.py); SQLite raised OverflowError on these."""

import pytest

from schools.models import Student
from teams.models import TeamMember
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999


def test_ids_past_64_bits_match_nothing_and_real_ids_still_match(district, school):
    student = StudentFactory(district=district, school=school)
    students = Student.objects.for_district(district)
    assert list(students.filter(pk__in=[HUGE])) == []
    assert list(students.filter(pk__in=[HUGE, student.pk])) == [student]
    assert list(students.filter(school_id=HUGE)) == []
    assert list(students.filter(school__in=[HUGE, -HUGE])) == []
    assert list(students.filter(school_id=school.pk)) == [student]
    assert list(students.filter(school__in=[school.pk])) == [student]
    assert not TeamMember.objects.for_district(district).filter(user_id=HUGE).exists()
