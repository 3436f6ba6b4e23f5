"""Dossier codes `<agency code>-<YYMMDD>-<NNNN>` (Decree 61/2018 Art. 26; Circular 01/2018 Art. 19)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.timezone import localtime

from motcua.core.models import OrgUnit
from motcua.dossiers.models import DossierCodeSequence


def next_dossier_code(unit: OrgUnit, received_at: datetime) -> str:
    """The next code for `unit` on the local reception day; unique under concurrency, never reused.

    Must run inside the transaction that creates the dossier, so that a rolled-back reception also rolls
    back its number (the code is never seen by anyone, hence never "reused").
    """
    day = localtime(received_at).date()
    sequence = _sequence_row(unit.code, day)
    DossierCodeSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    number = DossierCodeSequence.objects.values_list("last_number", flat=True).get(pk=sequence.pk)
    return f"{unit.code}-{day:%y%m%d}-{number:04d}"


def _sequence_row(agency_code: str, day) -> DossierCodeSequence:
    try:
        with transaction.atomic():
            return DossierCodeSequence.objects.select_for_update().get_or_create(
                agency_code=agency_code, day=day
            )[0]
    except IntegrityError:  # another transaction created it between our read and insert
        return DossierCodeSequence.objects.get(agency_code=agency_code, day=day)
