"""`OutboxMessage` moves from `interop` to `outbox` (#14 item 1): the outbox is its own low app, so that
dossiers enqueue without importing interop.

Only Django's state moves: the table stays `interop_outboxmessage` with its rows (interop 0006 drops the
model from interop's state and points its foreign keys here, without touching the database), and the content
type is renamed so its permissions and admin history follow."""

from django.db import migrations, models


def move_content_type(apps, schema_editor, source: str = "interop", target: str = "outbox") -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=target, model="outboxmessage").exists():
        ContentType.objects.using(db).filter(app_label=source, model="outboxmessage").update(app_label=target)


def move_content_type_back(apps, schema_editor) -> None:
    move_content_type(apps, schema_editor, source="outbox", target="interop")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("interop", "0005_outbox_request_id"),  # the table as it is now
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("topic", models.CharField(db_index=True, max_length=80, verbose_name="loại thông điệp")),
                        ("payload", models.JSONField(default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc")),
                        ("available_at", models.DateTimeField(db_index=True)),
                        ("claimed_until", models.DateTimeField(blank=True, null=True)),
                        (
                            "dispatched_at",
                            models.DateTimeField(
                                blank=True, db_index=True, null=True, verbose_name="xử lý xong lúc"
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="số lần thử")),
                        ("last_error", models.TextField(blank=True, verbose_name="lỗi gần nhất")),
                        ("request_id", models.CharField(blank=True, default="", max_length=64)),
                    ],
                    options={
                        "verbose_name": "thông điệp chờ xử lý",
                        "verbose_name_plural": "hàng đợi tác vụ",
                        "db_table": "interop_outboxmessage",
                        "ordering": ["pk"],
                        "indexes": [models.Index(fields=["dispatched_at", "available_at"], name="outbox_pending")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
