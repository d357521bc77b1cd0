from django.db import migrations


class Migration(migrations.Migration):
    """Assignment takes the shared deadline model's names for when it was done and whether on
    time; the rest of the shared shapes follows in the next migration."""

    dependencies = [("petitions", "0006_urgency_index")]

    operations = [
        migrations.RenameField("assignment", "answered_at", "done_at"),
        migrations.RenameField("assignment", "answered_on_time", "done_on_time"),
    ]
