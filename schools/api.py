from rest_framework import serializers

from crsys.tenancy.api import DistrictReadOnlyViewSet
from schools.models import School
from schools.selectors import visible_schools


class SchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["id", "name", "code"]


class SchoolViewSet(DistrictReadOnlyViewSet):
    """Schools the caller may see."""

    serializer_class = SchoolSerializer
    lookup_url_kwarg = "school_pk"

    model = School

    def get_district_queryset(self):
        return visible_schools(actor=self.actor)
