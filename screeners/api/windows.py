"""Screening windows: the schedule, each window's screeners and dates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from crsys.tenancy.api import DistrictAPIMixin, DistrictScopedSerializer
from districts.permissions import Capability
from schools.grades import GRADE_CHOICES
from screeners import selectors, services
from screeners.models import (
    Screener,
    ScreeningWindow,
)


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
