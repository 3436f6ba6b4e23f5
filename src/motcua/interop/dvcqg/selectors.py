"""Reads of the DVCQG sync history for other apps (Decision 766 indicator 1.4, the operators)."""

from collections.abc import Mapping

from django.db.models import QuerySet

from motcua.interop.models import SyncRecord


def sync_in_use() -> bool:
    """Whether any dossier was ever accepted by the portal (False: sync disabled or never working)."""
    return SyncRecord.objects.filter(status=SyncRecord.Status.SENT).exists()


def synced_dossier_ids() -> QuerySet[SyncRecord, Mapping[str, object]]:
    """Ids of the dossiers the portal accepted a DongBoHoSoMC for (a subquery: use with `__in`)."""
    return SyncRecord.objects.filter(
        service=SyncRecord.Service.DONG_BO_HO_SO, status=SyncRecord.Status.SENT
    ).values("dossier_id")
