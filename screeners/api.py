"""Screeners API: configuration (district admins), results (bulk upsert, all or nothing with
per-item errors), and snapshots (the same reads as the dashboards)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from crsys.tenancy.api import DistrictAPIMixin, DistrictGenericAPIView, DistrictScopedSerializer
from districts.permissions import Capability
from schools import selectors as school_selectors
from schools.grades import GRADE_CHOICES
from screeners import selectors, services
from screeners.bands import BandSpec, score_display
from screeners.entries import Entry
from screeners.models import (
    BandCountSnapshot,
    BenchmarkBand,
    Screener,
    ScreenerResult,
    ScreeningWindow,
    Season,
    StudentBandSnapshot,
)

MAX_BULK = 1_000


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = BenchmarkBand
        fields = [
            "id",
            "grade",
            "season",
            "rank",
            "name",
            "label",
            "colour",
            "min_score",
            "max_score",
            "meets_benchmark",
        ]


class ScreenerSerializer(DistrictScopedSerializer):
    bands = BandSerializer(many=True, read_only=True)

    class Meta:
        model = Screener
        fields = [
            "id",
            "name",
            "domain",
            "grades",
            "score_type",
            "levels",
            "min_score",
            "max_score",
            "score_step",
            "higher_is_better",
            "is_archived",
            "bands",
        ]


class BandInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    label = serializers.CharField(max_length=120)
    colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$")
    min_score = serializers.DecimalField(max_digits=9, decimal_places=2)
    max_score = serializers.DecimalField(max_digits=9, decimal_places=2)
    meets_benchmark = serializers.BooleanField(default=False)


class BandsInputSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=GRADE_CHOICES)  # "ZZ" or a CR/LF is no grade
    season = serializers.ChoiceField(choices=Season.choices)
    bands = BandInputSerializer(many=True)


class ScreenerViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Screeners with their bands; district admins create, edit and set bands."""

    serializer_class = ScreenerSerializer
    model = Screener
    lookup_url_kwarg = "screener_pk"
    write_capability = Capability.MANAGE_DISTRICT
    filterset_fields = ["domain", "is_archived"]

    def get_district_queryset(self):
        return selectors.screeners(
            district_id=self.district.pk, include_archived=True
        ).prefetch_related("bands")

    def _save(self, serializer, screener=None):
        try:
            serializer.instance = services.screener_save(
                actor=self.actor,
                district_id=self.district.pk,
                values=dict(serializer.validated_data),
                screener=screener,
            )
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, screener=serializer.instance)

    @extend_schema(request=BandsInputSerializer, responses=BandSerializer(many=True))
    @action(detail=True, methods=["put"], url_path="bands")
    def set_bands(self, request, district_slug=None, screener_pk=None):
        """Replace the bands of one grade and season; refused with the offending values when
        they overlap, leave gaps or miss the score range."""
        screener = self.get_object()
        data = BandsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        specs = [BandSpec(**band) for band in data.validated_data["bands"]]
        try:
            bands = services.bands_replace(
                actor=self.actor,
                screener=screener,
                grade=data.validated_data["grade"],
                season=data.validated_data["season"],
                bands=specs,
            )
        except ValidationError as error:
            raise exceptions.ValidationError({"bands": error.messages}) from None
        return Response(BandSerializer(bands, many=True).data)

    def destroy(self, request, *args, **kwargs):
        screener = self.get_object()
        services.screener_delete(actor=self.actor, screener=screener)  # a refusal: 400 detail
        return Response(status=status.HTTP_204_NO_CONTENT)


class WindowSerializer(DistrictScopedSerializer):
    # Written through a through model, so declared (scoped to the district like every id).
    screeners = serializers.PrimaryKeyRelatedField(many=True, queryset=Screener.objects.all())
    # Required: an empty list means every grade, a missing one is a mistake worth naming.
    grades = serializers.ListField(
        child=serializers.ChoiceField(choices=GRADE_CHOICES),
        allow_empty=True,
        help_text="Grade codes screened; empty: every grade.",
    )

    class Meta:
        model = ScreeningWindow
        fields = [
            "id",
            "school_year",
            "season",
            "name",
            "opens_on",
            "closes_on",
            "screeners",
            "grades",
            "last_recomputed_at",
        ]
        read_only_fields = ["last_recomputed_at"]


class WindowViewSet(
    DistrictAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The screening schedule. Windows lie inside their school year and never overlap; a
    window with results cannot be deleted."""

    serializer_class = WindowSerializer
    model = ScreeningWindow
    lookup_url_kwarg = "window_pk"
    write_capability = Capability.MANAGE_DISTRICT
    filterset_fields = ["school_year", "season"]

    def get_district_queryset(self):
        return selectors.windows(district_id=self.district.pk)

    def _save(self, serializer, window=None):
        # A create may leave out its name and screeners; a partial update keeps what it does
        # not name.
        stored = (
            {"name": "", "screeners": []}
            if window is None
            else {
                "school_year": window.school_year,
                "season": window.season,
                "name": window.name,
                "opens_on": window.opens_on,
                "closes_on": window.closes_on,
                "screeners": list(window.screeners.all()),
                "grades": window.grades,
            }
        )
        data = {**stored, **serializer.validated_data}
        try:
            return services.window_save(actor=self.actor, window=window, **data)
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None

    def perform_create(self, serializer):
        serializer.instance = self._save(serializer)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer, window=serializer.instance)

    def destroy(self, request, *args, **kwargs):
        window = self.get_object()
        services.window_delete(actor=self.actor, window=window)  # a refusal: 400 detail
        return Response(status=status.HTTP_204_NO_CONTENT)


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


class SnapshotSerializer(serializers.ModelSerializer):
    band_name = serializers.CharField(source="band.name")
    band_label = serializers.CharField(source="band.label")
    band_colour = serializers.CharField(source="band.colour")
    score_text = serializers.SerializerMethodField()

    class Meta:
        model = StudentBandSnapshot
        fields = [
            "window",
            "screener",
            "student",
            "score",
            "score_text",
            "band",
            "band_name",
            "band_label",
            "band_colour",
            "band_rank",
            "meets_benchmark",
            "movement",
        ]

    def get_score_text(self, snap) -> str:
        return score_display(snap.score, snap.screener)


WINDOW_PARAMETER = OpenApiParameter(
    "window", int, description="A window with a snapshot (default: the latest)."
)


class StudentSnapshotsView(DistrictGenericAPIView):
    """A student's band per screener in every window (the profile's screener tab)."""

    model = StudentBandSnapshot  # what the schema reads the path's ids against
    serializer_class = SnapshotSerializer

    @extend_schema(responses=SnapshotSerializer(many=True))
    def get(self, request, district_slug: str, student_pk: int):
        student = school_selectors.get_student(actor=self.actor, student_pk=student_pk)
        history = selectors.student_history(student=student)
        return Response(SnapshotSerializer(history, many=True).data)


class ClassroomSnapshotsView(DistrictGenericAPIView):
    """The classroom dashboard: each student's snapshot per screener in a window."""

    model = StudentBandSnapshot  # what the schema reads the path's ids against
    serializer_class = SnapshotSerializer

    @extend_schema(responses=SnapshotSerializer(many=True), parameters=[WINDOW_PARAMETER])
    def get(self, request, district_slug: str, classroom_pk: int):
        classroom = school_selectors.get_classroom(actor=self.actor, classroom_pk=classroom_pk)
        window = _window(self)
        students = list(school_selectors.classroom_students(actor=self.actor, classroom=classroom))
        snaps = (
            (
                StudentBandSnapshot.objects.all()
                .filter(window=window, student__in=[s.pk for s in students])
                .select_related("band", "screener")
            )
            if window
            else []
        )
        return Response(SnapshotSerializer(snaps, many=True).data)


class BandCountSerializer(serializers.Serializer):
    screener = serializers.IntegerField(source="screener.pk")
    grade = serializers.CharField()
    name = serializers.CharField()
    label = serializers.CharField()
    colour = serializers.CharField()
    rank = serializers.IntegerField()
    students = serializers.IntegerField()
    percent = serializers.FloatField()
    meets_benchmark = serializers.BooleanField()


class SchoolSnapshotsView(DistrictGenericAPIView):
    """The school dashboard's numbers: students per band, for the school and each grade."""

    model = BandCountSnapshot  # what the schema reads the path's ids against
    serializer_class = BandCountSerializer

    @extend_schema(responses=BandCountSerializer(many=True), parameters=[WINDOW_PARAMETER])
    def get(self, request, district_slug: str, school_pk: int):
        school = school_selectors.get_school(actor=self.actor, school_pk=school_pk)
        if not school_selectors.can_view_whole_school(self.actor, school.pk):
            raise exceptions.PermissionDenied()
        window = _window(self)
        if window is None:
            return Response([])
        panels = selectors.school_dashboard(school=school, window=window, history=[window])
        rows = []
        for panel in panels:
            for grade, dist in [("", panel.school), *panel.grades]:
                rows += [
                    {
                        "screener": panel.screener,
                        "grade": grade,
                        "name": b.name,
                        "label": b.label,
                        "colour": b.colour,
                        "rank": b.rank,
                        "students": b.students,
                        "percent": round(b.percent, 2),
                        "meets_benchmark": b.meets_benchmark,
                    }
                    for b in dist.bands
                ]
        return Response(BandCountSerializer(rows, many=True).data)


def _window(view) -> ScreeningWindow | None:
    chosen = view.request.query_params.get("window")
    with_snapshots = selectors.windows_with_snapshots(district_id=view.district.pk)
    if chosen:
        match = next((w for w in with_snapshots if str(w.pk) == chosen), None)
        if match is None:
            raise exceptions.NotFound("No such window with a snapshot.")
        return match
    return with_snapshots[0] if with_snapshots else None
