"""Django admin pages of district-owned models, for the platform operator.

Platform staff hold no standing access to any district's data (issue 12 item 5): a list shows
only the rows of districts whose admin granted this staff member time-boxed support access
(crsys.audit), every page is read-only, and each one opened is in that district's audit log.
A page about one
object (change, delete, history), and an add page once its district is chosen, runs inside
that district's context exactly as a request under ``/d/<slug>/`` does: the ORM scope and
row-level security are that district's, foreign-key choices and raw-id lookups offer only its
rows, and a save cannot cross districts. Without it the fail-closed managers raise
``NoDistrictInContext`` in the widgets (issue 14, item 6).

Every add, change and delete is recorded in Django's admin log (who, when, what), the audit
trail of the operator's cross-district work until the district audit log exists.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError

from crsys.audit.models import Action
from crsys.audit.selectors import granted_district_ids, live_grant_id
from crsys.audit.services import event_record
from crsys.tenancy.context import current_district_id, district_context
from crsys.tenancy.models import TenantModel
from districts.models import District

DISTRICT_LOOKUP = "district__id__exact"


def is_tenant_model(model) -> bool:
    return isinstance(model, type) and issubclass(model, TenantModel)


class DistrictRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box whose label is looked up, and whose search pop-up lists, in the district
    in context only; with none (an add page before a district is chosen) it shows no label
    rather than reaching past the fail-closed manager."""

    def url_parameters(self):
        params = super().url_parameters()
        district_id = current_district_id()
        if district_id is not None:
            params[DISTRICT_LOOKUP] = str(district_id)
        return params

    def label_and_url_for_value(self, value):
        if current_district_id() is None:
            return "", ""
        return super().label_and_url_for_value(value)


class TenantModelAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        # Across districts, but only those that granted this staff member access now.
        granted = granted_district_ids(user=request.user)
        return self.model.objects.unscoped().filter(district_id__in=granted)

    # Support access reads: nothing is added, changed or deleted through it.
    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        if not super().has_view_permission(request, obj):
            return False
        granted = granted_district_ids(user=request.user)
        return bool(granted) if obj is None else obj.district_id in granted

    def changelist_view(self, request, extra_context=None):
        response = _rendered(super().changelist_view(request, extra_context))
        if response.status_code == 200:
            for district_id in sorted(granted_district_ids(user=request.user)):
                self._audit(request, district_id, "")
        return response

    def get_readonly_fields(self, request, obj=None):
        # A row never moves between districts: everything it points to stays behind.
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "district") if obj is not None else fields

    def lookup_allowed(self, lookup, value, request=None):
        # The raw-id pop-up of a district's page filters the list to that district.
        return lookup == DISTRICT_LOOKUP or super().lookup_allowed(lookup, value, request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        target = db_field.remote_field.model
        if is_tenant_model(target):
            if db_field.name in self.raw_id_fields:
                kwargs["widget"] = DistrictRawIdWidget(
                    db_field.remote_field, self.admin_site, using=kwargs.get("using")
                )
            elif current_district_id() is None:
                # An add page before its district is chosen: list every district's rows so
                # the page renders; once the district is posted, the page runs in its
                # context and the scoped default manager refuses another district's row.
                kwargs.setdefault("queryset", target.objects.unscoped())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with self._district_of_page(request, object_id):
            response = _rendered(
                super().changeform_view(request, object_id, form_url, extra_context)
            )
            district_id = current_district_id()
        if district_id is not None and response.status_code == 200:
            self._audit(request, district_id, object_id)
        return response

    def _audit(self, request, district_id: int, object_id) -> None:
        event_record(
            district_id=district_id, user=request.user, action=Action.VIEW, request=request,
            object_type=self.model._meta.model_name, object_id=object_id or "",
            support_grant_id=live_grant_id(user=request.user, district_id=district_id),
            detail={"route": "admin"},
        )  # fmt: skip

    def delete_view(self, request, object_id, extra_context=None):
        with self._district_of_page(request, object_id):
            return _rendered(super().delete_view(request, object_id, extra_context))

    def history_view(self, request, object_id, extra_context=None):
        with self._district_of_page(request, object_id):
            return _rendered(super().history_view(request, object_id, extra_context))

    @contextlib.contextmanager
    def _district_of_page(self, request, object_id) -> Iterator[None]:
        district_id = self._district_id(request, object_id)
        if district_id is None:  # a missing object, or an add page with no district yet
            yield
            return
        with district_context(district_id, user=request.user):
            yield

    def _district_id(self, request, object_id) -> int | None:

        if object_id is not None:
            try:
                pk = self.model._meta.pk.to_python(unquote(object_id))
            except ValidationError:
                return None
            rows = self.model.objects.unscoped().filter(pk=pk)  # the operator's, any district
            return rows.values_list("district_id", flat=True).first()
        chosen = request.POST.get("district") or request.GET.get("district")
        try:
            return District.objects.filter(pk=int(chosen)).values_list("pk", flat=True).first()
        except (TypeError, ValueError):
            return None


def _rendered(response):
    # Templates render lazily, after the view returns; the widgets they draw query tenant
    # models, so render while the district is still in context.
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response
