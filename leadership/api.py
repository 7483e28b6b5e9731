"""The leadership API: assurance areas, priorities, measures, evaluations (read: they are
computed), action plans, goals, check-ins and comments. Reads follow the pages' rules;
every write goes through the services."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from crsys.tenancy.api import (
    DECIDED_BY_SERVICES,
    DISTRICT_SLUG_PARAMETER,
    DistrictAPIMixin,
    DistrictReadOnlyViewSet,
    DistrictScopedSerializer,
)
from districts.permissions import ALL_SCHOOLS, Capability
from leadership import selectors, services
from leadership.models import (
    ActionPlan,
    AssuranceArea,
    CheckIn,
    Evaluation,
    Goal,
    Measure,
    PlanComment,
    Priority,
)
from leadership.services.priorities import MEASURE_FIELDS
from schools import selectors as school_selectors


class AssuranceAreaSerializer(DistrictScopedSerializer):
    class Meta:
        model = AssuranceArea
        fields = ["id", "key", "name", "position"]


class PrioritySerializer(DistrictScopedSerializer):
    class Meta:
        model = Priority
        fields = ["id", "school_year", "area", "title", "description", "position"]


class MeasureSerializer(DistrictScopedSerializer):
    class Meta:
        model = Measure
        fields = ["id", "priority", *MEASURE_FIELDS]


class MeasureChangeSerializer(DistrictScopedSerializer):
    class Meta:
        model = Measure
        fields = list(MEASURE_FIELDS)
        extra_kwargs = {name: {"required": False} for name in fields}


class EvaluationSerializer(DistrictScopedSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "measure", "school", "value", "previous", "students", "achievement",
                  "improvement", "overall", "updated_at"]  # fmt: skip


class ActionPlanSerializer(DistrictScopedSerializer):
    class Meta:
        model = ActionPlan
        fields = ["id", "school", "school_year", "status"]
        read_only_fields = ["status"]


class GoalSerializer(DistrictScopedSerializer):
    class Meta:
        model = Goal
        fields = ["id", "plan", "priority", "title"]


class CheckInSerializer(DistrictScopedSerializer):
    class Meta:
        model = CheckIn
        fields = ["id", "goal", "phase", "status", "narrative", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]


class PlanCommentSerializer(DistrictScopedSerializer):
    class Meta:
        model = PlanComment
        fields = ["id", "goal", "commitment", "text", "author", "answer", "answered_by",
                  "answered_at", "created_at"]  # fmt: skip
        read_only_fields = ["author", "answer", "answered_by", "answered_at", "created_at"]


class PlanAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class AreaViewSet(DistrictReadOnlyViewSet):
    """The district's assurance areas."""

    serializer_class = AssuranceAreaSerializer
    model = AssuranceArea
    lookup_url_kwarg = "assurancearea_pk"

    def get_district_queryset(self) -> QuerySet[AssuranceArea]:
        return AssuranceArea.objects.all()


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class PriorityViewSet(
    DistrictAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """District priorities per school year (``?school_year=``); admins and leaders write."""

    serializer_class = PrioritySerializer
    model = Priority
    lookup_url_kwarg = "priority_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_fields = ["school_year", "area"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_district_queryset(self) -> QuerySet[Priority]:
        return selectors.visible_priorities().order_by("pk")

    def perform_create(self, serializer):
        serializer.instance = services.priority_save(actor=self.actor, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.priority_save(
            actor=self.actor, priority=self.get_object(), **serializer.validated_data
        )


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class MeasureViewSet(
    DistrictAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Measures of the priorities; a change rebuilds their evaluations."""

    serializer_class = MeasureSerializer
    model = Measure
    lookup_url_kwarg = "measure_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_fields = ["priority", "source", "kind"]

    def get_district_queryset(self) -> QuerySet[Measure]:
        return Measure.objects.select_related("priority").order_by("pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.measure_save(
            actor=self.actor, priority=data.pop("priority"), **data
        )

    @extend_schema(request=MeasureChangeSerializer, responses=MeasureSerializer)
    def partial_update(self, request, *args, **kwargs):
        measure = self.get_object()
        change = MeasureChangeSerializer(
            measure, data=request.data, partial=True, context=self.get_serializer_context()
        )
        change.is_valid(raise_exception=True)
        measure = services.measure_save(actor=self.actor, measure=measure, **change.validated_data)
        return Response(MeasureSerializer(measure).data)


def _plan_school_filter(actor, queryset, field: str):
    ids = actor.school_ids(Capability.VIEW_SCHOOL)
    return queryset if ids is ALL_SCHOOLS else queryset.filter(**{f"{field}__in": ids})


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class EvaluationViewSet(DistrictReadOnlyViewSet):
    """Stored evaluations of the schools the caller may open (``?school=``, ``?measure=``)."""

    serializer_class = EvaluationSerializer
    model = Evaluation
    lookup_url_kwarg = "evaluation_pk"
    filterset_fields = ["school", "measure", "overall"]

    def get_district_queryset(self) -> QuerySet[Evaluation]:
        rows = Evaluation.objects.order_by("school_id", "measure_id")
        return _plan_school_filter(self.actor, rows, "school_id")


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class ActionPlanViewSet(
    DistrictAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Action plans of the schools the caller may open; principals start theirs."""

    serializer_class = ActionPlanSerializer
    model = ActionPlan
    lookup_url_kwarg = "actionplan_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_fields = ["school", "school_year", "status"]

    def get_district_queryset(self) -> QuerySet[ActionPlan]:
        return selectors.visible_plans(actor=self.actor).order_by("pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        school = school_selectors.get_school(actor=self.actor, school_pk=data["school"].pk)
        serializer.instance = services.plan_create(
            actor=self.actor, school=school, school_year=data["school_year"]
        )


def _plan_of(actor, plan_pk):
    return selectors.get_plan(actor=actor, actionplan_pk=plan_pk)


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class GoalViewSet(
    DistrictAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Goals of the plans the caller may open (``?plan=``)."""

    serializer_class = GoalSerializer
    model = Goal
    lookup_url_kwarg = "goal_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_fields = ["plan", "priority"]

    def get_district_queryset(self) -> QuerySet[Goal]:
        plans = selectors.visible_plans(actor=self.actor).values("pk")
        return Goal.objects.filter(plan__in=plans).order_by("pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        plan = _plan_of(self.actor, data.pop("plan").pk)
        serializer.instance = services.goal_create(actor=self.actor, plan=plan, **data)


def _goal_of(actor, goal):
    plan = _plan_of(actor, goal.plan_id)
    return selectors.get_goal(plan=plan, goal_pk=goal.pk)


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class CheckInViewSet(
    DistrictAPIMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Check-ins on the goals of the plans the caller may open (``?goal=``): history, never
    edited."""

    serializer_class = CheckInSerializer
    model = CheckIn
    lookup_url_kwarg = "checkin_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_fields = ["goal", "status", "phase"]

    def get_district_queryset(self) -> QuerySet[CheckIn]:
        plans = selectors.visible_plans(actor=self.actor).values("pk")
        return CheckIn.objects.filter(goal__plan__in=plans).order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        goal = _goal_of(self.actor, data.pop("goal"))
        serializer.instance = services.check_in_add(actor=self.actor, goal=goal, **data)


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class CommentViewSet(
    DistrictAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """District leaders' comments on goals and commitments; PATCH answers one (principal)."""

    serializer_class = PlanCommentSerializer
    model = PlanComment
    lookup_url_kwarg = "plancomment_pk"
    write_capability = DECIDED_BY_SERVICES
    filterset_fields = ["goal", "commitment"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_district_queryset(self) -> QuerySet[PlanComment]:
        plans = selectors.visible_plans(actor=self.actor).values("pk")
        return PlanComment.objects.filter(goal__plan__in=plans).order_by("pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        goal = _goal_of(self.actor, data.pop("goal"))
        serializer.instance = services.comment_add(actor=self.actor, goal=goal, **data)

    @extend_schema(request=PlanAnswerSerializer, responses=PlanCommentSerializer)
    def partial_update(self, request, *args, **kwargs):
        comment = self.get_object()
        answer = PlanAnswerSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        comment = services.comment_answer(
            actor=self.actor, comment=comment, answer=answer.validated_data["answer"]
        )
        return Response(PlanCommentSerializer(comment).data, status=status.HTTP_200_OK)
