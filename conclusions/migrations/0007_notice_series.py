"""An organisation's notices are numbered in its own series ("TB-MTTQ", from 1 each year):
the number is unique within its series, not within the term alone.

SQLite rebuilds the table to change a constraint, which its triggers (0002) do not survive:
they are dropped first and put back after.
"""

import importlib

from django.db import migrations, models

frozen = importlib.import_module("conclusions.migrations.0002_frozen_when_signed")


class Migration(migrations.Migration):
    dependencies = [
        ("conclusions", "0006_urging_letters"),
    ]

    operations = [
        migrations.RunPython(frozen.uninstall, frozen.install),
        migrations.RemoveConstraint(
            model_name="conclusion",
            name="conclusion_number_once_a_term",
        ),
        migrations.AddField(
            model_name="conclusion",
            name="series",
            field=models.CharField(default="TB", editable=False, max_length=12),
        ),
        migrations.AddConstraint(
            model_name="conclusion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number__isnull", False)),
                fields=("series", "term_start", "number"),
                name="conclusion_number_once_a_series",
            ),
        ),
        migrations.RunPython(frozen.install, frozen.uninstall),
    ]
