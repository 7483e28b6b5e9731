"""The models' own rules, applied before a write (STYLE: validation lives on the model)."""

from __future__ import annotations

from django.db.models import Model


def check_fields(instance: Model, *fields: str) -> None:
    """Refuse ``instance`` unless ``fields`` meet their model's rules (length, blank,
    choices), with the model's message naming the field: never cut to fit. Only these
    fields, so no query checks related rows the service has already resolved."""
    exclude = {f.name for f in instance._meta.concrete_fields} - set(fields)
    instance.clean_fields(exclude=exclude)
