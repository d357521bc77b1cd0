"""The database refuses any change to a signed conclusion's words and to its directives'.

The models refuse it too (conclusions/models.py), but a shell, a raw query or a future bug
could go around them. On PostgreSQL triggers refuse updates, deletions and new links of a
signed conclusion, its directives and their units and petitions. On SQLite (the embedded
default) the same updates are refused; deletions are left to the models there, because the
test runner empties SQLite tables with DELETE.

What stays open once signed: the conclusion's issue (status signed → issued, the date and who
issued it) and each directive's follow-up (status, progress, when it was done, and a deadline
counted in working days, which is counted from the issue).
"""

from django.db import migrations

FROZEN = "('signed', 'issued')"
CONCLUSION_COLUMNS = (
    "session_id",
    "summary",
    "opening",
    "dialogued",
    "not_dialogued",
    "resolved",
    "in_progress",
    "closing",
    "other_recipients",
    "review_comment",
    "version",
    "number",
    "term_start",
    "signed_on",
    "signed_at",
    "signed_by_id",
    "signer_authority",
    "signer_title",
    "signer_name",
    "created_by_id",
    "created_at",
)
DIRECTIVE_COLUMNS = ("conclusion_id", "order", "lead_id", "task", "report_how", "working_days")
LINK_TABLES = {
    "conclusions_conclusion_recipient_units": "(SELECT status FROM conclusions_conclusion "
    "WHERE id = {row}.conclusion_id)",
    "conclusions_directive_supporting": "(SELECT c.status FROM conclusions_conclusion c JOIN "
    "conclusions_directive d ON d.conclusion_id = c.id WHERE d.id = {row}.directive_id)",
    "conclusions_directive_petitions": "(SELECT c.status FROM conclusions_conclusion c JOIN "
    "conclusions_directive d ON d.conclusion_id = c.id WHERE d.id = {row}.directive_id)",
}
MESSAGE = "A signed conclusion cannot be changed"


def _changed(columns, compare: str) -> str:
    return " OR ".join(f'NEW."{c}" {compare} OLD."{c}"' for c in columns)


POSTGRESQL = [
    f"""
    CREATE FUNCTION conclusions_refuse_frozen() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
    END $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER conclusion_frozen_update BEFORE UPDATE ON conclusions_conclusion
    FOR EACH ROW WHEN (OLD.status IN {FROZEN} AND (NEW.status NOT IN {FROZEN}
      OR {_changed(CONCLUSION_COLUMNS, "IS DISTINCT FROM")}))
    EXECUTE FUNCTION conclusions_refuse_frozen();
    """,
    f"""
    CREATE TRIGGER conclusion_frozen_delete BEFORE DELETE ON conclusions_conclusion
    FOR EACH ROW WHEN (OLD.status IN {FROZEN})
    EXECUTE FUNCTION conclusions_refuse_frozen();
    """,
    f"""
    CREATE FUNCTION conclusions_directive_frozen() RETURNS trigger AS $$
    DECLARE
      target integer;
    BEGIN
      IF TG_OP = 'INSERT' THEN target := NEW.conclusion_id; ELSE target := OLD.conclusion_id;
      END IF;
      IF EXISTS (SELECT 1 FROM conclusions_conclusion WHERE id = target
                 AND status IN {FROZEN}) THEN
        IF TG_OP <> 'UPDATE'
           OR {_changed(DIRECTIVE_COLUMNS, "IS DISTINCT FROM")}
           OR (OLD.working_days IS NULL AND NEW.deadline IS DISTINCT FROM OLD.deadline) THEN
          RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
        END IF;
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER directive_frozen BEFORE INSERT OR UPDATE OR DELETE ON conclusions_directive
    FOR EACH ROW EXECUTE FUNCTION conclusions_directive_frozen();
    """,
]
for table, status in LINK_TABLES.items():
    POSTGRESQL += [
        f"""
        CREATE FUNCTION {table}_frozen() RETURNS trigger AS $$
        DECLARE
          state text;
        BEGIN
          IF TG_OP = 'INSERT' THEN state := {status.format(row="NEW")};
          ELSE state := {status.format(row="OLD")};
          END IF;
          IF state IN {FROZEN} THEN
            RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME
              USING ERRCODE = 'restrict_violation';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql;
        """,
        f"""
        CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_frozen();
        """,
    ]

SQLITE = [
    f"""
    CREATE TRIGGER conclusion_frozen_update BEFORE UPDATE ON conclusions_conclusion
    WHEN OLD.status IN {FROZEN} AND (NEW.status NOT IN {FROZEN}
      OR {_changed(CONCLUSION_COLUMNS, "IS NOT")})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER directive_frozen_update BEFORE UPDATE ON conclusions_directive
    WHEN (SELECT status FROM conclusions_conclusion WHERE id = OLD.conclusion_id) IN {FROZEN}
      AND ({_changed(DIRECTIVE_COLUMNS, "IS NOT")}
           OR (OLD.working_days IS NULL AND NEW.deadline IS NOT OLD.deadline))
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER directive_frozen_insert BEFORE INSERT ON conclusions_directive
    WHEN (SELECT status FROM conclusions_conclusion WHERE id = NEW.conclusion_id) IN {FROZEN}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
for table, status in LINK_TABLES.items():
    SQLITE.append(
        f"""
        CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table}
        WHEN {status.format(row="NEW")} IN {FROZEN}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
        """
    )


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in LINK_TABLES:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_frozen() CASCADE")
        schema_editor.execute("DROP FUNCTION IF EXISTS conclusions_directive_frozen() CASCADE")
        schema_editor.execute("DROP FUNCTION IF EXISTS conclusions_refuse_frozen() CASCADE")
    elif vendor == "sqlite":
        names = ["conclusion_frozen_update", "directive_frozen_update", "directive_frozen_insert"]
        names += [f"{table}_frozen_insert" for table in LINK_TABLES]
        for name in names:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def deputy_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="deputy_secretary")


class Migration(migrations.Migration):
    dependencies = [("conclusions", "0001_initial")]

    operations = [
        migrations.RunPython(install, uninstall),
        migrations.RunPython(deputy_group, migrations.RunPython.noop),
    ]
