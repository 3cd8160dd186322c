"""PostgreSQL's plan for a query, as tests of the indexes read it."""

from django.db import connection


def plan_of(queryset, *, avoid: tuple[str, ...]) -> str:
    """EXPLAIN of `queryset` with the planner told to avoid each of `avoid` ("seqscan",
    "bitmapscan", "sort"…), as at scale it would, so that a missing index shows in the plan:
    a test database is small enough for PostgreSQL to read any table whole."""
    with connection.cursor() as cursor:
        for method in avoid:
            cursor.execute(f"SET LOCAL enable_{method} = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
