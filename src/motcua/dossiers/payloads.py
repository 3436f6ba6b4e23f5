"""What an act records beyond its change of status: one frozen dataclass per act that carries data.

The act's service builds its payload; `apply_act` checks it is the act's own kind (`PAYLOAD_OF`) and
`events.record` stores it as the event's JSON `data`. Readers (the notifications, the slips, the portal's
messages, the clock's replay) call `payload_of(event)` and get the typed value back, never the raw dict.
The JSON shape is the API's `data` field (docs/architecture.md): a change here is a change of contract.

Events stored before a field existed are read with its default (an old supplement request has only the
items' names: `missing`)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.states import Act

JSON = dict[str, Any]


def _names(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(str(name) for name in value if str(name).strip())


@dataclass(frozen=True)
class SupplementItem:
    """One item a supplement request asks for: a component of the procedure (`component_id`), or an item
    the officer typed freely (`component_id` None)."""

    name: str
    component_id: int | None = None

    def to_data(self) -> JSON:
        return {"name": self.name, "component": self.component_id}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "SupplementItem":
        component = data.get("component")
        return cls(str(data.get("name", "")), component if isinstance(component, int) else None)


@dataclass(frozen=True)
class CompletionAsked:
    """ASK_TO_COMPLETE: everything the online applicant still has to add, told once and fully."""

    missing: tuple[str, ...]

    def to_data(self) -> JSON:
        return {"missing": list(self.missing)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "CompletionAsked":
        return cls(_names(data.get("missing")))


@dataclass(frozen=True)
class SupplementRequested:
    """REQUEST_SUPPLEMENT: each requested item apart (the applicant answers each in its own slot); whether
    it is a repeated request and whether it came within the legal window (both judged at the act)."""

    items: tuple[SupplementItem, ...]
    repeated: bool = False
    within_legal_window: bool = True
    # Stored before items were kept apart: only their names are known (never written by `to_data`);
    # `pauses.open_supplement_items` resolves them against the procedure's components.
    names_only: bool = False

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.items)

    def to_data(self) -> JSON:
        return {
            "missing": list(self.missing),  # the names alone, as form 02 and the interop messages show them
            "items": [item.to_data() for item in self.items],
            "repeated": self.repeated,
            "within_legal_window": self.within_legal_window,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "SupplementRequested":
        stored = data.get("items")
        if isinstance(stored, list) and stored:
            items = tuple(
                SupplementItem.from_data(i)
                for i in stored
                if isinstance(i, dict) and str(i.get("name", "")).strip()
            )
        else:
            items = tuple(SupplementItem(name) for name in _names(data.get("missing")))
        return cls(
            items=items,
            repeated=bool(data.get("repeated", False)),
            within_legal_window=bool(data.get("within_legal_window", True)),
            names_only=not (isinstance(stored, list) and stored),
        )


@dataclass(frozen=True)
class SuppliedRecord:
    """What the applicant sent for one requested item: files attached to a component of the dossier."""

    item: SupplementItem
    dossier_component_id: int
    files: int
    note: str = ""

    def to_data(self) -> JSON:
        return self.item.to_data() | {
            "dossier_component": self.dossier_component_id,
            "files": self.files,
            "note": self.note,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "SuppliedRecord":
        return cls(
            item=SupplementItem.from_data(data),
            dossier_component_id=int(data.get("dossier_component") or 0),
            files=int(data.get("files") or 0),
            note=str(data.get("note", "")),
        )


@dataclass(frozen=True)
class SupplementCompleted:
    """COMPLETE_SUPPLEMENT: the answers item by item when the applicant sent them online (none at the
    counter, where the officer receives the papers)."""

    items: tuple[SuppliedRecord, ...] = ()

    def to_data(self) -> JSON:
        return {"items": [item.to_data() for item in self.items]} if self.items else {}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "SupplementCompleted":
        stored = data.get("items")
        return cls(
            tuple(SuppliedRecord.from_data(i) for i in stored if isinstance(i, dict))
            if isinstance(stored, list)
            else ()
        )


@dataclass(frozen=True)
class PaymentRecorded:
    """RECORD_PAYMENT: the payment's reference at its provider (bank, gateway, counter receipt)."""

    reference: str
    amount_vnd: int
    provider: str

    def to_data(self) -> JSON:
        return {"reference": self.reference, "amount_vnd": self.amount_vnd, "provider": self.provider}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "PaymentRecorded":
        return cls(
            str(data.get("reference", "")), int(data.get("amount_vnd") or 0), str(data.get("provider", ""))
        )


@dataclass(frozen=True)
class StepAssigned:
    """ASSIGN_STEP: the officer the step was handed to (by username: the history reads without a join)."""

    assignee: str

    def to_data(self) -> JSON:
        return {"assignee": self.assignee}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "StepAssigned":
        return cls(str(data.get("assignee", "")))


@dataclass(frozen=True)
class Rescheduled:
    """RESCHEDULE: the new appointment the apology letter gives (whether it binds is judged at the act)."""

    new_appointment_at: datetime

    def to_data(self) -> JSON:
        return {"new_appointment_at": self.new_appointment_at.isoformat()}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "Rescheduled":
        return cls(datetime.fromisoformat(str(data["new_appointment_at"])))


def _ids(value: object) -> tuple[int, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in value if isinstance(item, int) and not isinstance(item, bool))


@dataclass(frozen=True)
class HandedOver:
    """START_PROCESSING, COMPLETE_STEP, APPROVE, RETURN_STEP: the step the act finished (or left) and the
    steps it started (several for a parallel stage; none when a parallel step ends before its siblings).
    The control slip's hand-over rows read the receivers from it (`selectors.handovers`)."""

    from_step: int | None
    to_steps: tuple[int, ...] = ()

    def to_data(self) -> JSON:
        return {"from_step": self.from_step, "to_steps": list(self.to_steps)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "HandedOver":
        from_step = data.get("from_step")
        return cls(from_step if isinstance(from_step, int) else None, _ids(data.get("to_steps")))


@dataclass(frozen=True)
class ConsultationAsked:
    """CONSULT: which consultation (`models.Consultation`), the unit asked and the answer's deadline."""

    consultation_id: int
    consulted_unit: str
    due_at: datetime

    def to_data(self) -> JSON:
        return {
            "consultation": self.consultation_id,
            "consulted_unit": self.consulted_unit,
            "due_at": self.due_at.isoformat(),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "ConsultationAsked":
        return cls(
            int(data.get("consultation") or 0),
            str(data.get("consulted_unit", "")),
            datetime.fromisoformat(str(data["due_at"])),
        )


@dataclass(frozen=True)
class ConsultationAnswered:
    """ANSWER_CONSULTATION: which consultation, and whether the answer came after its deadline."""

    consultation_id: int
    late: bool

    def to_data(self) -> JSON:
        return {"consultation": self.consultation_id, "late": self.late}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "ConsultationAnswered":
        return cls(int(data.get("consultation") or 0), bool(data.get("late")))


Payload = (
    CompletionAsked
    | SupplementRequested
    | SupplementCompleted
    | PaymentRecorded
    | StepAssigned
    | Rescheduled
    | HandedOver
    | ConsultationAsked
    | ConsultationAnswered
)

# The acts that carry data, each with its one payload class; every other act carries none.
PAYLOAD_OF: dict[Act, type[Payload]] = {
    Act.ASK_TO_COMPLETE: CompletionAsked,
    Act.REQUEST_SUPPLEMENT: SupplementRequested,
    Act.COMPLETE_SUPPLEMENT: SupplementCompleted,
    Act.RECORD_PAYMENT: PaymentRecorded,
    Act.ASSIGN_STEP: StepAssigned,
    Act.RESCHEDULE: Rescheduled,
    Act.START_PROCESSING: HandedOver,
    Act.COMPLETE_STEP: HandedOver,
    Act.APPROVE: HandedOver,
    Act.RETURN_STEP: HandedOver,
    Act.CONSULT: ConsultationAsked,
    Act.ANSWER_CONSULTATION: ConsultationAnswered,
}


def require_payload_of(act: Act, payload: Payload | None) -> None:
    """A programming error, not a user's: an act recorded with another act's payload (or one it needs but
    lacks) would be read back wrong by every reader."""
    expected = PAYLOAD_OF.get(act)
    if payload is None and expected is not None and expected is not SupplementCompleted:
        raise TypeError(f"{act.name} records a {expected.__name__}")
    if payload is not None and type(payload) is not expected:
        raise TypeError(f"{act.name} cannot record a {type(payload).__name__}")


def to_data(payload: Payload | None) -> JSON:
    return payload.to_data() if payload is not None else {}


def payload_of(event: DossierEvent) -> Payload | None:
    """The event's payload, typed (None for an act that carries none)."""
    kind = PAYLOAD_OF.get(Act(event.act))
    if kind is None:
        return None
    return kind.from_data(event.data if isinstance(event.data, dict) else {})


def expect[P: Payload](event: DossierEvent, kind: type[P]) -> P:
    """The payload of an event whose act the caller already knows (`kind` is that act's class)."""
    payload = payload_of(event)
    if not isinstance(payload, kind):
        raise TypeError(f"event {event.pk} ({event.act}) has no {kind.__name__}")
    return payload


def missing_items(event: DossierEvent) -> tuple[str, ...]:
    """The items the applicant was told are missing (a completion or supplement request), else none."""
    payload = payload_of(event)
    return payload.missing if isinstance(payload, CompletionAsked | SupplementRequested) else ()
