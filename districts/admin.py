"""Django admin is the platform operator's console, outside every district.

Admin changes are recorded in Django's admin log (who, when, what), which is the audit
trail of cross-district actions for now.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from districts.forms import AdminEmailAuthenticationForm
from districts.models import District, Membership, User

# The platform operator signs in under the same throttle and address rule as everyone.
admin.site.login_form = AdminEmailAuthenticationForm


class TenantModelAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        # The platform operator works across districts by definition.
        return self.model.objects.unscoped()


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "school_year_start_month", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "invited_at", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "invited_at"]}),
        ("Platform", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = []
    list_filter = ["is_staff", "is_active"]


@admin.register(Membership)
class MembershipAdmin(TenantModelAdmin):
    list_display = ["user", "district", "role", "school", "is_active"]
    list_filter = ["role", "district"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "school"]
