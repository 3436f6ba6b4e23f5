"""`OutboxMessage` now lives in `outbox` (outbox 0001): drop it from interop's state and point the foreign keys
of `Notification` and `SyncRecord` at `outbox.OutboxMessage`, state only: the table, its rows and the
columns stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0005_outbox_request_id"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="outbox_message",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="notifications",
                        to="outbox.outboxmessage",
                    ),
                ),
                migrations.AlterField(
                    model_name="syncrecord",
                    name="outbox_message",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="dvcqg_syncs",
                        to="outbox.outboxmessage",
                    ),
                ),
                migrations.DeleteModel(name="OutboxMessage"),
            ],
            database_operations=[],
        ),
    ]
