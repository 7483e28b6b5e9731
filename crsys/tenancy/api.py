"""The base every district API view stands on: it resolves the district from the URL after
DRF has authenticated the request, checks membership, and runs the handler in the district's
context. A district API view that does not inherit it has no district and fails closed."""

from __future__ import annotations

import copy
from contextlib import ExitStack

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, router, transaction
from django.db.models import F, Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from crsys.tenancy.context import district_context
from crsys.tenancy.models import TenantModel
from districts.selectors import district_users, resolve_actor
from schools.grades import GRADE_CHOICES

DISTRICT_SLUG_PARAMETER = OpenApiParameter(
    "district_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The district's slug."
)

#: ``write_capability`` of a view whose writes the services decide per object (a team's
#: members record its meetings): the view lets every member's write through to them.
DECIDED_BY_SERVICES = object()


class KeptWritesResponse(Response):
    """An answer of 400 or more that reports what the request wrote on purpose (a 409 that
    kept the caller's text beside the newer one): the only error answer that commits."""

    keeps_writes = True


class DistrictAPIMixin:
    """Mixed into DRF views whose URL carries ``district_slug``."""

    #: Capability an actor needs for safe methods / for writes (None: any member).
    read_capability = None
    write_capability = None
    #: The model a list/detail view serves; subclasses implement ``get_district_queryset``.
    model = None
    lookup_value_regex = "[0-9]+"
    #: A service's name for a field -> the request's, for the 400 body (crsys.errors).
    service_field_names: dict[str, str] = {}
    #: True while the handler runs in its district's transaction.
    in_district_transaction = False

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation has no request and no district: describe, never read.
            return self.model.objects.unscoped().none()
        return self.get_district_queryset()

    def get_district_queryset(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self._district_stack:
            response = super().dispatch(request, *args, **kwargs)
            if (
                self.in_district_transaction
                and response.status_code >= 400
                and not getattr(response, "keeps_writes", False)
            ):
                # Pages and API alike: an answer that says "not done" wrote nothing, whether
                # an exception made it (crsys.errors.api_exception_handler) or the view did.
                transaction.set_rollback(True)
            return response

    def initial(self, request, *args, **kwargs):

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
        # The audit middleware (crsys.audit) reads them from Django's request after the view.
        request._request.district, request._request.actor = district, actor
        self.district, self.actor = district, actor
        self._district_stack.enter_context(district_context(district, user=request.user))
        self.in_district_transaction = True
        super().initial(request, *args, **kwargs)

    def get_permissions(self):
        return [*super().get_permissions(), HasViewCapability()]


class HasViewCapability(permissions.BasePermission):
    """Reads need ``read_capability`` (None: any member); writes need ``write_capability``
    and are refused when a view names none, so a new view is read-only until it says so
    (``DECIDED_BY_SERVICES``: every member's write goes on to the services, which decide)."""

    def has_permission(self, request, view) -> bool:
        if getattr(request.actor, "support_grant_id", None) is not None:
            return request.method in permissions.SAFE_METHODS  # support access only reads
        if request.method in permissions.SAFE_METHODS:
            capability = view.read_capability
            return capability is None or request.actor.can_anywhere(capability)
        capability = view.write_capability
        if capability is DECIDED_BY_SERVICES:
            return True
        return capability is not None and request.actor.can_anywhere(capability)


class DistrictGenericAPIView(DistrictAPIMixin, generics.GenericAPIView):
    # Its handlers answer whole lists (snapshots) or one object: the schema must not promise
    # pages. A view that pages sets its own pagination_class.
    pagination_class = None


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class DistrictReadOnlyViewSet(DistrictAPIMixin, viewsets.ReadOnlyModelViewSet):
    pass


@extend_schema(parameters=[DISTRICT_SLUG_PARAMETER])
class DistrictModelViewSet(DistrictAPIMixin, viewsets.ModelViewSet):
    pass


def _condition_fields(condition) -> list[str]:
    """The fields a check constraint's Q compares, in order: ``closes_on__gte=F("opens_on")``
    gives closes_on, opens_on."""
    found: list[str] = []
    for child in condition.children:
        if isinstance(child, Q):
            names = _condition_fields(child)
        else:
            lookup, value = child
            names = [lookup.split("__")[0], *([value.name] if isinstance(value, F) else [])]
        found += [n for n in names if n not in found]
    return found


def grade_codes_field(**kwargs) -> serializers.ListField:
    """The district's grade lists (schools, classrooms, screeners, windows) are JSON on the
    model, which cannot say their shape; the API takes only a list of known grade codes."""

    return serializers.ListField(child=serializers.ChoiceField(GRADE_CHOICES), **kwargs)


class DistrictScopedSerializer(serializers.ModelSerializer):
    # Related ids from the client are looked up only within the request's district; a
    # related field left on its class-level queryset would refuse every id (fails closed).
    # Users belong to no district: a user id is looked up among the district's active
    # members, so another district's user gets the same answer as an id nobody has.
    # (Comments, not a docstring: the API schema would show a docstring on every model.)

    # Every constraint of the model (unique, conditional, check) is validated before the write,
    # on the instance as it would be saved (district set), so a clash is a 400 naming the
    # request's field, never PostgreSQL's IntegrityError as a 500.

    def run_validation(self, data=serializers.empty):
        attrs = super().run_validation(data)
        district = getattr(self.context.get("request"), "district", None)
        if district is not None:
            errors = self._constraint_errors(self._as_saved(attrs, district))
            if errors:
                raise serializers.ValidationError(errors)
        return attrs

    def _as_saved(self, attrs, district):
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        concrete = {f.name: f for f in model._meta.concrete_fields}
        for name, value in attrs.items():
            field = concrete.get(name)
            if field is None:
                continue  # many-to-many, or a value the view passes on, not a column
            if value == "" and field.null and isinstance(field, models.CharField):
                # Blank is "none": stored as null, so it never clashes with another blank.
                attrs[name] = value = None
            setattr(instance, name, value)
        if hasattr(instance, "district_id"):
            instance.district = district
        return instance

    def _constraint_errors(self, instance) -> dict[str, list[str]]:
        by_source = {f.source: name for name, f in self.fields.items() if not f.read_only}
        errors: dict[str, list[str]] = {}
        model = type(instance)
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(
                        model_class, instance, using=router.db_for_write(model_class)
                    )
                except DjangoValidationError as error:
                    fields = [f for f in getattr(constraint, "fields", ()) if f != "district"]
                    if isinstance(constraint, models.UniqueConstraint) and fields:
                        words = " and ".join(f.replace("_", " ") for f in fields)
                        message = f"another {model._meta.verbose_name} has this {words}"
                    elif isinstance(constraint, models.CheckConstraint):
                        fields = _condition_fields(constraint.condition)
                        words = " and ".join(f.replace("_", " ") for f in fields)
                        message = f"{words} do not fit together (rule {constraint.name})"
                    else:
                        message = "; ".join(error.messages)
                    named = [by_source[f] for f in fields if f in by_source]
                    for name in named or [api_settings.NON_FIELD_ERRORS_KEY]:
                        errors.setdefault(name, []).append(message)
        return errors

    def build_standard_field(self, field_name, model_field):
        if field_name == "grades" and isinstance(model_field, models.JSONField):
            kwargs = {"required": False, "default": list} if model_field.has_default() else {}
            return grade_codes_field, {"help_text": model_field.help_text or None, **kwargs}
        return super().build_standard_field(field_name, model_field)

    def get_fields(self):

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
                relation.queryset = model.objects.all() if district else model.objects.none()
            elif model is get_user_model():
                relation.queryset = (
                    district_users(district=district) if district else model.objects.none()
                )
        return fields
