"""`Rating` now lives in `quality` (quality 0004): drop it from the portal's state only, the table and its
rows stay (`quality.Rating` uses `portal_rating`)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("quality", "0004_rating"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Rating")],
            database_operations=[],
        ),
    ]
