"""The base every district-owned model inherits, and its fail-closed manager."""

from __future__ import annotations

from django.db import models

from crsys.tenancy.context import current_district_id, require_district_id


class CrossDistrictWrite(RuntimeError):
    """A row of one district was about to be saved while working for another."""


class TenantQuerySet(models.QuerySet):
    def for_district(self, district) -> TenantQuerySet:
        district_id = getattr(district, "pk", district)
        return self.filter(district_id=district_id)

    def bulk_create(self, objs, *args, **kwargs):
        # Also reached from Django internals (a many-to-many's through model): each row
        # takes the district in context, and one of another district is refused.
        objs = list(objs)
        for obj in objs:
            obj.check_district_on_save()
        return super().bulk_create(objs, *args, **kwargs)


class CurrentDistrictFilter(models.Expression):
    """``district_id = <the district in context when the SQL is built>``; with none, raise.

    A queryset is therefore scoped to the district in context when it runs, not when it was
    made: one made at import time by a form field or filter class (perhaps while some
    request's district was in context) serves every district correctly, and none can run
    outside a district.
    """

    conditional = True
    output_field = models.BooleanField()

    column = None  # the district_id column, once resolved against the query it filters

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False,
                           for_save=False):  # fmt: skip
        resolved = self.copy()
        if resolved.column is None:
            resolved.column = models.F("district_id").resolve_expression(
                query, allow_joins, reuse, summarize
            )
        # Resolved once, against its own query: when that query later becomes a subquery
        # (``Exists(...)``, as a conditional UniqueConstraint's validation builds it), its
        # aliases are relabelled through ``get_source_expressions``, and resolving it again
        # against the outer query would look for ``district_id`` there (Django then skipped
        # the constraint's check in silence: FieldError is swallowed by its validate()).
        return resolved

    def get_source_expressions(self):
        return [] if self.column is None else [self.column]

    def set_source_expressions(self, exprs):
        if exprs:
            (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column_sql, params = compiler.compile(self.column)
        return f"{column_sql} = %s", [*params, require_district_id()]


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Scoped to the district in context; with none, any query raises (fails closed).

    ``for_district(d)`` scopes explicitly (e.g. a platform admin page, a migration);
    ``unscoped()`` is the escape hatch and every call site says why in a comment.
    """

    def get_queryset(self) -> TenantQuerySet:
        # Always the lazy condition, never the id in context now: a queryset built during
        # one request (a form or filter class imported then) must not keep that district.
        return super().get_queryset().filter(CurrentDistrictFilter())

    def for_district(self, district) -> TenantQuerySet:
        return self.unscoped().for_district(district)

    def unscoped(self) -> TenantQuerySet:
        return super().get_queryset()

    def create(self, **kwargs):
        # Writes need no read scope; TenantModel.save checks the district instead.
        return self.unscoped().create(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        return self.unscoped().bulk_create(objs, *args, **kwargs)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TenantModel(TimeStampedModel):
    """A row owned by one district. ``district_id`` is stored even where derivable: it is
    the key of every query, of row-level security and of sharding later."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_district_on_save()
        super().save(*args, **kwargs)

    def check_district_on_save(self) -> None:
        in_context = current_district_id()
        if self.district_id is None:
            self.district_id = require_district_id()
        elif in_context is not None and self.district_id != in_context:
            raise CrossDistrictWrite(
                f"{type(self).__name__} of district {self.district_id} saved while working "
                f"for district {in_context}."
            )
