"""The API of the district's continuum of supports for schools: what the district offers
(district supports), each school's tier of district support, and the school support
assignments. Reads follow the pages' rules; every write goes through the services."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from continuum import school_selectors, school_services
from continuum.school_models import DistrictSupport, SchoolSupportAssignment, SchoolSupportTier
from crsys.tenancy.api import (
    DECIDED_BY_SERVICES,
    DISTRICT_SLUG_PARAMETER,
    DistrictAPIMixin,
    DistrictScopedSerializer,
)

MAX_ID = 2**63 - 1


class DistrictSupportSerializer(DistrictScopedSerializer):
    providers = serializers.SerializerMethodField()
    provider_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        write_only=True,
        required=False,
        max_length=50,
        help_text="User ids of the district staff who provide it.",
    )

    class Meta:
        model = DistrictSupport
        fields = ["id", "name", "description", "area", "level", "frequency", "is_archived",
                  "providers", "provider_ids"]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_providers(self, support) -> list[int]:
        return [p.user_id for p in support.providers.all()]


class AssignmentSerializer(DistrictScopedSerializer):
    class Meta:
        model = SchoolSupportAssignment
        fields = ["id", "school", "support", "start_date", "end_date", "note"]
        read_only_fields = ["end_date"]


class AssignmentEndSerializer(serializers.Serializer):
    end_date = serializers.DateField()


class SchoolTierSerializer(DistrictScopedSerializer):
    class Meta:
        model = SchoolSupportTier
        fields = ["id", "school", "level", "note"]

    def _constraint_errors(self, instance):
        # One row per school: posting a school's tier again changes it (no clash to report).
        return {}


def _providers(ids):
    if ids is None:
        return None
    users = list(school_selectors.district_staff().filter(pk__in=ids))
    if len(users) != len(set(ids)):
        raise serializers.ValidationError(
            {"provider_ids": ["Choose members of the district's own staff."]}
        )
    return users


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class DistrictSupportViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """What the district offers its schools, by tier, with the staff who provide each.
    Every member reads the offer; district admins and leaders keep it."""

    serializer_class = DistrictSupportSerializer
    model = DistrictSupport
    lookup_url_kwarg = "districtsupport_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_fields = ["area", "level", "is_archived"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_district_queryset(self) -> QuerySet[DistrictSupport]:
        return DistrictSupport.objects.prefetch_related("providers").order_by("name", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("is_archived", None)  # a new support is in use; PATCH archives it
        providers = _providers(data.pop("provider_ids", None)) or []
        serializer.instance = school_services.district_support_create(
            actor=self.actor, providers=providers, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        providers = _providers(data.pop("provider_ids", None))
        serializer.instance = school_services.district_support_update(
            actor=self.actor, support=self.get_object(), providers=providers, **data
        )


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class SchoolSupportAssignmentViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """District supports assigned to schools (district admins and leaders; a principal
    reads their own school's). PATCH with ``end_date`` ends one."""

    serializer_class = AssignmentSerializer
    model = SchoolSupportAssignment
    lookup_url_kwarg = "schoolsupportassignment_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_fields = ["school", "support"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_district_queryset(self) -> QuerySet[SchoolSupportAssignment]:
        return school_selectors.visible_assignments(actor=self.actor).order_by("-start_date", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = school_services.assign_school_support(
            actor=self.actor, school=data.pop("school"), support=data.pop("support"), **data
        )

    @extend_schema(request=AssignmentEndSerializer, responses=AssignmentSerializer)
    def partial_update(self, request, *args, **kwargs):
        assignment = self.get_object()
        payload = AssignmentEndSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assignment = school_services.school_support_end(
            actor=self.actor, assignment=assignment, end_date=payload.validated_data["end_date"]
        )
        return Response(AssignmentSerializer(assignment).data)


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class SchoolSupportTierViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Each school's tier of district support (a school without a row: universal). POST a
    school's tier to set it."""

    serializer_class = SchoolTierSerializer
    model = SchoolSupportTier
    lookup_url_kwarg = "schoolsupporttier_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_fields = ["school", "level"]

    def get_district_queryset(self) -> QuerySet[SchoolSupportTier]:
        return school_selectors.visible_school_tiers(actor=self.actor).order_by("school_id")

    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        tier = school_services.school_support_tier_set(actor=self.actor, **payload.validated_data)
        return Response(SchoolTierSerializer(tier).data, status=status.HTTP_201_CREATED)
