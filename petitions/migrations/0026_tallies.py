"""The triggers that keep the tallies of petitions and assignments (petitions/tallies.py),
on PostgreSQL and SQLite, and the tallies filled from the rows already there."""

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
ASSIGNMENT = TallySpec(
    name="assignment",
    table="petitions_assignment",
    columns=("status", "department_id", "deadline"),
    unit="{r}.department_id",
    status="{r}.status",
    day="CASE WHEN {r}.status = 'open' THEN {r}.deadline END",
)
TRIGGERS = {
    "petitions_petition": [PETITION, PETITION_LETTER],
    "petitions_assignment": [ASSIGNMENT],
}


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, tallies in TRIGGERS.items():
        for statement in trigger_sql(vendor, table, tallies)[0]:
            schema_editor.execute(statement, params=None)
    recount(
        using=schema_editor.connection.alias,
        quiet=True,
        tallies=[PETITION, PETITION_LETTER, ASSIGNMENT],
    )


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, tallies in TRIGGERS.items():
        for statement in trigger_sql(vendor, table, tallies)[1]:
            schema_editor.execute(statement, params=None)
    apps.get_model("doluong_dialogue", "Tally").objects.filter(
        name__in=["petition", "petition_letter", "assignment"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0025_petition_entered_index"),
        ("doluong_dialogue", "0009_tally"),
    ]

    operations = [migrations.RunPython(install, remove)]
