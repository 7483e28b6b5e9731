"""Rostering API: read per the caller's scope, write for district admins (no deletes:
rows are withdrawn, never removed)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from crsys.tenancy.api import DistrictAPIMixin, DistrictScopedSerializer
from districts.permissions import Capability
from schools import selectors
from schools.grades import GRADE_CODES
from schools.models import (
    Classroom,
    Enrolment,
    School,
    SchoolYear,
    Student,
    StudentFlagValue,
    StudentSchool,
)


class DistrictWriteViewSet(
    DistrictAPIMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    write_capability = Capability.MANAGE_DISTRICT

    def perform_create(self, serializer):
        serializer.save(district=self.district)


def validate_grades(value: list[str]) -> list[str]:
    unknown = [g for g in value if g not in GRADE_CODES]
    if unknown:
        raise serializers.ValidationError(f"unknown grade codes: {', '.join(unknown)}")
    return value


class SchoolSerializer(DistrictScopedSerializer):
    class Meta:
        model = School
        fields = ["id", "name", "code", "grades", "implementation_stage", "is_active",
                  "sourced_id"]  # fmt: skip

    def validate_grades(self, value):
        return validate_grades(value)

    def validate_code(self, value):
        clash = School.objects.for_district(self.context["request"].district).filter(code=value)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError("another school has this code")
        return value


class SchoolViewSet(DistrictWriteViewSet):
    """Schools the caller may see; district admins create and edit them."""

    serializer_class = SchoolSerializer
    model = School
    lookup_url_kwarg = "school_pk"
    filterset_fields = ["is_active", "implementation_stage"]

    def get_district_queryset(self):
        return selectors.visible_schools(actor=self.actor)


class SchoolYearSerializer(DistrictScopedSerializer):
    class Meta:
        model = SchoolYear
        fields = ["id", "name", "start_date", "end_date", "is_active", "sourced_id"]

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"end_date": "must be after start_date"})
        # The page's rule (SchoolYear.clean: years never overlap), for the API alike.
        year = SchoolYear(
            pk=getattr(self.instance, "pk", None),
            district_id=self.context["request"].district.pk,
            start_date=start,
            end_date=end,
        )
        try:
            year.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs


class SchoolYearViewSet(DistrictWriteViewSet):
    serializer_class = SchoolYearSerializer
    model = SchoolYear
    lookup_url_kwarg = "schoolyear_pk"

    def get_district_queryset(self):
        return SchoolYear.objects.for_district(self.district)


def grade_filter(queryset, name, value):
    if connection.vendor == "postgresql":
        return queryset.filter(grades__contains=[value])
    return queryset.filter(grades__icontains=f'"{value}"')  # JSON text on SQLite


class ClassroomFilter(django_filters.FilterSet):
    grade = django_filters.ChoiceFilter(choices=[(g, g) for g in GRADE_CODES], method=grade_filter)

    class Meta:
        model = Classroom
        fields = ["school", "school_year", "is_active"]


class ClassroomSerializer(DistrictScopedSerializer):
    class Meta:
        model = Classroom
        fields = ["id", "name", "school", "school_year", "grades", "is_active", "sourced_id"]

    def validate_grades(self, value):
        return validate_grades(value)


class ClassroomViewSet(DistrictWriteViewSet):
    serializer_class = ClassroomSerializer
    model = Classroom
    lookup_url_kwarg = "classroom_pk"
    filterset_class = ClassroomFilter

    def get_district_queryset(self):
        return selectors.visible_classrooms(actor=self.actor).order_by("school_id", "name")


class StudentFilter(django_filters.FilterSet):
    classroom = django_filters.NumberFilter(method="in_classroom", label="Currently in classroom")
    school = django_filters.ModelChoiceFilter(
        queryset=School.objects.all(), method="at_school",
        label="On the school's roll (home school, or also at it)",
    )  # fmt: skip
    search = django_filters.CharFilter(method="search_students", label="Name or student number")

    class Meta:
        model = Student
        fields = ["school", "grade", "is_active"]

    def in_classroom(self, queryset, name, value):
        return queryset.filter(
            pk__in=Enrolment.objects.for_district(self.request.district)
            .current(on=selectors.district_today(self.request.district))
            .filter(classroom_id=value)
            .values("student_id")
        )

    def at_school(self, queryset, name, value):
        also = StudentSchool.objects.for_district(self.request.district).filter(
            school=value, is_active=True
        )
        return queryset.filter(Q(school=value) | Q(pk__in=also.values("student_id")))

    def search_students(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(student_number__istartswith=word) | Q(given_name__icontains=word)
                | Q(preferred_name__icontains=word) | Q(family_name__icontains=word)
            )  # fmt: skip
        return queryset


class StudentSerializer(DistrictScopedSerializer):
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Student
        fields = ["id", "student_number", "given_name", "family_name", "preferred_name",
                  "grade", "school", "birth_date", "is_active", "sourced_id", "flags"]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_flags(self, student) -> list[str]:
        """Flag codes the caller may see (sensitive ones only with the right role)."""
        actor = self.context["request"].actor
        values = getattr(student, "prefetched_flags", None)
        if values is None:
            return []
        see_sensitive = actor.can(Capability.VIEW_SENSITIVE_FLAGS, school_id=student.school_id)
        return [v.flag.code for v in values if see_sensitive or not v.flag.sensitive]

    def validate_student_number(self, value):
        clash = Student.objects.for_district(self.context["request"].district).filter(
            student_number=value
        )
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError("another student has this number")
        return value


class StudentViewSet(DistrictWriteViewSet):
    serializer_class = StudentSerializer
    model = Student
    lookup_url_kwarg = "student_pk"
    filterset_class = StudentFilter

    def get_district_queryset(self):
        flags = StudentFlagValue.objects.for_district(self.district).select_related("flag")
        return (
            selectors.visible_students(actor=self.actor)
            .prefetch_related(Prefetch("flag_values", queryset=flags, to_attr="prefetched_flags"))
            .order_by("family_name", "given_name", "pk")
        )


class EnrolmentSerializer(DistrictScopedSerializer):
    class Meta:
        model = Enrolment
        fields = ["id", "student", "classroom", "start_date", "end_date", "is_active",
                  "sourced_id"]  # fmt: skip

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "must not be before start_date"})
        return attrs


class EnrolmentViewSet(DistrictWriteViewSet):
    serializer_class = EnrolmentSerializer
    model = Enrolment
    lookup_url_kwarg = "enrolment_pk"
    filterset_fields = ["student", "classroom", "is_active"]

    def get_district_queryset(self):
        students = selectors.visible_students(actor=self.actor).values("pk")
        return (
            Enrolment.objects.for_district(self.district)
            .filter(student_id__in=students)
            .order_by("-start_date", "pk")
        )
