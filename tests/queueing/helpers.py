"""Areas, counters and people for the queue tests (here, not in tests/factories.py, while the app is new)."""

from datetime import date

from django.utils.text import slugify

from motcua.core.models import OrgUnit
from motcua.queueing import services
from motcua.queueing.identity import Holder
from motcua.queueing.models import CounterArea, ServiceArea, ServiceCounter, Ticket
from tests.factories import local

MORNING = local(2026, 3, 2, 8, 0)
OTHER = "Khác"


def area_of(unit: OrgUnit, name: str = OTHER, **extra) -> ServiceArea:
    area, _ = ServiceArea.objects.get_or_create(
        unit=unit, code=slugify(name), defaults={"name": name, **extra}
    )
    return area


def make_counter(unit: OrgUnit, number: int, *areas: ServiceArea | str, later=(), **extra) -> ServiceCounter:
    """A counter serving `areas` first (priority 1; names make areas of the unit) and `later` after (2);
    without areas it serves "Khác"."""
    first = [a if isinstance(a, ServiceArea) else area_of(unit, a) for a in areas] or [area_of(unit)]
    name = f"Quầy {number} – {first[0].name}"
    counter = ServiceCounter.objects.create(unit=unit, number=number, name=name, **extra)
    for area in first:
        CounterArea.objects.create(counter=counter, area=area, priority=1)
    for area in later:
        CounterArea.objects.create(counter=counter, area=area, priority=2)
    return counter


def person(n: int = 1, name: str = "Nguyễn Văn An", birth_date: date | None = None) -> Holder:
    return Holder(id_number=f"0400900{n:05d}", name=name, birth_date=birth_date, identified_by="typed")


_people = iter(range(50_000, 100_000))  # apart from the tests' own person(n)


def take(unit: OrgUnit, area: ServiceArea | None = None, *, now=MORNING, holder=None, **extra) -> Ticket:
    """A ticket of `area` (by default the unit's first area an open counter serves, else "Khác") for a new
    person each time unless `holder` is given."""
    served = ServiceArea.objects.filter(unit=unit, counter_links__counter__is_open=True).order_by("pk")
    area = area or served.first() or area_of(unit)
    return services.take_ticket(
        unit=unit, area=area, holder=holder or person(next(_people)), now=now, **extra
    )
