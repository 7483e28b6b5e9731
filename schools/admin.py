from django.contrib import admin

from districts.admin import TenantModelAdmin
from schools.models import School


@admin.register(School)
class SchoolAdmin(TenantModelAdmin):
    list_display = ["name", "code", "district"]
    list_filter = ["district"]
    search_fields = ["name", "code"]
