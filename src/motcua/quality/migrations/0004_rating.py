"""`Rating` moves from `portal` to `quality` (#14 item 1): quality reads the ratings, the portal writes them.

Only Django's state moves: the table stays `portal_rating` with its rows (portal 0002 drops the model from
the portal's state without touching the database), and the content type is renamed so its permissions and
admin history follow."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source: str = "portal", target: str = "quality") -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=target, model="rating").exists():
        ContentType.objects.using(db).filter(app_label=source, model="rating").update(app_label=target)


def move_content_type_back(apps, schema_editor) -> None:
    move_content_type(apps, schema_editor, source="quality", target="portal")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("dossiers", "0001_initial"),
        ("portal", "0001_initial"),  # creates the table
        ("quality", "0003_clock_spans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Rating",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("satisfied", models.BooleanField(verbose_name="hài lòng")),
                        (
                            "attitude",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="thái độ của cán bộ",
                            ),
                        ),
                        (
                            "timeliness",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="thời gian giải quyết",
                            ),
                        ),
                        (
                            "guidance",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="hướng dẫn, thông tin",
                            ),
                        ),
                        ("comment", models.TextField(blank=True, max_length=2000, verbose_name="góp ý")),
                        ("unit_path", models.CharField(db_index=True, max_length=255)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "dossier",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="rating",
                                to="dossiers.dossier",
                            ),
                        ),
                        (
                            "rated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "đánh giá mức độ hài lòng",
                        "verbose_name_plural": "đánh giá mức độ hài lòng",
                        "db_table": "portal_rating",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
