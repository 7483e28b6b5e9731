"""Results: list, and the bulk upsert (all or nothing, with per-item errors)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from crsys.tenancy.api import DistrictAPIMixin
from districts.permissions import Capability
from schools import selectors as school_selectors
from screeners import selectors, services
from screeners.entries import Entry
from screeners.models import (
    ScreenerResult,
)

MAX_BULK = 1_000


class ResultSerializer(serializers.ModelSerializer):
    band_name = serializers.CharField(source="band.name", default=None, read_only=True)

    class Meta:
        model = ScreenerResult
        fields = [
            "id",
            "student",
            "screener",
            "window",
            "score",
            "band",
            "band_name",
            "entered_by",
            "updated_at",
        ]


class ResultItemSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    screener = serializers.IntegerField()
    window = serializers.IntegerField()
    score = serializers.CharField(
        allow_blank=True,
        max_length=20,
        help_text="A number, or an ordinal level; blank removes it.",
    )


class BulkResultsSerializer(serializers.Serializer):
    results = ResultItemSerializer(many=True)


class BulkWarningSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    message = serializers.CharField()


class BulkResultsRefusedSerializer(serializers.Serializer):
    """A 400 from the bulk endpoint: each refused input, by its path in the request, with
    its messages. Described by the extension below (its keys are the paths)."""


class _BulkResultsRefusedSchema(OpenApiSerializerExtension):
    target_class = BulkResultsRefusedSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }


class ResultViewSet(DistrictAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Results of students the caller may see; bulk upsert is all or nothing."""

    serializer_class = ResultSerializer
    model = ScreenerResult
    filterset_fields = ["window", "screener", "student"]
    write_capability = Capability.ENTER_SCREENER_RESULTS

    def get_district_queryset(self):
        students = school_selectors.visible_students(actor=self.actor).values("pk")
        return (
            ScreenerResult.objects.all()
            .filter(student_id__in=students)
            .select_related("band")
            .order_by("pk")
        )

    @extend_schema(
        request=BulkResultsSerializer,
        responses={
            200: inline_serializer(
                "BulkResultsSaved",
                {
                    "saved": serializers.IntegerField(),
                    "warnings": BulkWarningSerializer(many=True),
                },
            ),
            400: OpenApiResponse(
                BulkResultsRefusedSerializer,
                description=(
                    "Nothing was saved. Each refused input is named by its path in the "
                    "request, `results[<index>].<field>` for an item's field (student, "
                    "screener, window or score) or `results` for the list itself, and maps to "
                    "its messages."
                ),
                examples=[
                    OpenApiExample(
                        "A score out of range",
                        {"results[1].score": ["140 is out of range: scores go from 0 to 100"]},
                    )
                ],
            ),
        },
    )
    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request, district_slug=None):
        """Upsert many results. Each item is checked as the grid checks a cell (the caller
        teaches the student's class, the window is open, the student is enrolled, the score is
        in range); if any item fails nothing is saved and every failure is named."""
        payload = BulkResultsSerializer(data=request.data)
        if not payload.is_valid():
            raise exceptions.ValidationError(_flatten(payload.errors))
        items = payload.validated_data["results"]
        if len(items) > MAX_BULK:
            raise exceptions.ValidationError({"results": [f"at most {MAX_BULK} items per call"]})
        students = school_selectors.visible_students_by_pk(
            actor=self.actor, pks={i["student"] for i in items}
        )
        screeners = {s.pk: s for s in selectors.screeners(district_id=self.district.pk)}
        windows = {w.pk: w for w in selectors.windows(district_id=self.district.pk)}
        found = {"student": students, "screener": screeners, "window": windows}
        errors: dict[str, list[str]] = {}
        for index, item in enumerate(items):
            for name, known in found.items():
                if item[name] not in known:
                    errors[f"results[{index}].{name}"] = [f"no such {name}"]
        if errors:
            raise exceptions.ValidationError(errors)
        checks = services.results_record(
            actor=self.actor,
            items=[
                (
                    windows[i["window"]],
                    Entry(students[i["student"]], screeners[i["screener"]], i["score"]),
                )
                for i in items
            ],
            today=school_selectors.district_today(self.district),
            user=request.user,
        )
        refused = {
            f"results[{index}].{check.field}": [check.error]
            for index, check in enumerate(checks)
            if check.error
        }
        if refused:
            raise exceptions.ValidationError(refused)
        warnings = [
            {"index": index, "message": check.warning}
            for index, check in enumerate(checks)
            if check.warning
        ]
        return Response({"saved": len(items), "warnings": warnings})


def _flatten(detail, path: str = "") -> dict[str, list[str]]:
    """DRF's nested errors ({"results": [{}, {"score": [...]}]}) as one level, keyed by the
    path of the refused input ("results[1].score"), the shape the schema documents."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            inner = path if key == api_settings.NON_FIELD_ERRORS_KEY and path else key
            if path and inner != path:
                inner = f"{path}.{key}"
            flat |= _flatten(value, inner)
        return flat
    if isinstance(detail, list) and any(isinstance(x, dict | list) for x in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat |= _flatten(value, f"{path}[{index}]")
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {path or api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in messages]}
