"""The district's audit log over the API, for its admins (read-only: nobody writes it)."""

from __future__ import annotations

import django_filters
from rest_framework import serializers

from crsys.audit import selectors
from crsys.audit.models import Action, AuditEvent
from crsys.tenancy.api import DistrictReadOnlyViewSet
from districts.permissions import Capability


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id", "occurred_at", "actor_id", "actor_email", "action", "object_type",
            "object_id", "student_id", "client_address", "path", "support_grant_id", "detail",
        ]  # fmt: skip
        read_only_fields = fields


class AuditEventFilter(django_filters.FilterSet):
    user = django_filters.CharFilter(
        field_name="actor_email", lookup_expr="icontains", max_length=254,
        help_text="Part of the acting user's e-mail address.",
    )  # fmt: skip
    student = django_filters.NumberFilter(field_name="student_id", min_value=1)
    date_from = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte")
    action = django_filters.ChoiceFilter(choices=Action.choices)

    class Meta:
        model = AuditEvent
        fields = ["user", "student", "date_from", "date_to", "action"]


class AuditEventViewSet(DistrictReadOnlyViewSet):
    """Who read, exported, imported or changed what in the district (district admins):
    search by user, student and dates; newest first."""

    serializer_class = AuditEventSerializer
    read_capability = Capability.MANAGE_USERS
    model = AuditEvent
    lookup_url_kwarg = "auditevent_pk"
    filterset_class = AuditEventFilter

    def get_district_queryset(self):
        return selectors.event_search(district=self.district)
