"""The petition-unit table says why a unit sees a petition (lead, supporting, or the
organisation that submitted it): a Front user's petitions are then one indexed lookup
instead of an OR over the petition table's own columns."""

import django.db.models.deletion
from django.db import migrations, models

ROLES = "UPDATE petitions_petitionunit SET role = 'supporting' WHERE supporting"

SUBMITTED = """
INSERT INTO petitions_petitionunit (assignment_id, petition_id, department_id, role)
SELECT NULL, id, submitted_by_department_id, 'submitted' FROM petitions_petition
WHERE submitted_by_department_id IS NOT NULL
"""


def fill_roles(apps, schema_editor):
    """The supporting rows say so in the new column (every other row so far is a lead's)."""
    schema_editor.execute(ROLES)


def fill_submitted(apps, schema_editor):
    """One row for each petition an organisation submitted."""
    schema_editor.execute(SUBMITTED)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0022_report_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="petitionunit", name="petition_unit_department_idx"),
        migrations.AddField(
            model_name="petitionunit",
            name="role",
            field=models.CharField(
                choices=[
                    ("lead", "Lead"),
                    ("supporting", "Supporting"),
                    ("submitted", "Submitted"),
                ],
                default="lead",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_roles, migrations.RunPython.noop),
        migrations.RemoveField(model_name="petitionunit", name="supporting"),
        migrations.AlterField(
            model_name="petitionunit",
            name="assignment",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="petitions.assignment",
            ),
        ),
        migrations.AddIndex(
            model_name="petitionunit",
            index=models.Index(
                fields=["department", "role", "petition", "assignment"],
                name="petition_unit_department_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="petitionunit",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", "submitted")),
                fields=("petition",),
                name="unique_submitted_petition_unit",
            ),
        ),
        migrations.AddConstraint(
            model_name="petitionunit",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("assignment__isnull", True), ("role", "submitted")),
                    models.Q(
                        models.Q(("role", "submitted"), _negated=True),
                        ("assignment__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="petition_unit_assignment_unless_submitted",
            ),
        ),
        # Last: an index built after rows inserted in the same transaction waits for their
        # foreign-key checks (PostgreSQL refuses it).
        migrations.RunPython(fill_submitted, migrations.RunPython.noop),
    ]
