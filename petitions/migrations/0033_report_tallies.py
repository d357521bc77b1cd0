"""The tallies of the reports' statistics (petitions/tallies.py): the petitions received by
month in each topic and hamlet, by state and by deadline, and the assignments given by month
to each unit; the triggers of both tables keep them too, filled from the rows already
there."""

from django.db import migrations

from doluong_dialogue.tallies import TallySpec, recount, trigger_sql

# As they were when the triggers were written (petitions/tallies.py holds the current ones).
PETITION = TallySpec(
    name="petition",
    table="petitions_petition",
    columns=("status", "lead_department_id", "deadline"),
    unit="CASE WHEN {r}.status = 'assigned' THEN {r}.lead_department_id END",
    status="{r}.status",
    day="CASE WHEN {r}.status = 'assigned' THEN {r}.deadline END",
)
PETITION_LETTER = TallySpec(
    name="petition_letter",
    table="petitions_petition",
    columns=("acknowledgement_due", "acknowledged_on"),
    day="{r}.acknowledgement_due",
    where="{r}.acknowledged_on IS NULL AND {r}.acknowledgement_due IS NOT NULL",
)
COUNTED_PETITION = "{r}.duplicate_of_id IS NULL AND {r}.status <> 'routed_out'"


def received_by(place: str, column: str) -> list[TallySpec]:
    return [
        TallySpec(
            name=f"received_{place}",
            table="petitions_petition",
            columns=("status", "outcome", "duplicate_of_id", "received_on", column),
            unit=f"{{r}}.{column}",
            status=(
                "CASE WHEN {r}.status <> 'closed' THEN 'handling' "
                "WHEN {r}.outcome = 'resolved' THEN 'resolved' ELSE 'closed' END"
            ),
            day="{month:received_on}",
            where=COUNTED_PETITION,
        ),
        TallySpec(
            name=f"received_due_{place}",
            table="petitions_petition",
            columns=("status", "duplicate_of_id", "received_on", "deadline", column),
            unit=f"{{r}}.{column}",
            status="{month_text:received_on}",
            day="{r}.deadline",
            where=(
                f"{COUNTED_PETITION} AND {{r}}.status <> 'closed' AND {{r}}.deadline IS NOT NULL"
            ),
        ),
    ]


ASSIGNMENT = TallySpec(
    name="assignment",
    table="petitions_assignment",
    columns=("status", "department_id", "deadline"),
    unit="{r}.department_id",
    status="{r}.status",
    day="CASE WHEN {r}.status = 'open' THEN {r}.deadline END",
)
ASSIGNMENT_DONE = TallySpec(
    name="assignment_done",
    table="petitions_assignment",
    columns=("department_id", "done_at", "done_on_time"),
    unit="{r}.department_id",
    status="CASE WHEN {r}.done_on_time THEN 'on_time' ELSE 'late' END",
    day="{day:done_at}",
    where="{r}.done_at IS NOT NULL AND {r}.done_on_time IS NOT NULL",
)


def by_place(place: str, column: str) -> list[TallySpec]:
    return [
        TallySpec(
            name=f"assignment_{place}",
            table="petitions_assignment",
            columns=("status", "department_id", "deadline", column),
            unit="{r}.department_id",
            status=f"'open:' || {{r}}.{column}",
            day="{r}.deadline",
            where=f"{{r}}.status = 'open' AND {{r}}.{column} IS NOT NULL",
        ),
        TallySpec(
            name=f"assignment_done_{place}",
            table="petitions_assignment",
            columns=("department_id", "done_at", "done_on_time", column),
            unit="{r}.department_id",
            status=(
                f"CASE WHEN {{r}}.done_on_time THEN 'on_time:' ELSE 'late:' END || {{r}}.{column}"
            ),
            day="{day:done_at}",
            where=(
                f"{{r}}.done_at IS NOT NULL AND {{r}}.done_on_time IS NOT NULL "
                f"AND {{r}}.{column} IS NOT NULL"
            ),
        ),
    ]


ASSIGNMENT_GIVEN = TallySpec(
    name="assignment_given",
    table="petitions_assignment",
    columns=("department_id", "done_on_time", "assigned_on"),
    unit="{r}.department_id",
    status=(
        "CASE WHEN {r}.done_on_time THEN 'on_time' "
        "WHEN NOT {r}.done_on_time THEN 'late' ELSE 'undone' END"
    ),
    day="{month:assigned_on}",
)
ASSIGNMENT_GIVEN_DUE = TallySpec(
    name="assignment_given_due",
    table="petitions_assignment",
    columns=("department_id", "status", "assigned_on", "deadline"),
    unit="{r}.department_id",
    status="{month_text:assigned_on}",
    day="{r}.deadline",
    where="{r}.status = 'open'",
)
ADDED = {
    "petitions_petition": [
        *received_by("topic", "topic_id"),
        *received_by("hamlet", "residential_unit_id"),
    ],
    "petitions_assignment": [ASSIGNMENT_GIVEN, ASSIGNMENT_GIVEN_DUE],
}
KEPT = {
    "petitions_petition": [PETITION, PETITION_LETTER],
    "petitions_assignment": [
        ASSIGNMENT,
        ASSIGNMENT_DONE,
        *by_place("topic", "petition_topic_id"),
        *by_place("hamlet", "petition_hamlet_id"),
    ],
}


def _triggers(schema_editor, table: str, removed, installed) -> None:
    vendor = schema_editor.connection.vendor
    for statement in [
        *trigger_sql(vendor, table, removed)[1],
        *trigger_sql(vendor, table, installed)[0],
    ]:
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    for table, added in ADDED.items():
        _triggers(schema_editor, table, KEPT[table], [*KEPT[table], *added])
    recount(
        using=schema_editor.connection.alias,
        quiet=True,
        tallies=[spec for added in ADDED.values() for spec in added],
    )


def remove(apps, schema_editor):
    for table, added in ADDED.items():
        _triggers(schema_editor, table, [*KEPT[table], *added], KEPT[table])
    apps.get_model("doluong_dialogue", "Tally").objects.filter(
        name__in=[spec.name for added in ADDED.values() for spec in added]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0032_assignment_petition_copies")]

    operations = [migrations.RunPython(install, remove)]
