"""The search's text vectors stored in the row (PostgreSQL only).

Migration 0005 indexed to_tsvector(...) as an expression: every row the index could not
settle alone (a common word's bitmap goes lossy, a department's visibility filter) had its
vector computed again, about 32 µs a row. Generated columns keep the vectors in the row,
computed once when the row is written; the GIN indexes of the same names index them.
Adding the columns rewrites the table once (about a minute for a million petitions).
"""

from django.db import migrations

COLUMNS = ("search_text", "search_person")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS petition_{column}_fts")
    schema_editor.execute(
        "ALTER TABLE petitions_petition "
        + ", ".join(
            f"ADD COLUMN {column}_vector tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('simple'::regconfig, COALESCE({column}, ''))) STORED"
            for column in COLUMNS
        )
    )
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX petition_{column}_fts ON petitions_petition "
            f"USING gin ({column}_vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS petition_{column}_fts")
        schema_editor.execute(f"ALTER TABLE petitions_petition DROP COLUMN {column}_vector")
        schema_editor.execute(
            f"CREATE INDEX petition_{column}_fts ON petitions_petition "
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE({column}, '')))"
        )


class Migration(migrations.Migration):
    dependencies = [("petitions", "0013_intake_fingerprint")]
    operations = [migrations.RunPython(create, drop)]
