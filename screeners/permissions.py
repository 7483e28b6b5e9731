"""Who may enter screener results, and for whom: the one rule the grid, its cells, the bulk
API and results files share (DESIGN §4).

Entering results is for the classes one teaches. Roles holding the capability district-wide
(district admins) administer every student's results. Seeing a student is not enough: a
teacher sees their team colleagues' students for meetings, and must not score them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from districts.permissions import ALL_SCHOOLS, Actor, Capability
from schools.models import Classroom, Enrolment, StaffAssignment, Student

ENTER = Capability.ENTER_SCREENER_RESULTS


def administers_results(actor: Actor) -> bool:
    """Every student of the district, whatever class they are in."""
    return actor.can(ENTER)


def _taught_classrooms(actor: Actor) -> QuerySet[Classroom]:
    """Classrooms the actor teaches now, at schools where their role may enter results."""
    schools = actor.school_ids(ENTER)
    assert schools is not ALL_SCHOOLS  # administers_results() answers for district roles
    taught = StaffAssignment.objects.filter(
        user_id=actor.user_id, is_active=True, classroom__isnull=False
    )
    return Classroom.objects.filter(pk__in=taught.values("classroom_id"), school_id__in=schools)


def can_enter_for_classroom(actor: Actor, classroom: Classroom) -> bool:
    """May the actor open ``classroom``'s result grid?"""
    if administers_results(actor):
        return True
    if not actor.can(ENTER, school_id=classroom.school_id):
        return False
    return _taught_classrooms(actor).filter(pk=classroom.pk).exists()


def result_entry_students(*, actor: Actor, school_year_id: int) -> QuerySet[Student]:
    """Students whose results the actor may create, change or remove in a window of
    ``school_year_id``: all for an administrator; otherwise those currently enrolled in a
    class of that year the actor teaches."""
    students = Student.objects.all()
    if administers_results(actor):
        return students
    if not actor.can_anywhere(ENTER):
        return students.none()
    from schools.selectors import district_today

    in_my_class = (
        Enrolment.objects.all()
        .current(on=district_today(actor))
        .filter(
            student_id=OuterRef("pk"),
            classroom__in=_taught_classrooms(actor).filter(school_year_id=school_year_id),
        )
    )
    return students.filter(Exists(in_my_class))
