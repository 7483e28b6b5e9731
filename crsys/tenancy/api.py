"""The base every district API view stands on: it resolves the district from the URL after
DRF has authenticated the request, checks membership, and runs the handler in the district's
context. A district API view that does not inherit it has no district and fails closed."""

from __future__ import annotations

from contextlib import ExitStack

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, serializers, viewsets

from crsys.tenancy.context import district_context
from crsys.tenancy.models import TenantModel

DISTRICT_SLUG_PARAMETER = OpenApiParameter(
    "district_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The district's slug."
)


class DistrictAPIMixin:
    """Mixed into DRF views whose URL carries ``district_slug``."""

    #: Capability an actor needs for safe methods / for writes (None: any member).
    read_capability = None
    write_capability = None
    #: The model a list/detail view serves; subclasses implement ``get_district_queryset``.
    model = None
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation has no request and no district: describe, never read.
            return self.model.objects.unscoped().none()
        return self.get_district_queryset()

    def get_district_queryset(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self._district_stack:
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        from districts.selectors import resolve_actor

        self.perform_authentication(request)
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        try:
            district, actor, _ = resolve_actor(
                user=request.user, district_slug=kwargs.get("district_slug", "")
            )
        except Http404:
            raise exceptions.NotFound("No such district.") from None
        request.district, request.actor = district, actor
        self.district, self.actor = district, actor
        self._district_stack.enter_context(district_context(district, user=request.user))
        super().initial(request, *args, **kwargs)

    def get_permissions(self):
        return [*super().get_permissions(), HasViewCapability()]


class HasViewCapability(permissions.BasePermission):
    """Reads need ``read_capability`` (None: any member); writes need ``write_capability``
    and are refused when a view names none, so a new view is read-only until it says so."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            capability = view.read_capability
            return capability is None or request.actor.can_anywhere(capability)
        capability = view.write_capability
        return capability is not None and request.actor.can_anywhere(capability)


class DistrictGenericAPIView(DistrictAPIMixin, generics.GenericAPIView):
    pass


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class DistrictReadOnlyViewSet(DistrictAPIMixin, viewsets.ReadOnlyModelViewSet):
    pass


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class DistrictModelViewSet(DistrictAPIMixin, viewsets.ModelViewSet):
    pass


class DistrictScopedSerializer(serializers.ModelSerializer):
    # Related ids from the client are looked up only within the request's district; a
    # related field left on its class-level queryset would refuse every id (fails closed).
    # Users belong to no district: a user id is looked up among the district's active
    # members, so another district's user gets the same answer as an id nobody has.
    # (Comments, not a docstring: the API schema would show a docstring on every model.)

    def get_fields(self):
        from django.contrib.auth import get_user_model

        from districts.selectors import district_users

        fields = super().get_fields()
        # No district (schema generation): describe the fields, match nothing.
        district = getattr(self.context.get("request"), "district", None)
        for field in fields.values():
            relation = getattr(field, "child_relation", field)  # many=True wraps the relation
            queryset = getattr(relation, "queryset", None)
            if queryset is None:
                continue
            model = queryset.model
            if issubclass(model, TenantModel):
                relation.queryset = (
                    model.objects.for_district(district) if district else model.objects.none()
                )
            elif model is get_user_model():
                relation.queryset = (
                    district_users(district=district) if district else model.objects.none()
                )
        return fields
