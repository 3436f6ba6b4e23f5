"""Counters for the queue tests (kept here, not in tests/factories.py, while the app is new)."""

from motcua.core.models import OrgUnit
from motcua.queueing.models import ServiceCounter
from tests.factories import local

MORNING = local(2026, 3, 2, 8, 0)


def make_counter(unit: OrgUnit, number: int, field: str = "", **extra) -> ServiceCounter:
    name = f"Quầy {number}" + (f" – {field}" if field else "")
    return ServiceCounter.objects.create(unit=unit, number=number, name=name, field=field, **extra)
