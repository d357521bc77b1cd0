"""The tallies of the reports' statistics (petitions/tallies.py): the petitions received by
month in each topic and hamlet, by state and by deadline, and the assignments given by month
to each unit; the triggers of both tables keep them too, filled from the rows already
there."""

from importlib import import_module

from django.db import migrations

from doluong_dialogue.tallies import TallySpec, tally_migration

# The tallies each table's triggers kept before, from the migrations that installed them; the
# tallies added, as they were when the triggers were written (petitions/tallies.py holds the
# current ones).
_0026 = import_module("petitions.migrations.0026_tallies")
PETITION_TALLIES = [_0026.PETITION, _0026.PETITION_LETTER]
ASSIGNMENT_TALLIES = import_module(
    "petitions.migrations.0032_assignment_petition_copies"
).ASSIGNMENT_TALLIES
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


class Migration(migrations.Migration):
    dependencies = [("petitions", "0032_assignment_petition_copies")]

    operations = [
        tally_migration(
            "petitions_petition",
            PETITION_TALLIES,
            [
                *PETITION_TALLIES,
                *received_by("topic", "topic_id"),
                *received_by("hamlet", "residential_unit_id"),
            ],
        ),
        tally_migration(
            "petitions_assignment",
            ASSIGNMENT_TALLIES,
            [*ASSIGNMENT_TALLIES, ASSIGNMENT_GIVEN, ASSIGNMENT_GIVEN_DUE],
        ),
    ]
