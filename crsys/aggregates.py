"""Aggregates Django 5.2 has only for PostgreSQL, written for both databases we run on."""

from __future__ import annotations

from django.db.models import Aggregate, CharField


class JoinedIds(Aggregate):
    """The group's ids as one comma-separated string ("3,17,42"), or NULL for no rows:
    STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite. Lets a page read a short list per row
    in the row's own query."""

    function = "STRING_AGG"
    template = "%(function)s((%(expressions)s)::text, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ',')",
            **extra,
        )


class JoinedText(Aggregate):
    """The group's texts as one string, joined by the unit separator (which no name
    holds), or NULL for no rows; ``split_text`` parts it again."""

    function = "STRING_AGG"
    template = "%(function)s((%(expressions)s)::text, chr(31))"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, char(31))",
            **extra,
        )


def split_text(joined: str | None) -> list[str]:
    return joined.split("\x1f") if joined else []


def split_ids(joined: str | None) -> list[int]:
    return [int(part) for part in joined.split(",")] if joined else []
