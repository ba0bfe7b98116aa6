"""Issue 14, PostgreSQL only: GIN indexes that find one municipality's matches directly.

At national scale a word matches entries in every municipality; the plain GIN index on
`vector` (0002) would find all of them and leave the municipality to a filter. A GIN index
on (municipality_id, vector) (the `btree_gin` extension, trusted since PostgreSQL 13, so the
database owner may create it) finds only the searcher's municipality's matches, and a small
partial GIN index finds shared experiences of other municipalities. The composite index
serves a text-only condition as well, so 0002's plain index on `vector` is dropped (one GIN
index less to keep up on every write). SQLite: nothing to do.
"""

from django.db import migrations

MUNICIPALITY_INDEX = "search_entry_muni_vector_gin"
EXPERIENCE_INDEX = "search_entry_experience_vector_gin"
PLAIN_INDEX = "search_searchentry_vector_gin"  # migration 0002


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {MUNICIPALITY_INDEX} ON search_searchentry "
        "USING gin (municipality_id, vector)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {EXPERIENCE_INDEX} ON search_searchentry "
        "USING gin (vector) WHERE kind = 'experience'"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {PLAIN_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {PLAIN_INDEX} ON search_searchentry USING gin (vector)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {MUNICIPALITY_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {EXPERIENCE_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_vector_gin_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
