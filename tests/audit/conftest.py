import pytest
from django.db import connection

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="triggers and row-level security are PostgreSQL's"
)
