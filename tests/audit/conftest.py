import pytest
from django.db import connection

# The visibility walk's scene (two schools, teams, notes, plans, screeners), for the rule that
# every route showing a student is audited.
from tests.test_visibility_within_district import scene  # noqa: F401

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="triggers and row-level security are PostgreSQL's"
)
