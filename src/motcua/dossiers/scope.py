"""The units each dossier belongs to (`DossierUnit`): written when a dossier is created and when its steps
are instantiated, marked closed when it closes. `access.visible_dossiers` and the work lists read them.

A dossier belongs to its receiving unit, to every unit that has a step on it and to every unit asked for
its opinion (`consultations`); an officer sees the dossiers that belong to their unit or a unit below it.
"""

from collections.abc import Iterable

from django.db import connection

from motcua.dossiers.models import Consultation, Dossier, DossierUnit, StepInstance

# Every dossier's units from the dossiers and their steps (for a database filled without the services:
# the migration that introduced the table, the synthetic generator). Idempotent; portable SQL.
_UNITS, _DOSSIERS, _STEPS, _CONSULTATIONS = (
    m._meta.db_table for m in (DossierUnit, Dossier, StepInstance, Consultation)
)
BACKFILL = f"""
INSERT INTO {_UNITS} (dossier_id, unit_id, open)
SELECT d.id, d.receiving_unit_id, d.closed_at IS NULL FROM {_DOSSIERS} d
WHERE NOT EXISTS (SELECT 1 FROM {_UNITS} u WHERE u.dossier_id = d.id)
UNION
SELECT s.dossier_id, s.unit_id, d.closed_at IS NULL FROM {_STEPS} s JOIN {_DOSSIERS} d ON d.id = s.dossier_id
WHERE NOT EXISTS (SELECT 1 FROM {_UNITS} u WHERE u.dossier_id = d.id)
UNION
SELECT c.dossier_id, c.consulted_unit_id, d.closed_at IS NULL
FROM {_CONSULTATIONS} c JOIN {_DOSSIERS} d ON d.id = c.dossier_id
WHERE NOT EXISTS (SELECT 1 FROM {_UNITS} u WHERE u.dossier_id = d.id)
"""


def belongs_to(dossier: Dossier, unit_ids: Iterable[int]) -> None:
    """Record the units of a new dossier (its receiving unit and its steps' units), in one statement."""
    units = {dossier.receiving_unit_id, *unit_ids}
    DossierUnit.objects.bulk_create(
        [DossierUnit(dossier=dossier, unit_id=unit_id, open=dossier.closed_at is None) for unit_id in units],
        ignore_conflicts=True,
    )


def closed(dossier: Dossier) -> None:
    """The dossier left every work list (not accepted, withdrawn, result returned)."""
    DossierUnit.objects.filter(dossier=dossier, open=True).update(open=False)


def backfill() -> int:
    """Units for every dossier that has none yet; returns how many rows were written."""
    with connection.cursor() as cursor:
        cursor.execute(BACKFILL)
        written: int = cursor.rowcount
        return written
