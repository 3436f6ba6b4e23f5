"""The applicant's name folded (`core.text.fold`), for the officers' search without diacritics (#13 item 10);
filled here for the dossiers that exist."""

from django.db import migrations

import motcua.dossiers.models
from motcua.core.text import fold

BATCH = 2000


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    rows = Dossier.objects.order_by("pk").values_list("pk", "applicant_name")
    batch = []
    for pk, name in rows.iterator(chunk_size=BATCH):
        batch.append(Dossier(pk=pk, applicant_name_folded=fold(name or "")))
        if len(batch) == BATCH:
            Dossier.objects.bulk_update(batch, ["applicant_name_folded"])
            batch = []
    Dossier.objects.bulk_update(batch, ["applicant_name_folded"])


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0006_returned_by_unit"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="applicant_name_folded",
            field=motcua.dossiers.models.FoldedCopyField(
                blank=True, editable=False, max_length=255, source="applicant_name"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
