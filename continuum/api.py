"""The continuum's API: focus areas and tiers (read), supports, support plans and their
progress scores. Reads follow the pages' rules; every write goes through the services."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from continuum import selectors, services
from continuum.models import FocusArea, ProgressPoint, Support, SupportPlan, Tier
from crsys.tenancy.api import (
    DECIDED_BY_SERVICES,
    DISTRICT_SLUG_PARAMETER,
    DistrictAPIMixin,
    DistrictReadOnlyViewSet,
    DistrictScopedSerializer,
)
from schools import selectors as school_selectors
from schools.selectors import visible_students


class FocusAreaSerializer(DistrictScopedSerializer):
    class Meta:
        model = FocusArea
        fields = ["id", "key", "name", "position", "is_archived"]


class TierSerializer(DistrictScopedSerializer):
    class Meta:
        model = Tier
        fields = ["id", "number", "name", "description"]


class SupportSerializer(DistrictScopedSerializer):
    class Meta:
        model = Support
        fields = [
            "id", "name", "description", "focus_area", "tier", "school", "provider",
            "frequency", "duration_weeks", "resources", "evidence", "is_archived",
            "promoted_from", "promoted_at",
        ]  # fmt: skip
        read_only_fields = ["is_archived", "promoted_from", "promoted_at"]


class PlanSerializer(DistrictScopedSerializer):
    class Meta:
        model = SupportPlan
        fields = [
            "id", "student", "support", "focus_area", "tier", "goal", "measure", "baseline",
            "target", "responsible", "start_date", "duration_weeks", "sessions_per_week",
            "minutes_per_session", "monitor_every_weeks", "student_goal", "student_helps",
            "family", "status", "outcome",
        ]  # fmt: skip
        read_only_fields = ["focus_area", "tier", "status", "outcome"]


class PlanChangeSerializer(DistrictScopedSerializer):
    # Why a started plan's schedule, provider, length, goal or aim changed: its phase line.
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)

    class Meta:
        model = SupportPlan
        fields = [*(f for f in services.PLAN_FIELDS), "status", "outcome", "reason"]
        extra_kwargs = {name: {"required": False} for name in fields if name != "reason"}


class PointSerializer(DistrictScopedSerializer):
    class Meta:
        model = ProgressPoint
        fields = ["id", "plan", "date", "score", "note"]


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class FocusAreaViewSet(DistrictReadOnlyViewSet):
    """The district's focus areas (archived ones too)."""

    serializer_class = FocusAreaSerializer
    model = FocusArea
    lookup_url_kwarg = "focus_area_pk"

    def get_district_queryset(self) -> QuerySet[FocusArea]:
        return FocusArea.objects.all()


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class TierViewSet(DistrictReadOnlyViewSet):
    """The district's tiers."""

    serializer_class = TierSerializer
    model = Tier
    lookup_url_kwarg = "tier_pk"

    def get_district_queryset(self) -> QuerySet[Tier]:
        return Tier.objects.all()


class SupportFilter(django_filters.FilterSet):
    class Meta:
        model = Support
        fields = ["school", "focus_area", "tier", "is_archived"]


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class SupportViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The divisional supports and those of the caller's schools; principals keep their
    school's, district admins the divisional continuum."""

    serializer_class = SupportSerializer
    model = Support
    lookup_url_kwarg = "support_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_class = SupportFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_district_queryset(self) -> QuerySet[Support]:
        return selectors.visible_supports(actor=self.actor).order_by("name", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        school = data.pop("school", None)
        serializer.instance = services.support_create(
            actor=self.actor, school_id=school.pk if school else None, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("school", None)  # a support moves to the divisional continuum by promotion
        serializer.instance = services.support_update(
            actor=self.actor, support=self.get_object(), **data
        )


class PlanFilter(django_filters.FilterSet):
    class Meta:
        model = SupportPlan
        fields = ["student", "support", "status", "responsible"]


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class PlanViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Support plans of the students the caller may see."""

    serializer_class = PlanSerializer
    model = SupportPlan
    lookup_url_kwarg = "plan_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_class = PlanFilter

    def get_district_queryset(self) -> QuerySet[SupportPlan]:

        return (
            SupportPlan.objects.filter(student__in=visible_students(actor=self.actor).values("pk"))
            .select_related("focus_area", "tier")
            .order_by("-start_date", "-pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        student = school_selectors.get_student(actor=self.actor, student_pk=data.pop("student").pk)
        serializer.instance = services.plan_create(
            actor=self.actor, student=student, support=data.pop("support"), **data
        )

    @extend_schema(request=PlanChangeSerializer, responses=PlanSerializer)
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        change = PlanChangeSerializer(
            plan, data=request.data, partial=True, context=self.get_serializer_context()
        )
        change.is_valid(raise_exception=True)
        plan = services.plan_update(actor=self.actor, plan=plan, **change.validated_data)
        return Response(PlanSerializer(plan).data)


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class PointViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Progress scores of the plans the caller may see (``?plan=``)."""

    serializer_class = PointSerializer
    model = ProgressPoint
    lookup_url_kwarg = "point_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_fields = ["plan"]

    def get_district_queryset(self) -> QuerySet[ProgressPoint]:

        return ProgressPoint.objects.filter(
            plan__student__in=visible_students(actor=self.actor).values("pk")
        ).order_by("plan_id", "date", "pk")

    def create(self, request, *args, **kwargs):
        payload = PointSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        plan = selectors.get_plan(actor=self.actor, plan_pk=data.pop("plan").pk)
        point = services.progress_add(actor=self.actor, plan=plan, **data)
        return Response(PointSerializer(point).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.progress_remove(actor=self.actor, point=instance)
