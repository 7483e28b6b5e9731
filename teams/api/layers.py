"""The district's team layers (its common language) and its teams."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from crsys.tenancy.api import (
    DistrictAPIMixin,
)
from districts.permissions import Capability
from teams import selectors, services
from teams.api.serializers import (
    LayerSerializer,
    LayerWriteSerializer,
    TeamSerializer,
)
from teams.models import (
    Team,
    TeamLayer,
)


class LayerViewSet(
    DistrictAPIMixin, mixins.ListModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The district's team layers: their names, descriptions and agenda templates (its
    common language). District admins change them."""

    serializer_class = LayerSerializer
    model = TeamLayer
    pagination_class = None
    write_capability = Capability.MANAGE_DISTRICT
    http_method_names = ["get", "patch", "head", "options"]
    lookup_url_kwarg = "teamlayer_pk"
    service_field_names = {"agenda": "agenda_template"}

    def get_district_queryset(self):
        return TeamLayer.objects.all()

    @extend_schema(request=LayerWriteSerializer, responses=LayerSerializer)
    def partial_update(self, request, *args, **kwargs):
        layer = self.get_object()
        data = LayerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = data.validated_data
        if changes.keys() - {"agenda_template"}:
            services.layer_describe(
                actor=self.actor,
                layer=layer,
                **{
                    f: changes.get(f, getattr(layer, f))
                    for f in ("name", "purpose", "attendees", "frequency")
                },
            )
        if "agenda_template" in changes:
            services.layer_agenda_set(
                actor=self.actor, layer=layer, sections=changes["agenda_template"]
            )
        return Response(LayerSerializer(layer).data)


class TeamViewSet(DistrictAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    model = Team
    lookup_url_kwarg = "team_pk"
    filterset_fields = ["school", "layer", "is_active"]

    def get_district_queryset(self):
        return selectors.visible_teams(actor=self.actor).order_by("name")
