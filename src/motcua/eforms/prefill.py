"""What the state already knows, put in the declaration before the applicant sees it (issue #16: nothing asked
twice).

Only for a verified identity (`core.identity.is_verified`: checked at a counter, by the population database
or by VNeID level 2): a number merely typed at registration, or into the form, is anyone's number, so it
pre-fills nothing. The sources:

- "profile": the verified account (name, citizen ID, date of birth, phone, email);
- "population": the national population database for the account's verified citizen ID
  (`documents.connectors`, the same connector as the counter's look-up);
- "business": the business register for the tax code answered in `key_field`, only when the register names
  the verified citizen as the business's legal representative;
- "datastore": the citizen's electronic data store (`<document type code>.issued_at|issuer|valid_until` of
  their newest valid item of that type).

A source that is down or knows nothing leaves the field empty for the applicant to type.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from motcua.core import identity
from motcua.core.models import OrgUnit, User
from motcua.core.text import place_in_text
from motcua.documents import connectors
from motcua.documents.connectors import Business, ConnectorUnavailable, Person
from motcua.documents.models import DataStoreItem
from motcua.documents.population import same_name
from motcua.eforms.schema import Field, FormSchema, Prefill, Section

GENDERS = {"nam": "male", "nữ": "female"}


@dataclass
class Sources:
    """The look-ups of one applicant, each made once, only when a field asks for it."""

    user: User
    today: date
    _person: Person | None = None
    _person_done: bool = False
    _businesses: dict[str, Business | None] = field(default_factory=dict)

    def person(self) -> Person | None:
        if not self._person_done:
            self._person_done = True
            try:
                self._person = connectors.population_connector().lookup_person(self.user.citizen_id)
            except ConnectorUnavailable:
                self._person = None
        return self._person

    def business(self, tax_code: str) -> Business | None:
        if tax_code not in self._businesses:
            try:
                found = connectors.business_connector().lookup_business(tax_code)
            except ConnectorUnavailable:
                found = None
            person = self.person()
            name = person.full_name if person else self.user.get_full_name()
            mine = found is not None and same_name(found.legal_representative, name)
            self._businesses[tax_code] = found if mine else None
        return self._businesses[tax_code]


def _from_profile(user: User, attribute: str) -> Any:
    return {
        "full_name": user.get_full_name(),
        "citizen_id": user.citizen_id,
        "birth_date": user.birth_date,
        "phone": user.phone,
        "email": user.email,
    }.get(attribute)


def _from_datastore(sources: Sources, attribute: str) -> Any:
    code, _dot, name = attribute.partition(".")
    items = DataStoreItem.objects.filter(
        owner_id_number=sources.user.citizen_id, document_type__code=code
    ).order_by("-valid_from", "-pk")
    item = next((i for i in items if i.is_valid_on(sources.today)), None)
    return getattr(item, name, None) if item else None


def value_of(prefill: Prefill, sources: Sources, answers: Mapping[str, Any]) -> Any:
    """The raw value a prefill gives (None when its source has nothing)."""
    if prefill.when is not None and not prefill.when.holds(answers):
        return None
    if prefill.source == "profile":
        return _from_profile(sources.user, prefill.attribute)
    if prefill.source == "population":
        person = sources.person()
        return getattr(person, prefill.attribute, None) if person else None
    if prefill.source == "business":
        section, _dot, key = prefill.key_field.partition(".")
        tax_code = str((answers.get(section) or {}).get(key) or "")
        business = sources.business(tax_code) if tax_code else None
        return getattr(business, prefill.attribute, None) if business else None
    return _from_datastore(sources, prefill.attribute)


def as_answer(field: Field, value: Any) -> Any:
    """A source's value in the shape the field's answers take (ISO date, choice value, address)."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if field.type == "choice":
        text = str(value).strip()
        keys = {k for k, _label in field.choices}
        mapped = text if text in keys else GENDERS.get(text.casefold())
        if mapped not in keys:
            mapped = next((k for k, label in field.choices if label.casefold() == text.casefold()), None)
        return mapped
    if field.type == "address":
        text = str(value)
        communes = OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE, is_active=True)
        code = place_in_text(text, communes.values_list("code", "name"))
        return {"detail": text, "commune": code} if code else {"detail": text}
    return str(value)


def section_prefill(
    *, schema: FormSchema, section: Section, user: User, answers: Mapping[str, Any], today: date
) -> dict[str, Any]:
    """The answers the state gives for one section (field key → answer); empty for an identity that is not
    verified."""
    if not identity.is_verified(user):
        return {}
    sources = Sources(user=user, today=today)
    values: dict[str, Any] = {}
    for f in section.fields:
        if f.prefill is None:
            continue
        value = as_answer(f, value_of(f.prefill, sources, {**answers, section.key: values}))
        if value is not None:
            values[f.key] = value
    return values
