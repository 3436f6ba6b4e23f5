"""Recompute the statistics from the raw events, independently of the dossier row's columns, and compare.

From a dossier's events: reception (first move to status 2), end (first move to 8 or 9), withdrawal,
refusal, supplement requests; the appointment is recomputed with `dossiers.clock` from the last start or
restart of the clock, moved by financial pauses, and replaced by the apology letter's date when it was
lawful. Then `facts.build_fact` (i.e. `clock.classify`) and the counters, compared with the stored rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers import clock, payloads
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.states import Act, Status
from motcua.quality import stepfacts
from motcua.quality.facts import FACT_FIELDS, SPAN_FIELDS, Key, Recorded, build_fact, contributions
from motcua.quality.models import COUNT_FIELDS, ClockSpan, DailyStat, DossierFact, MonthlyStat
from motcua.quality.services import CHUNK, deciding_units

S = Status


def recorded_from_events(
    dossier: dict[str, Any], events: list[DossierEvent], roles: dict[int, str], procedure: Procedure
) -> Recorded:
    """`dossier`: a row of `Dossier.objects.values(...)` (`verify`'s fields and its deciding unit)."""
    received = ended = withdrawn = None
    appointment = original = None
    supplements, refused = 0, False
    pauses: list[clock.Pause] = []
    for e in events:
        if e.to_status == S.ACCEPTED and e.from_status in (None, S.NEW_ONLINE) and received is None:
            received = e.at
            start = clock.start_of_clock(e.at, paper=dossier["channel"] != "online")
            appointment = original = clock.appointment_from(start, procedure)
        elif e.act in (Act.REQUEST_SUPPLEMENT, Act.REQUEST_FINANCIAL_OBLIGATION):
            kind = clock.SUPPLEMENT if e.act == Act.REQUEST_SUPPLEMENT else clock.FINANCIAL
            pauses.append(clock.Pause(kind=kind, started_at=e.at, ended_at=None, judged_before=appointment))
        elif e.act == Act.COMPLETE_SUPPLEMENT:
            _close(pauses, e.at)
            paper = (
                e.actor_id is not None
                and roles.get(e.actor_id) == Role.COUNTER_OFFICER
                and dossier["channel"] != "online"
            )
            start = clock.start_of_clock(e.at, paper=paper)
            appointment = original = clock.appointment_from(start, procedure)
        elif e.act == Act.FULFIL_FINANCIAL_OBLIGATION and pauses and pauses[-1].ended_at is None:
            paused_from = pauses[-1].started_at
            # A financial obligation is requested of a received dossier: the clock has started.
            assert appointment is not None and original is not None
            _close(pauses, e.at)
            appointment = clock.extend_by_pause(appointment, paused_from, e.at)
            original = clock.extend_by_pause(original, paused_from, e.at)
        elif e.act == Act.RESCHEDULE:
            new = payloads.expect(e, payloads.Rescheduled).new_appointment_at
            # No reception among the events: no appointment, judged against now (`localtime(None)`).
            if clock.apology_is_lawful(e.at, appointment or timezone.now()):
                appointment = new
        if e.act == Act.REQUEST_SUPPLEMENT:
            supplements += 1
        if e.act == Act.REFUSE:
            refused = True
        if e.to_status in (S.FINISHED, S.STOPPED) and ended is None:
            ended = e.at
        if e.to_status == S.WITHDRAWN:
            withdrawn = e.at
        if e.act in (Act.REFUSE, Act.WITHDRAW):
            _close(pauses, e.at)
    status = events[-1].to_status if events else dossier["status"]
    return Recorded(
        dossier_id=dossier["pk"],
        receiving_unit_id=dossier["receiving_unit_id"],
        deciding_unit_id=dossier["deciding_unit_id"],
        procedure_id=dossier["procedure_id"],
        channel=dossier["channel"],
        status=status,
        submitted_at=dossier["submitted_at"],
        received_at=received,
        ended_at=ended,
        withdrawn_at=withdrawn,
        judged_appointment_at=appointment,
        original_appointment_at=original,
        supplement_requests=supplements,
        refused=refused,
        pauses=tuple(pauses),
    )


def _close(pauses: list[clock.Pause], at: datetime) -> None:
    if pauses and pauses[-1].ended_at is None:
        pauses[-1] = replace(pauses[-1], ended_at=at)


@dataclass
class Report:
    dossiers: int = 0
    fact_mismatches: list[str] = field(default_factory=list)
    count_mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.fact_mismatches and not self.count_mismatches


def verify(*, since: date | None = None, limit_messages: int = 20) -> Report:
    """Compare the stored facts (of dossiers submitted since `since`, else all) and, for a full check, every
    daily and monthly counter with a recomputation from the events."""
    report = Report()
    procedures = {p.pk: p for p in Procedure.objects.all()}
    deciding = deciding_units()
    roles = dict(User.objects.exclude(role=Role.CITIZEN).values_list("pk", "role"))
    dossiers = Dossier.objects.all()
    if since is not None:
        dossiers = dossiers.filter(Q(submitted_at__date__gte=since))
    daily: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    last = 0
    fields = ("pk", "receiving_unit_id", "procedure_id", "channel", "status", "submitted_at")
    while True:
        rows = list(dossiers.filter(pk__gt=last).order_by("pk").values(*fields)[:CHUNK])
        if not rows:
            break
        last = rows[-1]["pk"]
        ids = [r["pk"] for r in rows]
        events: defaultdict[int, list[DossierEvent]] = defaultdict(list)
        for e in DossierEvent.objects.filter(dossier_id__in=ids).order_by("at", "pk"):
            events[e.dossier_id].append(e)
        stored = DossierFact.objects.in_bulk(ids)
        stored_spans: dict[int, list[tuple[object, ...]]] = defaultdict(list)
        for span in ClockSpan.objects.filter(dossier_id__in=ids).order_by("dossier_id", "start_at", "pk"):
            stored_spans[span.dossier_id].append(_span_key(span))
        for row in rows:
            row["deciding_unit_id"] = deciding.get(row["procedure_id"]) or row["receiving_unit_id"]
            built = build_fact(
                recorded_from_events(row, events[row["pk"]], roles, procedures[row["procedure_id"]])
            )
            report.dossiers += 1
            for key, counts in contributions(built).items():
                for name, value in counts.items():
                    daily[key][name] += value
            old, fact = stored.get(row["pk"]), built.fact
            diff = [n for n in FACT_FIELDS if old is None or not _same(getattr(old, n), getattr(fact, n))]
            if [_span_key(s) for s in built.spans] != stored_spans.get(row["pk"], []):
                diff.append("spans")
            if diff and len(report.fact_mismatches) < limit_messages:
                report.fact_mismatches.append(f"dossier {row['pk']}: {', '.join(diff)}")
            elif diff:
                report.fact_mismatches.append("…")
    if since is None:
        report.count_mismatches = compare_counts(daily, limit_messages)
        report.count_mismatches += stepfacts.verify(limit_messages)  # who is late: the step read models
    return report


def _span_key(span: ClockSpan) -> tuple[object, ...]:
    return tuple(getattr(span, n) for n in SPAN_FIELDS)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) < 1e-6  # type: ignore[arg-type]
    return a == b


def compare_counts(daily: dict[Key, dict[str, float]], limit: int) -> list[str]:
    monthly: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for key, counts in daily.items():
        for name, value in counts.items():
            monthly[(key[0].replace(day=1), *key[1:])][name] += value
    problems = []
    for model, field_name, expected in ((DailyStat, "day", daily), (MonthlyStat, "month", monthly)):
        stored = {}
        for row in model.objects.values(
            field_name, "receiving_unit_id", "procedure_id", *COUNT_FIELDS
        ).iterator(chunk_size=20_000):
            stored[(row[field_name], row["receiving_unit_id"], row["procedure_id"])] = row
        seen = set()
        for key, counts in expected.items():
            short = (key[0], key[1], key[2])
            seen.add(short)
            row = stored.get(short, {})
            for name in COUNT_FIELDS:
                if abs((row.get(name) or 0) - counts.get(name, 0)) > 1e-6 * max(1, abs(counts.get(name, 0))):
                    problems.append(
                        f"{model.__name__} {short} {name}: {row.get(name)} != {counts.get(name, 0)}"
                    )
                    break
        for short, row in stored.items():
            if short not in seen and any(row[n] for n in COUNT_FIELDS):
                problems.append(f"{model.__name__} {short}: stored but nothing recomputed")
        if len(problems) > limit:
            return [*problems[:limit], "…"]
    return problems
