"""PostgreSQL only: a GIN index on the search vector (decision 0005).

On SQLite the column stays NULL and this step does nothing: there the permitted entries are
matched and ranked in Python (`trepart/search/matching.py`).
"""

from django.db import migrations

INDEX = "search_searchentry_vector_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchentry USING gin (vector)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
