"""Issue 14, PostgreSQL only: GIN indexes that find the matches a reader could possibly see.

A common word matches tens of thousands of one large municipality's entries, most of them
other units' inputs and minutes. With only (municipality_id, vector) every one of them was
read from the table to be refused by the permission check. The search now asks for the
reader's reach (`selectors._reach`): the units where they hold a role, the municipality's
meetings without a unit, the sent reports for steering-group members, their own inputs and
experiences. A part's newest matches of a common word are read along its b-tree (…, date, id)
index (migration 0005); a rare word's are found by one of these GIN indexes:

- (municipality_id, unit_id, vector) of the entries with a unit replaces 0003's
  (municipality_id, vector): a GIN index serves any subset of its columns, so one index finds
  a municipality's matches (the administrator) and a list of units' matches (everyone else).
  Entries without a unit (the steering group's meetings, a few dozen per municipality) are
  left out on purpose: they are read along their own small b-tree (0005), and PostgreSQL
  would otherwise intersect that with this index's text matches of the whole country;
- (municipality_id, vector) for unit reports (steering-group members read every sent report).

SQLite: nothing to do.
"""

from django.db import migrations

SCOPE_INDEX = "search_entry_scope_vector_gin"
REPORT_INDEX = "search_entry_report_vector_gin"
OLD_INDEX = "search_entry_muni_vector_gin"  # migration 0003


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {SCOPE_INDEX} ON search_searchentry "
        "USING gin (municipality_id, unit_id, vector) WHERE unit_id IS NOT NULL"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {REPORT_INDEX} ON search_searchentry "
        "USING gin (municipality_id, vector) WHERE kind = 'report'"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON search_searchentry "
        "USING gin (municipality_id, vector)"
    )
    for name in (SCOPE_INDEX, REPORT_INDEX):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_municipality_vector_gin"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
