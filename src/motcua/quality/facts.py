"""From a dossier's recorded facts to its statistics row and to what it adds to the daily counters.

The early / on-time / late test is `dossiers.clock.classify` itself, on the same facts the dossier
selectors give it (`dossiers.selectors.clock_facts`): the judged appointment is the new date only after a
lawful apology letter.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from motcua.core import calendar
from motcua.dossiers import clock
from motcua.dossiers.states import Status
from motcua.quality.models import DossierFact

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Key = tuple[date, int, int, int]  # (day, receiving unit, procedure, deciding unit)


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


def build_fact(r: Recorded, *, cal: calendar.WorkCalendar | None = None) -> DossierFact:
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
    end_day = local_day(r.ended_at)
    withdrawn_day = local_day(r.withdrawn_at) if r.ended_at is None else None
    overdue_in = overdue_out = None
    if received_day is not None and r.judged_appointment_at is not None:
        start = received_day if r.supplement_requests > 1 else local_day(r.judged_appointment_at)
        start = max(start, received_day)
        stop = end_day or withdrawn_day
        if stop is None or start < stop:
            overdue_in, overdue_out = start, stop
    hours = None
    if r.ended_at is not None and r.received_at is not None:
        worked = calendar.working_time_between(r.received_at, r.ended_at, calendar=cal)
        hours = worked.total_seconds() / 3600
    return DossierFact(
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
        end_day=end_day,
        withdrawn_day=withdrawn_day,
        appointment_at=r.judged_appointment_at,
        supplement_requests=r.supplement_requests,
        outcome=outcome,
        refused=r.refused,
        overdue_in_day=overdue_in,
        overdue_out_day=overdue_out,
        processing_hours=hours,
    )


RECEIVED_FIELD = {"online": "received_online", "counter": "received_counter", "post": "received_post"}


def contributions(fact: DossierFact) -> dict[Key, dict[str, float]]:
    """What one dossier adds to the daily counters, by (day, receiving unit, procedure, deciding unit)."""
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
    add(fact.overdue_in_day, "overdue_in")
    add(fact.overdue_out_day, "overdue_out")
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
    "overdue_in_day",
    "overdue_out_day",
)
