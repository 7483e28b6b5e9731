from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from crsys.tenancy.api import DistrictGenericAPIView, DistrictReadOnlyViewSet
from districts import login_throttle, mfa, selectors, services, tokens
from districts.models import ApiToken, Membership, Role
from districts.permissions import Capability
from schools.models import School


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        max_length=20,
        help_text="The authenticator's current code (or a recovery code): required of "
        "accounts that sign in with a second factor.",
    )
    client = serializers.CharField(
        required=False,
        max_length=100,
        default="default",
        help_text="A name for the program that will use the token; a new token for the same "
        "client replaces the old one.",
    )


class TokenSerializer(serializers.Serializer):
    token_key = serializers.CharField(help_text="The token's first characters, to tell it apart.")
    client = serializers.CharField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class TokenView(APIView):
    """Exchange e-mail, password (and, where required, a one-time code) for an API token;
    DELETE revokes the token the call is made with."""

    throttle_scope = "token"
    throttle_classes = [ScopedRateThrottle]

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer(
            "TokenResponse",
            {
                "token": serializers.CharField(),
                "client": serializers.CharField(),
                "expiry": serializers.DateTimeField(),
            },
        ),
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email, password = data.validated_data["email"], data.validated_data["password"]
        # django-axes keys on the plain request (and marks it when the pair is locked).
        user = authenticate(request._request, username=email, password=password)
        if user is None:
            if login_throttle.is_locked_out(request._request):
                return Response(
                    {"detail": login_throttle.locked_message()},
                    status.HTTP_429_TOO_MANY_REQUESTS,
                )
            return Response(
                {"detail": "That e-mail and password do not match."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if mfa.mfa_required(user) or mfa.has_device(user):
            if not mfa.has_device(user):
                return Response(
                    {"detail": "Set up your authenticator by signing in on the web first."},
                    status=status.HTTP_403_FORBIDDEN,
                )
            code = data.validated_data.get("otp") or ""
            if not code or mfa.verify(user, code) is None:
                return Response(
                    {"otp": ["A current code from your authenticator is required."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        row, token = tokens.api_token_issue(user=user, client=data.validated_data["client"])
        return Response({"token": token, "client": row.client, "expiry": row.expiry})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if isinstance(request.auth, ApiToken):
            tokens.api_token_revoke(user=request.user, token_key=request.auth.token_key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """The caller's own live API tokens (never the tokens themselves: only their start)."""

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        rows = tokens.api_tokens_of(user=request.user)
        return Response(TokenSerializer(rows, many=True).data)


class TokenRevokeView(APIView):
    """Revoke one of the caller's own API tokens, named by its start (``token_key``)."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, token_key: str):
        if not tokens.api_token_revoke(user=request.user, token_key=token_key[:25]):
            return Response({"detail": "No such token."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GrantSerializer(serializers.Serializer):
    role = serializers.CharField()
    school_id = serializers.IntegerField(allow_null=True)


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    district = serializers.CharField()
    district_slug = serializers.CharField()
    grants = GrantSerializer(many=True)


class MeView(DistrictGenericAPIView):
    """The caller as this district sees them: their roles and schools."""

    serializer_class = MeSerializer

    def get(self, request, district_slug: str):
        user = request.user
        data = {
            "email": user.email,
            "full_name": user.full_name,
            "district": self.district.name,
            "district_slug": self.district.slug,
            "grants": [{"role": g.role.value, "school_id": g.school_id} for g in self.actor.grants],
        }
        return Response(MeSerializer(data).data)


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    school_name = serializers.CharField(source="school.name", default=None, allow_null=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "school", "school_name", "is_active"]


class MembershipChangeSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    # The default manager is scoped to the request's district when the id is looked up.
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), allow_null=True, required=False
    )
    is_active = serializers.BooleanField(required=False)


class MembershipViewSet(DistrictReadOnlyViewSet):
    """The district's members and their roles (district admins). PATCH changes a role or
    school, or (de)activates, through the same services and rules as the members page."""

    serializer_class = MembershipSerializer
    read_capability = Capability.MANAGE_USERS
    write_capability = Capability.MANAGE_USERS
    lookup_url_kwarg = "membership_pk"
    filterset_fields = ["role", "school", "is_active"]

    model = Membership

    def get_district_queryset(self):
        return selectors.district_memberships(district=self.district)

    @extend_schema(request=MembershipChangeSerializer, responses=MembershipSerializer)
    def partial_update(self, request, *args, **kwargs):
        membership = self.get_object()
        change = MembershipChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        wanted = change.validated_data
        common = {"district": self.district, "actor": self.actor}
        try:
            with transaction.atomic():  # both changes or neither
                if "role" in wanted or "school" in wanted:
                    membership = services.membership_update(
                        **common,
                        membership=membership,
                        role=Role(wanted.get("role", membership.role)),
                        school=wanted.get("school", membership.school),
                    )
                if "is_active" in wanted:
                    toggle = (
                        services.membership_reactivate
                        if wanted["is_active"]
                        else services.membership_deactivate
                    )
                    membership = toggle(**common, membership=membership)
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            raise serializers.ValidationError(detail) from None
        return Response(MembershipSerializer(membership).data)
