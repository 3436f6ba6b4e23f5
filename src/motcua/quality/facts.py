"""From a dossier's recorded facts to its statistics row and to what it adds to the daily counters.

The early / on-time / late test is `dossiers.clock.classify` itself, on the same facts the dossier
selectors give it (`dossiers.selectors.clock_facts`): the judged appointment is the new date only after a
lawful apology letter. When a dossier was overdue or paused is `dossiers.clock.spans`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import overload
from zoneinfo import ZoneInfo

from motcua.core import calendar
from motcua.dossiers import clock
from motcua.dossiers.states import Status
from motcua.quality.models import ClockSpan, DossierFact

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Key = tuple[date, int, int, int]  # (day, receiving unit, procedure, deciding unit)


@overload
def local_day(moment: datetime) -> date: ...
@overload
def local_day(moment: datetime | None) -> date | None: ...
def local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(TZ).date() if moment is not None else None


@dataclass(frozen=True)
class Recorded:
    """A dossier's facts as the lifecycle recorded them (from the dossier row, or rebuilt from events)."""

    dossier_id: int
    receiving_unit_id: int
    deciding_unit_id: int
    procedure_id: int
    channel: str
    status: int
    submitted_at: datetime
    received_at: datetime | None
    ended_at: datetime | None
    withdrawn_at: datetime | None
    judged_appointment_at: datetime | None
    original_appointment_at: datetime | None
    supplement_requests: int
    refused: bool
    pauses: tuple[clock.Pause, ...] = ()


@dataclass
class Built:
    fact: DossierFact
    spans: list[ClockSpan]


def build_fact(r: Recorded, *, cal: calendar.WorkCalendar | None = None) -> Built:
    received_day = local_day(r.received_at)
    outcome = ""
    if r.ended_at is not None:
        facts = clock.ClockFacts(
            status=r.status,
            ended_at=r.ended_at,
            appointment_at=r.judged_appointment_at,
            original_appointment_at=r.original_appointment_at,
            supplement_requests=r.supplement_requests,
        )
        judged = clock.classify(facts, as_of=r.ended_at)
        outcome = judged.value if judged is not None else ""
    # Only a withdrawal after reception counts (an online dossier may be withdrawn before it is received).
    withdrawn_at = r.withdrawn_at if r.ended_at is None and r.received_at is not None else None
    spans = clock.spans(
        received_at=r.received_at,
        stopped_at=r.ended_at or withdrawn_at,
        judged_appointment_at=r.judged_appointment_at,
        pauses=r.pauses,
    )
    withdrawn_late = (
        withdrawn_at is not None
        and bool(spans)
        and spans[-1].kind == clock.SpanKind.OVERDUE
        and spans[-1].end == withdrawn_at
    )
    hours = None
    if r.ended_at is not None and r.received_at is not None and outcome and not r.refused:
        worked = calendar.working_time_between(r.received_at, r.ended_at, calendar=cal)
        for p in r.pauses:
            if p.started_at < r.ended_at:
                end = min(p.ended_at or r.ended_at, r.ended_at)
                worked -= calendar.working_time_between(p.started_at, end, calendar=cal)
        hours = worked.total_seconds() / 3600
    fact = DossierFact(
        dossier_id=r.dossier_id,
        receiving_unit_id=r.receiving_unit_id,
        deciding_unit_id=r.deciding_unit_id,
        procedure_id=r.procedure_id,
        channel=r.channel,
        status=r.status,
        submitted_day=local_day(r.submitted_at),
        not_accepted=r.status == Status.NOT_ACCEPTED,
        received_day=received_day,
        end_at=r.ended_at,
        end_day=local_day(r.ended_at),
        withdrawn_day=local_day(withdrawn_at),
        appointment_at=r.judged_appointment_at,
        supplement_requests=r.supplement_requests,
        outcome=outcome,
        refused=r.refused,
        withdrawn_late=withdrawn_late,
        processing_hours=hours,
    )
    rows = [
        ClockSpan(
            dossier_id=r.dossier_id,
            kind=span.kind.value,
            start_at=span.start,
            end_at=span.end,
            start_day=local_day(span.start),
            end_day=local_day(span.end),
            receiving_unit_id=r.receiving_unit_id,
            deciding_unit_id=fact.deciding_unit_id,
            procedure_id=r.procedure_id,
        )
        for span in spans
    ]
    return Built(fact, rows)


RECEIVED_FIELD = {"online": "received_online", "counter": "received_counter", "post": "received_post"}


def contributions(built: Built) -> dict[Key, dict[str, float]]:
    """What one dossier adds to the daily counters, by (day, receiving unit, procedure, deciding unit)."""
    fact = built.fact
    out: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def add(day: date | None, name: str, amount: float = 1) -> None:
        if day is not None:
            key = (day, fact.receiving_unit_id, fact.procedure_id, fact.deciding_unit_id)
            out[key][name] += amount

    if fact.not_accepted:
        add(fact.submitted_day, "not_accepted")
    if fact.received_day is not None:
        add(fact.received_day, RECEIVED_FIELD[fact.channel])
    if fact.end_day is not None and fact.outcome:
        add(fact.end_day, fact.outcome)
        if fact.refused:
            add(fact.end_day, "refused")
        add(fact.end_day, "processing_hours", fact.processing_hours or 0.0)
    add(fact.withdrawn_day, "withdrawn")
    if fact.withdrawn_late:
        add(fact.withdrawn_day, "withdrawn_late")
    for span in built.spans:
        add(span.start_day, f"{span.kind}_in")
        add(span.end_day, f"{span.kind}_out")
    return out


FACT_FIELDS = (
    "receiving_unit_id",
    "deciding_unit_id",
    "procedure_id",
    "channel",
    "status",
    "submitted_day",
    "not_accepted",
    "received_day",
    "end_at",
    "end_day",
    "withdrawn_day",
    "appointment_at",
    "supplement_requests",
    "outcome",
    "refused",
    "withdrawn_late",
    "processing_hours",
)
SPAN_FIELDS = ("kind", "start_at", "end_at", "start_day", "end_day")
