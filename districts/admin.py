"""Django admin is the platform operator's console, outside every district.

Admin changes are recorded in Django's admin log (who, when, what), which is the audit
trail of cross-district actions for now. District-owned models use ``TenantModelAdmin``
(crsys/tenancy/admin.py), whose object pages run inside the object's district.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from crsys.tenancy.admin import TenantModelAdmin
from districts import mfa, services
from districts.emails import normalize_email
from districts.invitations import set_password_url
from districts.models import District, Membership, User
from districts.signin import admin_login

# The platform operator signs in through the site's own two steps (password, then a second
# factor), under the same throttle and address rule as everyone; and the admin site admits
# only sessions that passed the second factor.
admin.site.login = admin_login
_staff_only = admin.site.has_permission


def _staff_with_second_factor(request) -> bool:
    return _staff_only(request) and mfa.session_is_verified(request.session)


admin.site.has_permission = _staff_with_second_factor

__all__ = ["TenantModelAdmin"]


class DistrictAddForm(forms.ModelForm):
    admin_email = forms.EmailField(
        label="First district admin's e-mail",
        help_text="An existing account with this address is reused; otherwise one is made.",
    )

    class Meta:
        model = District
        fields = ["name", "slug", "time_zone", "school_year_start_month"]

    def clean_admin_email(self) -> str:
        return normalize_email(self.cleaned_data["admin_email"])


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "time_zone",
        "school_year_start_month",
        "mfa_required_for_all_roles",
        "created_at",
    ]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    add_fields = [*DistrictAddForm.Meta.fields, "admin_email"]

    def get_deleted_objects(self, objs, request):
        # Django lists every object a delete takes with it (students' names among them):
        # platform staff see counts per model only, never a district's data (issue 12).
        _, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return [str(obj) for obj in objs], model_count, perms_needed, protected

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": self.add_fields})]
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = DistrictAddForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # The same service as manage.py create_district: defaults and first admin included.
        created = services.district_create(
            district=obj, admin_email=form.cleaned_data["admin_email"]
        )
        if created.admin.has_usable_password():
            # An account someone already signs in with: a reset link here would let whoever
            # reads it take that account over.
            messages.info(
                request, f"{created.admin.email} is the district admin; they sign in as usual."
            )
            return
        messages.info(
            request,
            f"{created.admin.email} is the district admin. Link to set a password (send it to "
            f"them): {set_password_url(created.admin)}",
        )


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
