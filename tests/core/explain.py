"""Issue 14: which index a page's heavy query uses, on PostgreSQL and on SQLite alike.

At test volume a planner prefers a sequential scan, so on PostgreSQL the plan is asked for with
sequential scans discouraged (``SET LOCAL enable_seqscan = off``, inside a transaction); SQLite's
``EXPLAIN QUERY PLAN`` names the index it would use. Tests assert the index by its name.
"""

from django.db import connection, transaction


def plan(queryset, *, ordered: bool = False) -> str:
    """The query plan of ``queryset`` as text. ``ordered``: the index is there to give the rows
    in the page's order, so on PostgreSQL sorting is discouraged too (with a handful of rows the
    planner may otherwise read another index and sort, which is as cheap at that volume)."""
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            if ordered:
                cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def assert_uses_index(queryset, name: str, *, ordered: bool = False) -> None:
    text = plan(queryset, ordered=ordered)
    if connection.vendor == "postgresql":
        assert f" {name} " in text + " " or f" {name}\n" in text + "\n", text
    else:
        assert f"USING INDEX {name}" in text or f"USING COVERING INDEX {name}" in text, text
