"""Each attachment gets its own file name (#13 item 15); existing rows keep theirs.

The name so far lived on the shared blob (`StoredFile.original_name`): the first uploader's. It is copied to
each attachment that is that uploader's own (the same person attached it, or the e-result the system made),
to the data store items filed from those, and to reuses of those items. An attachment someone else made of
the same bytes gets no name (pages show a neutral one): copying would keep showing them the first person's.
"""

from django.db import migrations, models
from django.db.models import F

BATCH = 500


def copy_names(apps, schema_editor):
    ComponentFile = apps.get_model("documents", "ComponentFile")
    DataStoreItem = apps.get_model("documents", "DataStoreItem")

    own = (
        ComponentFile.objects.exclude(kind="reused")
        .exclude(stored_file__original_name="")
        .filter(digitised_by_id=F("stored_file__created_by_id"))
        .select_related("stored_file")
    )
    _save_names(ComponentFile, own, lambda link: link.stored_file.original_name)

    results = DataStoreItem.objects.filter(source="result", stored_file__isnull=False).exclude(
        stored_file__original_name=""
    )
    _save_names(DataStoreItem, results.select_related("stored_file"), lambda i: i.stored_file.original_name)
    digitised = DataStoreItem.objects.filter(source="digitised", stored_file__isnull=False)

    def name_in_source_dossier(item):
        link = (
            ComponentFile.objects.filter(
                dossier_component__dossier_id=item.source_dossier_id, stored_file_id=item.stored_file_id
            )
            .exclude(file_name="")
            .order_by("pk")
            .first()
        )
        return link.file_name if link else ""

    _save_names(DataStoreItem, digitised, name_in_source_dossier)

    def name_in_store(link):
        item = (
            DataStoreItem.objects.filter(
                owner_id_number=link.dossier_component.dossier.applicant_id_number,
                stored_file_id=link.stored_file_id,
            )
            .exclude(file_name="")
            .order_by("pk")
            .first()
        )
        return item.file_name if item else ""

    reused = ComponentFile.objects.filter(kind="reused").select_related("dossier_component__dossier")
    _save_names(ComponentFile, reused, name_in_store)


def _save_names(model, rows, name_of):
    """Batches by primary key (no cursor held open while the same table is written)."""
    last = 0
    while chunk := list(rows.filter(pk__gt=last).order_by("pk")[:BATCH]):
        last = chunk[-1].pk
        named = []
        for row in chunk:
            row.file_name = name_of(row)[:255]
            if row.file_name:
                named.append(row)
        model.objects.bulk_update(named, ["file_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_data_store_results_connectors"),
    ]

    operations = [
        migrations.AddField(
            model_name="componentfile",
            name="file_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="tên tệp"),
        ),
        migrations.AddField(
            model_name="datastoreitem",
            name="file_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="tên tệp"),
        ),
        migrations.RunPython(copy_names, migrations.RunPython.noop),
    ]
