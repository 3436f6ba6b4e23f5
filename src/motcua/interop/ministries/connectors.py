"""The interface every ministry's adapter follows, and the table from procedure code to adapter.

An adapter builds the request its system takes from a dossier, reads the system's acknowledgement (its own
reference for the dossier), and reads each message the system sends back (`Update`): its own status, that
status mapped to the dossier statuses of docs/domain.md ("Statuses", DVCQG TrangThaiHoSo 1–10), the
result number and, for a judicial record, the record itself (PDF).
"""

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from motcua.interop.models import MinistryCase

State = MinistryCase.State


class Unreadable(ValueError):
    """A message the adapter cannot read: refused, nothing applied."""


@dataclass(frozen=True)
class Ack:
    accepted: bool
    reference: str = ""
    message: str = ""


@dataclass(frozen=True)
class Update:
    dossier_code: str
    remote_status: str
    mapped: Status | None
    state: str  # MinistryCase.State
    result_number: str = ""
    result_pdf: bytes | None = None
    text: str = ""
    reference: str = ""


class Connector(Protocol):
    system: str  # "lltp", "dkkd", "gplx"
    label: str
    service: str  # the axis service the dossier is sent with
    procedures: frozenset[str]

    def request(self, dossier: Dossier) -> dict[str, Any]: ...

    def acknowledged(self, data: dict[str, Any]) -> Ack: ...

    def update(self, body: dict[str, Any]) -> Update: ...


# The dossier status each ministry state stands for, when the message itself names none.
STATE_STATUS = {
    State.SENT: Status.ACCEPTED,
    State.PROCESSING: Status.PROCESSING,
    State.SUPPLEMENT: Status.SUPPLEMENT_REQUESTED,
    State.RESULT: Status.FINISHED,
    State.REFUSED: Status.STOPPED,
}


def local_text(moment: datetime | None, pattern: str) -> str:
    return timezone.localtime(moment).strftime(pattern) if moment else ""


def required_text(body: dict[str, Any], name: str) -> str:
    value = str(body.get(name) or "").strip()
    if not value:
        raise Unreadable(f"thiếu trường {name}")
    return value


def pdf_from_base64(value: Any) -> bytes | None:
    if not value:
        return None
    try:
        data = base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Unreadable("tệp kết quả không phải base64") from exc
    if not data.startswith(b"%PDF-"):
        raise Unreadable("tệp kết quả không phải PDF")
    return data


@dataclass(frozen=True)
class NumberedFields:
    """Where a system whose result is a number (a licence, an enterprise code), not a document, puts each
    part of its status message."""

    code: str  # our dossier code
    status: str  # its own status, one of the connector's STATES
    number: str  # the result's number, required with the result
    text: str  # its note or reason
    reference: str = ""  # its own file number, if it sends one


def numbered_update(body: dict[str, Any], fields: NumberedFields, states: Mapping[str, State]) -> Update:
    raw = required_text(body, fields.status)
    if raw not in states:
        raise Unreadable(f"{fields.status} không hợp lệ: {raw!r}")
    state = states[raw]
    number = str(body.get(fields.number) or "")
    if state == State.RESULT and not number:
        raise Unreadable(f"thiếu {fields.number}")
    return Update(
        dossier_code=required_text(body, fields.code),
        remote_status=raw,
        mapped=STATE_STATUS[state],
        state=state,
        result_number=number,
        text=str(body.get(fields.text) or ""),
        reference=str(body.get(fields.reference) or "") if fields.reference else "",
    )


def connectors() -> dict[str, Connector]:
    from motcua.interop.ministries.dkkd import BusinessRegistration
    from motcua.interop.ministries.gplx import DrivingLicences
    from motcua.interop.ministries.lltp import JudicialRecords

    found: list[Connector] = [JudicialRecords(), BusinessRegistration(), DrivingLicences()]
    return {c.system: c for c in found}


def connector(system: str) -> Connector:
    try:
        return connectors()[system]
    except KeyError:
        raise LookupError(f"unknown ministry system {system!r}") from None


def connector_for(procedure_code: str) -> Connector | None:
    return next((c for c in connectors().values() if procedure_code in c.procedures), None)
