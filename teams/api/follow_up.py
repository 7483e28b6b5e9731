"""Commitments, celebrations and referrals through the API: of visible teams, written by
their meetings' members through teams.services."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crsys.tenancy.api import (
    DECIDED_BY_SERVICES,
    DistrictAPIMixin,
)
from schools import selectors as school_selectors
from teams import selectors, services
from teams.api.serializers import (
    CelebrationSerializer,
    CommitmentSerializer,
    DecideSerializer,
    ReferralSerializer,
    ReviewSerializer,
)
from teams.models import (
    Celebration,
    Commitment,
    Referral,
)


class CommitmentFilter(django_filters.FilterSet):
    # Not a model choice: that would answer differently for another district's user (no
    # rows) than for an id nobody has (invalid choice). Anything but an id matches nothing.
    owner = django_filters.CharFilter(method="owner_is", help_text="A user's id.")

    def owner_is(self, queryset, name, value):
        if not value.isdigit() or len(value) > 18:
            return queryset.none()
        return queryset.filter(owner_id=int(value))

    class Meta:
        model = Commitment
        fields = ["team", "meeting", "status", "owner"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("mine", bool, description="true: only the caller's open commitments.")
        ]
    )
)
class CommitmentViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Commitments of visible teams ('mine=true': the caller's open ones)."""

    serializer_class = CommitmentSerializer
    model = Commitment
    lookup_url_kwarg = "commitment_pk"
    write_capability = DECIDED_BY_SERVICES  # members write their teams' meetings
    filterset_class = CommitmentFilter

    def get_district_queryset(self):
        if self.request.query_params.get("mine") == "true":
            return selectors.open_commitments_of(actor=self.actor)
        return selectors.visible_commitments(actor=self.actor).order_by("due_date")

    def create(self, request, *args, **kwargs):
        payload = CommitmentSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        meeting = selectors.get_meeting(actor=self.actor, meeting_pk=request.data.get("meeting"))
        data = payload.validated_data
        student = data.get("student")
        if student is not None:
            student = school_selectors.get_student(actor=self.actor, student_pk=student.pk)
        commitment = services.commitment_add(
            actor=self.actor,
            meeting=meeting,
            owner_id=data["owner"].pk,
            text=data["text"],
            due_date=data["due_date"],
            student=student,
        )
        return Response(CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewSerializer, responses=CommitmentSerializer)
    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request, district_slug=None, commitment_pk=None):
        """'How is it going?' — at a later meeting of the same team."""
        self.get_object()  # a commitment the caller cannot see is a 404, whatever the body
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = selectors.get_meeting(actor=self.actor, meeting_pk=data.validated_data["meeting"])
        commitment = selectors.get_carried_commitment(meeting=meeting, commitment_pk=commitment_pk)
        commitment = services.commitment_review(
            actor=self.actor,
            commitment=commitment,
            meeting=meeting,
            status=data.validated_data["status"],
            comment=data.validated_data["comment"],
        )
        return Response(CommitmentSerializer(commitment).data)


class CelebrationViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Moments of joy recorded at meetings of visible teams."""

    serializer_class = CelebrationSerializer
    write_capability = DECIDED_BY_SERVICES  # members write their teams' meetings
    model = Celebration
    filterset_fields = ["meeting", "student"]

    def get_district_queryset(self):
        return selectors.visible_celebrations(actor=self.actor)

    def create(self, request, *args, **kwargs):
        payload = CelebrationSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        meeting = selectors.get_meeting(actor=self.actor, meeting_pk=request.data.get("meeting"))
        student = payload.validated_data.get("student")
        if student is not None:
            student = school_selectors.get_student(actor=self.actor, student_pk=student.pk)
        celebration = services.celebration_add(
            actor=self.actor,
            meeting=meeting,
            text=payload.validated_data["text"],
            student=student,
            user=request.user,
        )
        return Response(CelebrationSerializer(celebration).data, status=status.HTTP_201_CREATED)


class ReferralViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals made by or to visible teams; the support team records its decision."""

    serializer_class = ReferralSerializer
    model = Referral
    lookup_url_kwarg = "referral_pk"
    write_capability = DECIDED_BY_SERVICES  # members write their teams' meetings
    filterset_fields = ["status", "student", "to_team"]

    def get_district_queryset(self):
        return selectors.visible_referrals(actor=self.actor)

    def create(self, request, *args, **kwargs):
        payload = ReferralSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        meeting = selectors.get_meeting(
            actor=self.actor, meeting_pk=request.data.get("from_meeting")
        )
        student = school_selectors.get_student(
            actor=self.actor, student_pk=payload.validated_data["student"].pk
        )
        referral = services.referral_create(
            actor=self.actor,
            meeting=meeting,
            student=student,
            context=payload.validated_data["context"],
            user=request.user,
        )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecideSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="decide")
    def decide(self, request, district_slug=None, referral_pk=None):
        self.get_object()  # a referral the caller cannot see is a 404, whatever the body
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = selectors.get_meeting(actor=self.actor, meeting_pk=data.validated_data["meeting"])
        referral = selectors.get_referral_to_review(meeting=meeting, referral_pk=referral_pk)
        referral = services.referral_decide(
            actor=self.actor,
            referral=referral,
            meeting=meeting,
            decision=data.validated_data["decision"],
        )
        return Response(ReferralSerializer(referral).data)
