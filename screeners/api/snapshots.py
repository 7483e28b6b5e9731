"""Snapshots: the same reads as the dashboards, per student, class and school."""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from crsys.tenancy.api import DistrictGenericAPIView
from schools import selectors as school_selectors
from screeners import selectors
from screeners.bands import score_display
from screeners.models import (
    BandCountSnapshot,
    ScreeningWindow,
    StudentBandSnapshot,
)


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
