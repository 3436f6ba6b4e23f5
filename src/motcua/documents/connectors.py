"""National database connectors behind one interface: population data by citizen ID, business registration
by tax code.

The implementation is chosen by a setting (a dotted path to a class):

    MOTCUA_POPULATION_CONNECTOR = "motcua.documents.connectors.ReferencePopulationConnector"   # default
    MOTCUA_BUSINESS_CONNECTOR = "motcua.documents.connectors.ReferenceBusinessConnector"       # default

The reference connectors read the local registers `ReferencePerson` / `ReferenceBusiness` (seeded for the
demo and tests). The offline connectors are what a province configures while the national link is down
for maintenance: every look-up raises `ConnectorUnavailable`. A production connector (the national data
exchange platform NDXP / LGSP) implements the same two methods and raises `ConnectorUnavailable` on any
transport error or timeout; nothing else in the system changes.

Down connectors never block reception: `lookup_applicant` returns `available=False`, the officer types the
data in, and the look-up is retried through the outbox until the connector answers.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from motcua.documents.models import ReferenceBusiness, ReferencePerson
from motcua.dossiers.models import ApplicantKind

DEFAULT_POPULATION_CONNECTOR = "motcua.documents.connectors.ReferencePopulationConnector"
DEFAULT_BUSINESS_CONNECTOR = "motcua.documents.connectors.ReferenceBusinessConnector"


class ConnectorUnavailable(Exception):
    """The national database did not answer (down, timeout, refused): try again later."""


@dataclass(frozen=True)
class Person:
    citizen_id: str
    full_name: str
    birth_date: date
    permanent_address: str
    gender: str = ""
    id_card_issued_at: date | None = None


@dataclass(frozen=True)
class Business:
    tax_code: str
    name: str
    head_office_address: str
    legal_representative: str = ""
    registered_at: date | None = None


class PopulationConnector(Protocol):
    def lookup_person(self, citizen_id: str) -> Person | None: ...


class BusinessConnector(Protocol):
    def lookup_business(self, tax_code: str) -> Business | None: ...


class ReferencePopulationConnector:
    """The local reference population register (demo and tests)."""

    def lookup_person(self, citizen_id: str) -> Person | None:
        row = ReferencePerson.objects.filter(citizen_id=citizen_id).first()
        if row is None:
            return None
        return Person(
            citizen_id=row.citizen_id,
            full_name=row.full_name,
            birth_date=row.birth_date,
            permanent_address=row.permanent_address,
            gender=row.gender,
            id_card_issued_at=row.id_card_issued_at,
        )


class ReferenceBusinessConnector:
    """The local reference business register (demo and tests)."""

    def lookup_business(self, tax_code: str) -> Business | None:
        row = ReferenceBusiness.objects.filter(tax_code=tax_code).first()
        if row is None:
            return None
        return Business(
            tax_code=row.tax_code,
            name=row.name,
            head_office_address=row.head_office_address,
            legal_representative=row.legal_representative,
            registered_at=row.registered_at,
        )


class OfflinePopulationConnector:
    """The national population database switched off (maintenance window): every look-up is unavailable."""

    def lookup_person(self, citizen_id: str) -> Person | None:
        raise ConnectorUnavailable("population database offline")


class OfflineBusinessConnector:
    """The national business register switched off: every look-up is unavailable."""

    def lookup_business(self, tax_code: str) -> Business | None:
        raise ConnectorUnavailable("business register offline")


# Each configured class is instantiated once, then reused.
@cache
def _population_connector(path: str) -> PopulationConnector:
    make_connector: Callable[[], PopulationConnector] = import_string(path)
    return make_connector()


@cache
def _business_connector(path: str) -> BusinessConnector:
    make_connector: Callable[[], BusinessConnector] = import_string(path)
    return make_connector()


def population_connector() -> PopulationConnector:
    return _population_connector(
        getattr(settings, "MOTCUA_POPULATION_CONNECTOR", DEFAULT_POPULATION_CONNECTOR)
    )


def business_connector() -> BusinessConnector:
    return _business_connector(getattr(settings, "MOTCUA_BUSINESS_CONNECTOR", DEFAULT_BUSINESS_CONNECTOR))


# --- look-up of an applicant ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantLookup:
    """What the national databases say about an applicant. `available=False`: the connector is down, the
    officer enters the data by hand (a retry is queued); `found=False`: the connector answered "unknown"."""

    kind: str
    id_number: str
    available: bool
    person: Person | None = None
    business: Business | None = None
    initial: dict[str, str] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.person is not None or self.business is not None


def query(*, kind: str, id_number: str) -> ApplicantLookup:
    """Ask the connector of the applicant's kind; raises ConnectorUnavailable (no retry queued)."""
    id_number = id_number.strip()
    try:
        if kind == ApplicantKind.BUSINESS:
            business = business_connector().lookup_business(id_number)
            initial = {}
            if business is not None:
                initial = {"name": business.name, "address": business.head_office_address}
            return ApplicantLookup(kind, id_number, True, business=business, initial=initial)
        person = population_connector().lookup_person(id_number)
    except ConnectorUnavailable:
        raise
    except Exception as exc:  # a connector's own bug or transport error must not break reception
        raise ConnectorUnavailable(repr(exc)) from exc
    initial = {"name": person.full_name, "address": person.permanent_address} if person else {}
    return ApplicantLookup(kind, id_number, True, person=person, initial=initial)


def prefill[A](applicant: A, lookup: ApplicantLookup) -> A:
    """The applicant (any dataclass with `name` and `address`, e.g. `dossiers.services.Applicant`) with the
    fields left empty filled from the national database; what was typed is kept."""
    names = {f.name for f in fields(applicant)}  # type: ignore[arg-type]
    changes = {
        key: value
        for key, value in lookup.initial.items()
        if key in names and value and not str(getattr(applicant, key) or "").strip()
    }
    return replace(applicant, **changes) if changes else applicant  # type: ignore[type-var]
