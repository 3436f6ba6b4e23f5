"""Dossier codes `<agency code>-<YYMMDD>-<NNNN>` (Decree 61/2018 Art. 26; Circular 01/2018 Art. 19)."""

from datetime import datetime

from django.db import connection
from django.utils.timezone import localtime

from motcua.core.models import OrgUnit
from motcua.dossiers.models import DossierCodeSequence

_TABLE = DossierCodeSequence._meta.db_table
# One statement, atomic on PostgreSQL and SQLite alike: the day's row is created at 1 or incremented
# under its row lock, and the new number is returned.
_NEXT_NUMBER = (
    f"INSERT INTO {_TABLE} (agency_code, day, last_number) VALUES (%s, %s, 1) "
    f"ON CONFLICT (agency_code, day) DO UPDATE SET last_number = {_TABLE}.last_number + 1 "
    "RETURNING last_number"
)


def next_dossier_code(unit: OrgUnit, received_at: datetime) -> str:
    """The next code for `unit` on the local reception day; unique under concurrency, never reused.

    Must run inside the transaction that creates the dossier, so that a rolled-back reception also rolls
    back its number (the code is never seen by anyone, hence never "reused").
    """
    day = localtime(received_at).date()
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_NUMBER, [unit.code, day])
        (number,) = cursor.fetchone()
    return f"{unit.code}-{day:%y%m%d}-{number:04d}"
