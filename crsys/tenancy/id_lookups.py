"""An id no column can hold matches nothing, in every lookup a client's id reaches.

Django already answers "no rows" for ``exact`` and the comparisons on an integer column when
the number is out of the column's range. It does not for ``in`` nor for the lookups on a
foreign key (``user_id=…``, ``student__in=…``), where SQLite then raises OverflowError on a
20-digit id from a form or a query string: a 500 instead of "no such student". These
lookups take the same rule, registered once for every model (``TenancyConfig.ready``).
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _column_range(lhs, connection) -> tuple[int | None, int | None]:
    field = lhs.output_field
    field = getattr(field, "target_field", field)  # a foreign key: the column it holds
    try:
        return connection.ops.integer_field_range(field.get_internal_type())
    except KeyError:
        return None, None  # not an integer column


def _out_of_range(value, low, high) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and ((low is not None and value < low) or (high is not None and value > high))
    )


class _InRange:
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = _column_range(self.lhs, connection)
            if self.lookup_name == "in":
                # In raises EmptyResultSet itself when nothing is left.
                self.rhs = [v for v in self.rhs if not _out_of_range(v, low, high)]
            elif _out_of_range(self.rhs, low, high):
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class IntegerInInRange(_InRange, In):
    pass


class RelatedExactInRange(_InRange, RelatedExact):
    pass


class RelatedInInRange(_InRange, RelatedIn):
    pass


def register() -> None:
    IntegerField.register_lookup(IntegerInInRange)
    ForeignObject.register_lookup(RelatedExactInRange)
    ForeignObject.register_lookup(RelatedInInRange)
