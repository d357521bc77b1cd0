"""Full-text indexes for the accent-insensitive search, on PostgreSQL only.

The columns hold text folded in Python (no accents, đ→d, lower case), so the 'simple'
configuration is all that is needed and SQLite searches the same words with LIKE.
"""

from django.db import migrations

COLUMNS = ("search_text", "search_person")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS petition_{column}_fts ON petitions_petition "
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE({column}, '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS petition_{column}_fts")


class Migration(migrations.Migration):
    dependencies = [("petitions", "0004_reference_aliases")]
    operations = [migrations.RunPython(create, drop)]
