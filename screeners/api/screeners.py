"""Screeners and their benchmark bands (district admins configure; members read)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from continuum.models import FocusArea
from crsys.tenancy.api import DistrictAPIMixin, DistrictScopedSerializer
from districts.permissions import Capability
from schools.grades import GRADE_CHOICES
from screeners import selectors, services
from screeners.bands import BandSpec
from screeners.models import (
    BenchmarkBand,
    Screener,
    Season,
)


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
    # The focus area by its key, under the name and values the API had before focus areas
    # were the district's own list ("literacy", "numeracy", "well_being"...).
    domain = serializers.SlugRelatedField(
        source="focus_area",
        slug_field="key",
        queryset=FocusArea.objects.all(),
        help_text="The key of one of the district's focus areas (GET .../focus-areas/), "
        "e.g. literacy, numeracy, well_being, attendance, other.",
    )

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


class ScreenerFilter(django_filters.FilterSet):
    domain = django_filters.CharFilter(
        field_name="focus_area__key", help_text="A focus area's key, e.g. literacy."
    )

    class Meta:
        model = Screener
        fields = ["domain", "is_archived"]


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
    filterset_class = ScreenerFilter
    service_field_names = {"focus_area": "domain"}

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
            rename = self.service_field_names
            errors = error.message_dict
            raise exceptions.ValidationError(
                {rename.get(field, field): messages for field, messages in errors.items()}
            ) from None

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
