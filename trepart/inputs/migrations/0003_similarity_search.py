"""Similar inputs (issue 10): new stored terms, and PostgreSQL's search for them.

- Every input's `stems` is recomputed: the terms now carry concepts, compound parts and typing
  corrections (similarity.py), not plain stems.
- PostgreSQL only: the pg_trgm extension, and two GIN indexes on the terms — one for full-text
  search with the `norwegian` configuration (the expression is the one Django's
  `SearchVector("stems", config="norwegian")` writes, so the planner can use it) and one for
  trigram word similarity. On SQLite these steps do nothing: there the unit's inputs are ranked
  in Python.
"""

from django.db import migrations

BATCH = 500

INDEXES = {
    "inputs_input_stems_fts": "USING gin (to_tsvector('norwegian'::regconfig, COALESCE(stems, '')))",
    "inputs_input_stems_trgm": "USING gin (stems gin_trgm_ops)",
}


def recompute_terms(apps, schema_editor):
    from trepart.inputs.similarity import refresh_stored_terms

    refresh_stored_terms(apps.get_model("inputs", "Input"), batch=BATCH)


def search_forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON inputs_input {definition}")


def search_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other parts of the database may use it.
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("inputs", "0002_input_link_for_every_unit"),
    ]

    operations = [
        migrations.RunPython(search_forwards, search_backwards),
        migrations.RunPython(recompute_terms, migrations.RunPython.noop),
    ]
