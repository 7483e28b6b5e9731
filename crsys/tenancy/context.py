"""The district a request or task is working for, held in a context variable.

Only the edges set it: the page middleware, the API base view, and Celery tasks (which take
``district_id`` explicitly). Everything below reads it through the tenant managers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, transaction


class NoDistrictInContext(RuntimeError):
    """A tenant model was queried with no district resolved: a bug, never a fallback."""


@dataclass(frozen=True)
class DistrictScope:
    district_id: int
    user_id: int | None


_current: ContextVar[DistrictScope | None] = ContextVar("crsys_district", default=None)
#: (client address, path) of the request being served: the audit triggers read them from
#: the transaction's settings (crsys.audit, docs/adr/0011).
request_origin: ContextVar[tuple[str, str]] = ContextVar("crsys_origin", default=("", ""))


def current_district_id() -> int | None:
    scope = _current.get()
    return scope.district_id if scope else None


def require_district_id() -> int:
    district_id = current_district_id()
    if district_id is None:
        raise NoDistrictInContext(
            "No district in context: resolve one with district_context(), scope with "
            ".for_district(district), or (rarely, with a comment saying why) use .unscoped()."
        )
    return district_id


@contextlib.contextmanager
def district_context(district, *, user=None) -> Iterator[DistrictScope]:
    """Run the body for one district: ORM scoping plus, on PostgreSQL, row-level security.

    The body runs in one transaction. On PostgreSQL the transaction switches to the
    application role (which owns nothing and cannot bypass RLS) and sets ``app.district_id``
    with ``set_config(..., true)`` so the setting dies with the transaction and never
    leaks into the next request on a pooled connection.
    """
    district_id = district if isinstance(district, int) else district.pk
    user_id = getattr(user, "pk", user) if user is not None else None
    scope = DistrictScope(district_id=district_id, user_id=user_id)
    token = _current.set(scope)
    nested = connection.in_atomic_block
    try:
        with transaction.atomic():
            # rls imports DistrictScope from this module: a cycle at import time.
            from crsys.tenancy import rls  # noqa: PLC0415

            previous = rls.enter(scope)
            yield scope
            # On an exception the rollback (of the transaction or savepoint) undoes the
            # settings, and so does the commit of an outermost block; inside an outer
            # transaction they are put back by hand.
            if nested and previous is not None and not connection.needs_rollback:
                rls.restore(previous)
    finally:
        _current.reset(token)
