from datetime import date

from django.db import migrations

# Make-up working days announced for 2026 that the `holidays` package does not list:
# Monday 31/08 is a day off in exchange for working Saturday 22/08.
MAKE_UP_DAYS = [(date(2026, 8, 22), "Làm bù cho ngày nghỉ 31/08/2026")]


def create(apps, schema_editor):
    SiteConfiguration = apps.get_model("doluong_dialogue", "SiteConfiguration")
    CalendarException = apps.get_model("doluong_dialogue", "CalendarException")
    SiteConfiguration.objects.get_or_create(pk=1)
    for day, note in MAKE_UP_DAYS:
        CalendarException.objects.get_or_create(
            day=day, defaults={"kind": "working_day", "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("doluong_dialogue", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
