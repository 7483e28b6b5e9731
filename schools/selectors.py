"""Reads about schools, classrooms and students, filtered to what an actor may see.

This is the one place student visibility is decided (DESIGN §4): pages, the API, search and
exports all start from ``visible_students``.
"""

from __future__ import annotations

import datetime
import functools

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from districts.permissions import ALL_SCHOOLS, Actor, AllSchools, Capability
from schools.models import (
    Classroom,
    Enrolment,
    School,
    SchoolYear,
    StaffAssignment,
    Student,
    StudentFlagValue,
    StudentSchool,
    current_enrolment,
)


def _not_found(what: str):
    return Http404(f"No such {what}.")


def visible_schools(*, actor: Actor) -> QuerySet[School]:
    """Schools the actor may view, or where they work (a teacher sees their school's name)."""
    schools = School.objects.all()
    ids = actor.school_ids(Capability.VIEW_SCHOOL)
    if isinstance(ids, AllSchools):
        return schools
    return schools.filter(pk__in=ids | actor.member_school_ids())


def viewable_school_ids(actor: Actor):
    return actor.school_ids(Capability.VIEW_SCHOOL)


def can_view_whole_school(actor: Actor, school_id: int) -> bool:
    return actor.can(Capability.VIEW_SCHOOL, school_id=school_id)


def get_school(*, actor: Actor, school_pk) -> School:
    try:
        return visible_schools(actor=actor).get(pk=school_pk)
    except (School.DoesNotExist, ValueError, TypeError):
        raise _not_found("school") from None


def find_school(*, actor: Actor, school_pk) -> School | None:
    """``get_school`` for an optional choice (a query parameter): None when not found."""
    try:
        return get_school(actor=actor, school_pk=school_pk)
    except Http404:
        return None


def visible_students_by_pk(*, actor: Actor, pks) -> dict[int, Student]:
    """The visible students among ``pks`` (ids from a client), by id; the others are absent."""
    return {s.pk: s for s in visible_students(actor=actor).filter(pk__in=pks)}


def enrolled_in_classroom(students: QuerySet[Student], *, classroom_pk, on) -> QuerySet[Student]:
    """``students`` narrowed to those currently enrolled in the classroom ``classroom_pk``."""
    return students.filter(
        pk__in=Enrolment.objects.current(on=on)
        .filter(classroom_id=classroom_pk)
        .values("student_id")
    )


def taught_classroom_ids(actor: Actor) -> QuerySet:
    return (
        StaffAssignment.objects.all()
        .filter(user_id=actor.user_id, is_active=True, classroom__isnull=False)
        .values("classroom_id")
    )


def team_classroom_ids(actor: Actor) -> QuerySet:
    """Classrooms taught, at the team's school, by members of the actor's teams: a teacher
    discusses the whole team's students at its meetings."""
    from teams.models import Team, TeamMember

    members = TeamMember.objects.all()
    my_teams = members.filter(user_id=actor.user_id).values("team_id")
    return (
        StaffAssignment.objects.all()
        .filter(
            user_id__in=members.filter(team_id__in=my_teams).values("user_id"),
            school_id__in=Team.objects.all().filter(pk__in=my_teams).values("school_id"),
            is_active=True,
            classroom__isnull=False,
        )
        .values("classroom_id")
    )


def taught_classrooms(*, actor: Actor) -> QuerySet[Classroom]:
    """The classes the actor teaches now (their home page)."""
    return (
        Classroom.objects.all()
        .filter(pk__in=taught_classroom_ids(actor), is_active=True)
        .select_related("school")
        .order_by("name")
    )


def visible_classrooms(*, actor: Actor) -> QuerySet[Classroom]:
    classrooms = Classroom.objects.all()
    ids = viewable_school_ids(actor)
    if ids is ALL_SCHOOLS:
        return classrooms
    return classrooms.filter(Q(school_id__in=ids) | Q(pk__in=taught_classroom_ids(actor)))


def get_classroom(*, actor: Actor, classroom_pk) -> Classroom:
    try:
        return (
            visible_classrooms(actor=actor)
            .select_related("school", "school_year")
            .get(pk=classroom_pk)
        )
    except (Classroom.DoesNotExist, ValueError, TypeError):
        raise _not_found("classroom") from None


def visible_students(*, actor: Actor, on: datetime.date | None = None) -> QuerySet[Student]:
    """Students the actor may see: district roles all; principals, vice-principals and support
    staff those of their schools, or currently in a class at their schools; teachers those
    currently enrolled in classrooms they teach, or that their teams' members teach, or
    referred to one of their teams (the students a school support team follows).

    Every list that names students starts here, so a page never lists a student whose own
    page would answer 404. "Currently": on ``on``, by default the district's today."""
    # A fresh clone of the built query: callers may evaluate or refine it freely.
    return _visible_students(actor, on or district_today(actor)).all()


@functools.lru_cache(maxsize=512)
def _visible_students(actor: Actor, on: datetime.date) -> QuerySet[Student]:
    # Building the rule costs ~14 ms of Python (its subqueries are resolved at filter time)
    # and a meeting page asks for it six times. Every part is a lazy subquery, so the built
    # query stays right across requests; the key holds everything it depends on (the actor's
    # grants and the date).
    from teams.models import Referral, TeamMember

    students = Student.objects.all()
    ids = viewable_school_ids(actor)
    if ids is ALL_SCHOOLS:
        return students
    # Each part is "student ids from a small, indexed side" (a class's enrolments, a team's
    # referrals), not an EXISTS per student: PostgreSQL hashes each subquery once instead of
    # probing it for every student of the district.
    current = Enrolment.objects.current(on=on)
    my_teams = TeamMember.objects.filter(user_id=actor.user_id)
    referred = Referral.objects.filter(to_team_id__in=my_teams.values("team_id"))
    visible = (
        Q(pk__in=current.filter(classroom_id__in=taught_classroom_ids(actor)).values("student_id"))
        | Q(pk__in=current.filter(classroom_id__in=team_classroom_ids(actor)).values("student_id"))
        | Q(pk__in=referred.values("student_id"))
    )
    if ids:
        at_schools = current.filter(classroom__school_id__in=ids).values("student_id")
        visible |= Q(school_id__in=ids) | Q(pk__in=at_schools)
        visible |= Q(pk__in=_also_on_roll(actor.district_id, ids))
    return students.filter(visible)


def _also_on_roll(district_id: int, school_ids) -> QuerySet:
    """Students whose home is another school but who are also on the roll of one of
    ``school_ids`` (``StudentSchool``, from a roster listing them at several schools): ids
    from that small indexed table, like the other parts of ``_visible_students``."""
    return StudentSchool.objects.filter(school_id__in=school_ids, is_active=True).values(
        "student_id"
    )


def get_student(*, actor: Actor, student_pk) -> Student:
    try:
        return visible_students(actor=actor).select_related("school").get(pk=student_pk)
    except (Student.DoesNotExist, ValueError, TypeError):
        raise _not_found("student") from None


def student_other_schools(*, student: Student) -> QuerySet[School]:
    """The schools, besides their home school, whose roll the student is also on."""
    return School.objects.filter(
        pk__in=StudentSchool.objects.filter(student=student, is_active=True).values("school_id")
    )


def student_school_ids(student: Student) -> set[int]:
    """The student's home school and every other school whose roll they are on."""
    return {student.school_id, *student_other_schools(student=student).values_list("pk", flat=True)}


def search_students(*, actor: Actor, query: str, limit: int = 25) -> QuerySet[Student]:
    """By student number (prefix) or by any part of the given, preferred or family name; each
    of the first five words must match. Only students the actor may see."""
    words = query.split()
    students = visible_students(actor=actor).filter(is_active=True)
    if not words:
        return students.none()
    for word in words[:5]:
        students = students.filter(
            Q(student_number__istartswith=word)
            | Q(given_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(family_name__icontains=word)
        )
    return students.select_related("school")[:limit]


def visible_flags(*, actor: Actor, student: Student) -> list:
    """The student's flags the actor may see: sensitive ones only with the capability."""
    values = StudentFlagValue.objects.all().filter(student=student).select_related("flag")
    see_sensitive = actor.can(Capability.VIEW_SENSITIVE_FLAGS, school_id=student.school_id)
    return [v.flag for v in values if see_sensitive or not v.flag.sensitive]


def classroom_students(
    *, actor: Actor, classroom: Classroom, on: datetime.date | None = None
) -> QuerySet[Student]:
    """Students enrolled in ``classroom`` on ``on`` (the district's today) whom the actor may
    see."""
    on = on or district_today(actor)
    return (
        visible_students(actor=actor, on=on)
        .filter(current_enrolment(on=on, prefix="enrolments"), enrolments__classroom=classroom)
        .distinct()
    )


def school_classrooms(
    *, actor: Actor, school: School, school_year=None, on: datetime.date | None = None
) -> list[Classroom]:
    classrooms = visible_classrooms(actor=actor).filter(school=school, is_active=True)
    if school_year is not None:
        classrooms = classrooms.filter(school_year=school_year)
    from schools.grades import GRADE_ORDER

    annotated = classrooms.annotate(
        student_count=Count(
            "enrolments",
            filter=current_enrolment(on=on or district_today(actor), prefix="enrolments"),
        )
    )
    return sorted(annotated, key=lambda c: (GRADE_ORDER.get((c.grades or ["UG"])[0], 99), c.name))


def school_grade_counts(*, school: School) -> list[tuple[str, int]]:
    from schools.grades import GRADE_ORDER

    rows = (
        Student.objects.all()
        .filter(school=school, is_active=True)
        .values_list("grade")
        .annotate(n=Count("id"))
    )
    return sorted(rows, key=lambda r: GRADE_ORDER.get(r[0], 99))


def school_staff(*, school: School) -> list[dict]:
    """One entry per person: their roles at the school and the classes they teach."""
    assignments = (
        StaffAssignment.objects.all()
        .filter(school=school, is_active=True)
        .select_related("user", "classroom")
        .order_by("user__full_name", "user__email", "role")
    )
    people: dict[int, dict] = {}
    for a in assignments:
        person = people.setdefault(a.user_id, {"user": a.user, "roles": [], "classes": []})
        if a.get_role_display() not in person["roles"]:
            person["roles"].append(a.get_role_display())
        if a.classroom_id:
            person["classes"].append(a.classroom.name)
    return list(people.values())


def current_school_year(*, district, today=None) -> SchoolYear | None:
    """The school year containing the district's today (in its own time zone), else the
    latest one."""
    today = today or district_today(district)
    years = SchoolYear.objects.all()
    return (
        years.filter(start_date__lte=today, end_date__gte=today).first()
        or years.order_by("-start_date").first()
    )


def district_today(district) -> datetime.date:
    """The date in the district's own time zone: crsys's one "today" (current enrolments,
    open windows). ``district``: a District, or an Actor (which carries its district's zone;
    one without reads it from the district). Both end in ``District.today``'s rule."""
    from districts.models import District, today_in

    time_zone = getattr(district, "time_zone", None)
    if time_zone is None:
        time_zone = District.objects.values_list("time_zone", flat=True).get(
            pk=district.district_id
        )
    return today_in(time_zone)


def student_enrolments(*, student: Student, on: datetime.date) -> QuerySet[Enrolment]:
    """The student's enrolments, newest first, each with ``is_current`` on ``on``."""
    from django.db.models import BooleanField, ExpressionWrapper

    return (
        Enrolment.objects.all()
        .filter(student=student)
        .annotate(
            is_current=ExpressionWrapper(current_enrolment(on=on), output_field=BooleanField())
        )
        .select_related("classroom", "classroom__school", "classroom__school_year")
        .order_by("-start_date", "-id")
    )


def schools_with_counts(*, actor: Actor) -> QuerySet[School]:
    return visible_schools(actor=actor).annotate(
        student_count=Count("students", filter=Q(students__is_active=True))
    )


def roster_imports(*, district_id: int) -> QuerySet:
    from schools.models import RosterImport

    return (
        RosterImport.objects.all()
        .select_related("created_by", "committed_by")
        .defer("problems", "warnings")
    )


def get_roster_import(*, district_id: int, import_pk):
    from schools.models import RosterImport

    try:
        return RosterImport.objects.get(pk=import_pk)
    except (RosterImport.DoesNotExist, ValueError, TypeError):
        raise _not_found("import") from None


def classroom_teachers(*, classroom: Classroom) -> QuerySet[StaffAssignment]:
    return (
        StaffAssignment.objects.all()
        .filter(classroom=classroom, is_active=True)
        .select_related("user")
    )


def pending_invitations_of(*, user) -> list[dict]:
    """Outside every district: the roles each district's import offers this person, per
    district, for them to accept or decline (ADR 7)."""
    from schools.models import PendingMembership

    offers: dict[int, dict] = {}
    rows = (
        PendingMembership.objects.unscoped()  # the person's own invitations, in every district
        .filter(user_id=user.pk)
        .select_related("district", "school")
        .order_by("district__name", "role")
    )
    for p in rows:
        entry = offers.setdefault(p.district_id, {"district": p.district, "roles": []})
        entry["roles"].append(p)
    return list(offers.values())


def uninvited_count(*, roster_import) -> int:
    """People an import invited whom nobody has e-mailed yet (the admin chooses to)."""
    from schools.models import PendingMembership

    return (
        PendingMembership.objects.all()
        .filter(roster_import=roster_import, invited_at__isnull=True)
        .values("user_id")
        .distinct()
        .count()
    )
