from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from crsys.tenancy.models import TenantManager, TenantModel, TenantQuerySet
from schools.grades import GRADE_CHOICES
from schools.roster.models import PendingMembership, RosterImport  # noqa: F401 (the app's models)


class ImplementationStage(models.TextChoices):
    """Where a school is in implementing Collaborative Response."""

    EXPLORING = "exploring", "Exploring"
    INSTALLING = "installing", "Installing"
    INITIAL = "initial", "Initial implementation"
    FULL = "full", "Full implementation"
    SUSTAINING = "sustaining", "Sustaining"


class SourcedModel(TenantModel):
    """A row that may come from the district's SIS: ``sourced_id`` is its OneRoster id, and
    ``is_active`` false means withdrawn (rows are never hard-deleted by an import)."""

    sourced_id = models.CharField(max_length=255, null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True


class School(SourcedModel):
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=64, help_text="The school's code in the district's SIS.")
    grades = models.JSONField(default=list, blank=True, help_text="Grades served, e.g. KG–06.")
    implementation_stage = models.CharField(
        max_length=16, choices=ImplementationStage.choices, default=ImplementationStage.EXPLORING
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="school_code_unique"),
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="school_sourced_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "schools:school",
            kwargs={"district_slug": self.district.slug, "school_pk": self.pk},
        )


class SchoolYear(SourcedModel):
    name = models.CharField(max_length=40, help_text="e.g. 2026–2027")
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="school_year_name_unique"),
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="school_year_sourced_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="school_year_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not (self.start_date and self.end_date and self.district_id):
            return
        # The current year is the latest that has begun (schools.selectors): an overlapping
        # year would silently become "current" and empty every class list.
        overlapping = (
            SchoolYear.objects.all()
            .filter(start_date__lte=self.end_date, end_date__gte=self.start_date)
            .exclude(pk=self.pk)
            .first()
        )
        if overlapping:
            raise ValidationError(
                {
                    "start_date": f"overlaps {overlapping.name} ({overlapping.start_date:%-d %b %Y}"
                    f" to {overlapping.end_date:%-d %b %Y}); school years never overlap"
                }
            )


class Classroom(SourcedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classrooms")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="classrooms")
    name = models.CharField(max_length=200)
    grades = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="classroom_sourced_id_unique"
            )
        ]
        indexes = [models.Index(fields=["district", "school", "school_year"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "schools:classroom",
            kwargs={"district_slug": self.district.slug, "classroom_pk": self.pk},
        )


class Student(SourcedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    student_number = models.CharField(max_length=64)
    given_name = models.CharField(max_length=120)
    family_name = models.CharField(max_length=120)
    preferred_name = models.CharField(max_length=120, blank=True)
    grade = models.CharField(max_length=8, choices=GRADE_CHOICES)
    birth_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["family_name", "given_name", "student_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "student_number"], name="student_number_unique"
            ),
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="student_sourced_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["district", "school", "grade"]),
            models.Index(fields=["district", "family_name", "given_name"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse(
            "schools:student",
            kwargs={"district_slug": self.district.slug, "student_pk": self.pk},
        )

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    @property
    def choice_label(self) -> str:
        """In a list to pick from: two students may share a name, never a number."""
        return (
            f"{self.family_name}, {self.preferred_name or self.given_name} "
            f"({self.get_grade_display()}, #{self.student_number})"
        )


class StudentSchool(SourcedModel):
    """A school where a student is also on the roll besides their home school
    (``Student.school``, OneRoster's primary org): a student shared by two schools is seen by
    the other school's principal and support staff too (``schools.selectors``). Kept by the
    roster import, one row per (student, school), ``sourced_id`` "<student>@<school>";
    withdrawn (``is_active`` false), never deleted, when a later file drops the school."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="also_at")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="also_on_roll")

    class Meta:
        ordering = ["student_id", "school_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="student_school_sourced_id_unique"
            )
        ]
        indexes = [models.Index(fields=["district", "school", "is_active"])]

    def __str__(self) -> str:
        return f"{self.student_id} also at {self.school_id}"


def current_enrolment(*, on: datetime.date, prefix: str = "") -> Q:
    """THE rule for "currently enrolled" (issue 9): an active enrolment whose dates contain
    ``on`` (the district's today, ``schools.selectors.district_today``); either date may be
    blank. As in OneRoster (enrollments ``beginDate`` inclusive, ``endDate`` exclusive), the
    end date is the first day the student is no longer there: a withdrawal ends an enrolment
    today, and a future end date (often the term's end) is still current. Counting only
    enrolments with no end date hid every student of a district that sends end dates.

    ``prefix`` is the path to the enrolment from the queried model (``"enrolments"`` from a
    student or a classroom); used inside one ``filter()`` every condition is about the same
    enrolment row. Every place that decides "current" uses this (or ``enrolled_during``, the
    queryset's ``current``/``during``, ``current_enrolment_sql``):
    tests/schools/test_current_enrolment.py forbids any other way."""
    return enrolled_during(first=on, last=on, prefix=prefix)


def enrolled_during(*, first: datetime.date, last: datetime.date, prefix: str = "") -> Q:
    """``current_enrolment`` on at least one day from ``first`` to ``last`` (a screening
    window: a student there for part of it may be screened)."""
    path = f"{prefix}__" if prefix else ""
    return (
        Q(**{f"{path}is_active": True})
        & (Q(**{f"{path}start_date__isnull": True}) | Q(**{f"{path}start_date__lte": last}))
        & (Q(**{f"{path}end_date__isnull": True}) | Q(**{f"{path}end_date__gt": first}))
    )


def current_enrolment_sql(alias: str, on_param: str = "on") -> str:
    """``current_enrolment`` for raw SQL (the recompute): the enrolment table aliased
    ``alias``, the date in the named parameter ``%(on_param)s``."""
    on = f"%({on_param})s"
    return (
        f"{alias}.is_active AND ({alias}.start_date IS NULL OR {alias}.start_date <= {on}) "
        f"AND ({alias}.end_date IS NULL OR {alias}.end_date > {on})"
    )


class EnrolmentQuerySet(TenantQuerySet):
    def current(self, *, on: datetime.date) -> EnrolmentQuerySet:
        return self.filter(current_enrolment(on=on))

    def during(self, *, first: datetime.date, last: datetime.date) -> EnrolmentQuerySet:
        return self.filter(enrolled_during(first=first, last=last))


class EnrolmentManager(TenantManager.from_queryset(EnrolmentQuerySet)):
    pass


class Enrolment(SourcedModel):
    """A student in a classroom from ``start_date`` to ``end_date`` (blank: open), current
    by ``current_enrolment``.

    Ended, never deleted, so a student's history survives a move between schools."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrolments")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrolments")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    objects = EnrolmentManager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="enrolment_sourced_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["district", "classroom", "is_active"]),
            models.Index(fields=["district", "student"]),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.classroom_id}"


class StaffRole(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    CO_TEACHER = "co_teacher", "Co-teacher"
    AIDE = "aide", "Educational assistant"
    SUPPORT = "support", "Support staff"
    PRINCIPAL = "principal", "Principal"


class StaffAssignment(SourcedModel):
    """A staff member at a school, and in a classroom when they teach it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_assignments"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff")
    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, null=True, blank=True, related_name="staff"
    )
    role = models.CharField(max_length=16, choices=StaffRole.choices, default=StaffRole.TEACHER)
    #: The staff member's OneRoster user sourcedId, so later files can refer to them.
    user_sourced_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="staff_assignment_sourced_id_unique"
            )
        ]
        indexes = [models.Index(fields=["district", "user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} at {self.classroom_id or self.school_id}"


class StudentFlag(TenantModel):
    """A district-defined flag such as English-language learner. A sensitive flag is shown
    only to roles that may see sensitive information at the student's school."""

    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=120)
    sensitive = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="student_flag_code_unique")
        ]

    def __str__(self) -> str:
        return self.label


class StudentFlagValue(TenantModel):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="flag_values")
    flag = models.ForeignKey(StudentFlag, on_delete=models.CASCADE, related_name="values")

    class Meta:
        ordering = ["flag__label"]
        constraints = [
            models.UniqueConstraint(fields=["student", "flag"], name="student_flag_once")
        ]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.flag_id}"
