"""The demo district, seeded once per test session and replayed into each test that asks.

``seed_demo_district`` builds hundreds of rows through the services (a few seconds); nine
tests used to run it each. The session seeds it once inside a transaction that is rolled
back, keeps the rows it added (plain column values, table by table), and ``load`` writes them
again with one INSERT per table, so every test still starts from its own fresh demo, in its
own transaction (or, for live-server tests, committed and flushed afterwards as before).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from districts.demo import seed_demo_district

SLUG = "demo"
PASSWORD = "demo-pass-2026"


@dataclass
class Table:
    model: type
    columns: list[str]
    rows: list[tuple]


def _tables():
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        yield model, [f.column for f in model._meta.concrete_fields]


def _rows(model, columns) -> list[tuple]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)}"
        )
        return cursor.fetchall()


def seed_and_record() -> list[Table]:
    """Seed the demo in a transaction that is rolled back; return the rows it added."""
    with transaction.atomic():
        before = {model: set(_rows(model, columns)) for model, columns in _tables()}
        seed_demo_district(slug=SLUG, password=PASSWORD)
        added = []
        for model, columns in _tables():
            rows = [row for row in _rows(model, columns) if row not in before[model]]
            if rows:
                added.append(Table(model, columns, rows))
        transaction.set_rollback(True)
    assert any(t.model._meta.label == "districts.District" for t in added)
    return added


def load(tables: list[Table]) -> None:
    """Write the recorded demo into the test database (the ids it was seeded with)."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are checked at commit (Django creates them deferrable), so the tables
        # go in any order.
        for table in tables:
            cursor.executemany(
                f"INSERT INTO {quote(table.model._meta.db_table)}"
                f" ({', '.join(map(quote, table.columns))})"
                f" VALUES ({', '.join(['%s'] * len(table.columns))})",
                table.rows,
            )
        # PostgreSQL's sequences: the next row a test writes must not take a recorded id.
        for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables]):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            # As seed_demo does (crsys.bulk.analyze_database): on empty-table statistics the
            # planner loops over every row (a teacher's class list took minutes, not ms).
            names = ", ".join(quote(t.model._meta.db_table) for t in tables)
            cursor.execute(f"ANALYZE {names}")
