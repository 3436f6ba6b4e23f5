"""Reads of `quality`: periodic settlement statistics, trend, rankings, late dossiers and apology letters.

Every figure comes from the counter rows (`DailyStat`, `MonthlyStat`): a period is split into whole months
(monthly rows) and the days at its edges (daily rows); stocks at a moment are running sums of flows.
The scope is a unit's subtree, matched on the receiving unit or on the deciding unit of the procedure.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit
from motcua.dossiers.clock import SpanKind
from motcua.dossiers.models import Reschedule, StepInstance
from motcua.dossiers.selectors import judged_moment
from motcua.quality.models import (
    COUNT_FIELDS,
    FLOW_FIELDS,
    STOCKS,
    ClockSpan,
    DailyStat,
    DossierFact,
    MonthlyStat,
)
from motcua.quality.periods import Period, add_months, month_end

# A report row's group value: a procedure's or unit's id, a procedure's code (before `statistics` maps it to
# its latest version's id), or None for the one total row.
Key = int | str | None

HOURS_PER_DAY = 8  # a working day (docs/domain.md "Time"); used to show processing time in working days


@dataclass
class Figures:
    """One row of the statistics report (Circular 01/2018 report on settlement of procedures)."""

    carried: int = 0
    received_online: int = 0
    received_counter: int = 0
    received_post: int = 0
    not_accepted: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    withdrawn: int = 0
    withdrawn_late: int = 0
    in_progress: int = 0  # at the judged moment, paused ones included
    overdue: int = 0
    paused: int = 0  # clock stopped, waiting for the applicant (never overdue)
    paused_late: int = 0  # of which after a second supplement request (late for the indicators)
    processing_hours: float = 0.0
    label: str = ""
    key: Key = None

    @property
    def received(self) -> int:
        return self.received_online + self.received_counter + self.received_post

    @property
    def total(self) -> int:
        """Dossiers handled in the period: carried over + received."""
        return self.carried + self.received

    @property
    def settled(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_time(self) -> int:
        """In progress, clock running, within the appointment."""
        return self.in_progress - self.overdue - self.paused

    @property
    def results(self) -> int:
        """Settled with a result (a refusal is no result)."""
        return self.settled - self.refused

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) / settled."""
        return _ratio(self.early + self.on_time, self.settled)

    @property
    def late_rate(self) -> float | None:
        """late / settled."""
        return _ratio(self.late, self.settled)

    @property
    def overdue_rate(self) -> float | None:
        """overdue / in progress at period end."""
        return _ratio(self.overdue, self.in_progress)

    @property
    def online_rate(self) -> float | None:
        """online / received."""
        return _ratio(self.received_online, self.received)

    @property
    def average_days(self) -> float | None:
        """Average working days from reception to the result, net of the pauses with the applicant, over
        the dossiers settled with a result."""
        ratio = _ratio(self.processing_hours, self.results)
        return None if ratio is None else ratio / HOURS_PER_DAY


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Scope:
    unit: OrgUnit
    unit_ids: tuple[int, ...] = field(default=())
    everything: bool = False

    @classmethod
    def of(cls, unit: OrgUnit) -> "Scope":
        if unit.parent_id is None:
            return cls(unit=unit, everything=True)
        return cls(unit=unit, unit_ids=tuple(unit.subtree().values_list("pk", flat=True)))

    def q(self, prefix: str = "") -> Q:
        if self.everything:
            return Q()
        return Q(**{f"{prefix}receiving_unit_id__in": self.unit_ids}) | Q(
            **{f"{prefix}deciding_unit_id__in": self.unit_ids}
        )


def _ranges(
    start: date | None, end: date
) -> tuple[tuple[date | None, date] | None, list[tuple[date | None, date]]]:
    """[start, end] as (first full month, last full month) and the day ranges at its edges."""
    first = None if start is None else (start if start.day == 1 else add_months(start, 1))
    last = end.replace(day=1) if end == month_end(end) else add_months(end, -1)
    if first is not None and first > last:
        return None, [(start, end)]
    days: list[tuple[date | None, date]] = []
    if start is not None and first is not None and start < first:
        days.append((start, first - timedelta(days=1)))
    if end > month_end(last):
        days.append((month_end(last) + timedelta(days=1), end))
    return (first, last), days


SUMS = {name: Sum(name) for name in COUNT_FIELDS}


def _sum(scope: Scope, start: date | None, end: date, group: str | None) -> dict[Key, dict[str, float]]:
    """Counters summed over [start, end] (start None: since the beginning), per group value."""
    months, days = _ranges(start, end)
    out: defaultdict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    queries: list[QuerySet[MonthlyStat] | QuerySet[DailyStat]] = []
    if months is not None:
        first, last = months
        cond = Q(month__lte=last) & (Q() if first is None else Q(month__gte=first))
        queries.append(MonthlyStat.objects.filter(cond))
    if days:
        cond = Q()
        for lo, hi in days:
            cond |= Q(day__lte=hi) & (Q() if lo is None else Q(day__gte=lo))
        queries.append(DailyStat.objects.filter(cond))
    for qs in queries:
        qs = qs.filter(scope.q())
        rows = qs.values(group).annotate(**SUMS).order_by() if group else [qs.aggregate(**SUMS)]
        for row in rows:
            target = out[row[group] if group else None]
            for name in COUNT_FIELDS:
                target[name] += row[name] or 0
    return out


def statistics(*, scope: Scope, period: Period, group: str | None = None) -> list[Figures]:
    """The report's rows (per `group`: "procedure_id", "receiving_unit_id" or None for one total row).

    Per procedure means per code: the dossiers of every version of a procedure (catalog.publication) are
    one row, keyed by the id of its latest version.

    Dossiers still open are judged at the end of the period or now, whichever is earlier
    (`dossiers.selectors.judged_moment`): for a period not yet ended the stocks are those of now."""
    by = PROCEDURE_CODE if group == "procedure_id" else group
    before = _sum(scope, None, period.start - timedelta(days=1), by)
    within = _sum(scope, period.start, period.end, by)
    now_stocks = stocks_at(scope, judged_moment(period.as_of), by) if unfinished(period) else None
    rows = []
    for key in sorted(set(before) | set(within) | set(now_stocks or {}), key=lambda k: (k is None, k)):
        b, w = before.get(key, {}), within.get(key, {})

        def opened(c: dict[str, float]) -> float:
            received = c.get("received_online", 0) + c.get("received_counter", 0) + c.get("received_post", 0)
            return (
                received - c.get("early", 0) - c.get("on_time", 0) - c.get("late", 0) - c.get("withdrawn", 0)
            )

        stock: dict[str, int]
        if now_stocks is None:
            stock = {k: int(sum(c.get(f"{k}_in", 0) - c.get(f"{k}_out", 0) for c in (b, w))) for k in STOCKS}
        else:
            stock = now_stocks.get(key, {})
        figures = Figures(
            key=key,
            carried=int(opened(b)),
            in_progress=int(opened(b) + opened(w)),
            overdue=stock.get("overdue", 0),
            paused=stock.get("paused", 0) + stock.get("paused_late", 0),
            paused_late=stock.get("paused_late", 0),
        )
        for name in FLOW_FIELDS:
            setattr(figures, name, w.get(name, 0) if name == "processing_hours" else int(w.get(name, 0)))
        if figures.total or figures.in_progress or figures.not_accepted:
            rows.append(figures)
    if by == PROCEDURE_CODE:
        latest = _latest_versions([str(r.key) for r in rows])
        for r in rows:
            r.key = latest[str(r.key)]
    _label(rows, group)
    return rows


PROCEDURE_CODE = "procedure__code"


def _latest_versions(codes: list[str]) -> dict[str, int]:
    """Each code → the id of its latest version."""
    versions = Procedure.objects.filter(code__in=codes).order_by("code", "version").values_list("code", "pk")
    return dict(versions)  # later versions overwrite earlier ones


def unfinished(period: Period) -> bool:
    return period.as_of > timezone.now()


def _open_spans(scope: Scope, moment: datetime) -> QuerySet[ClockSpan]:
    return ClockSpan.objects.filter(scope.q(), start_at__lte=moment).filter(
        Q(end_at__isnull=True) | Q(end_at__gt=moment)
    )


def stocks_at(scope: Scope, moment: datetime, group: str | None) -> dict[Key, dict[str, int]]:
    """Overdue and paused dossiers at `moment`, per group value, read from the spans themselves (a period
    not yet ended: the day counters would judge today's later appointments as passed)."""
    out: defaultdict[Key, dict[str, int]] = defaultdict(dict)
    fields = ("kind", group) if group else ("kind",)
    for row in _open_spans(scope, moment).values(*fields).annotate(n=Count("pk")).order_by():
        out[row[group] if group else None][row["kind"]] = row["n"]
    return out


def _label(rows: list[Figures], group: str | None) -> None:
    if group == "procedure_id":
        names: dict[Key, str] = dict(
            Procedure.objects.filter(pk__in=[r.key for r in rows]).values_list("pk", "name")
        )
        codes: dict[Key, str] = dict(
            Procedure.objects.filter(pk__in=[r.key for r in rows]).values_list("pk", "code")
        )
        for r in rows:
            r.label = f"{codes.get(r.key, '')} – {names.get(r.key, '')}"
    elif group in ("receiving_unit_id", "deciding_unit_id"):
        names = dict(OrgUnit.objects.filter(pk__in=[r.key for r in rows]).values_list("pk", "name"))
        for r in rows:
            r.label = names.get(r.key, "")


def total(*, scope: Scope, period: Period) -> Figures:
    rows = statistics(scope=scope, period=period)
    return rows[0] if rows else Figures()


def trend(*, scope: Scope, end: date, months: int = 12) -> list[tuple[date, Figures]]:
    """Received and settled (early / on time / late) per month, for the `months` months up to `end`."""
    first = add_months(end.replace(day=1), -(months - 1))
    qs = MonthlyStat.objects.filter(scope.q(), month__gte=first, month__lte=end)
    rows: dict[date, Mapping[str, object]] = {
        r["month"]: r for r in qs.values("month").annotate(**SUMS).order_by()
    }
    out = []
    for i in range(months):
        m = add_months(first, i)
        r = rows.get(m, {})
        figures = Figures()
        for n in FLOW_FIELDS:
            setattr(figures, n, r.get(n) or 0)
        out.append((m, figures))
    return out


def worst_units(*, scope: Scope, period: Period, limit: int = 10, min_settled: int = 1) -> list[Figures]:
    """Receiving units of the scope ranked by late rate (late / settled in the period), worst first."""
    rows = [
        r
        for r in statistics(scope=scope, period=period, group="receiving_unit_id")
        if r.settled >= min_settled
    ]
    rows.sort(key=lambda r: (-(r.late_rate or 0), -r.late, r.label))
    return rows[:limit]


@dataclass
class LateDossier:
    code: str
    procedure: str
    receiving_unit: str
    appointment_at: object
    end_at: object
    open: bool
    steps: list[dict[str, object]]
    apology: dict[str, object] | None


def late_dossiers(*, scope: Scope, period: Period, limit: int = 200) -> list[LateDossier]:
    """Dossiers settled late in the period, then those still open and overdue at its end, with the steps
    that finished after their due (or are still open past it), their unit and official, and any apology."""
    settled = (
        DossierFact.objects.filter(
            scope.q(), end_day__gte=period.start, end_day__lte=period.end, outcome="late"
        )
        .order_by("-end_day", "dossier_id")
        .values_list("dossier_id", flat=True)[:limit]
    )
    ids = list(settled)
    as_of = judged_moment(period.as_of)
    if len(ids) < limit:
        still_open = (
            _open_spans(scope, as_of)
            .filter(kind=SpanKind.OVERDUE)
            .order_by("start_at", "dossier_id")
            .values_list("dossier_id", flat=True)[: limit - len(ids)]
        )
        ids += list(still_open)
    facts = DossierFact.objects.in_bulk(ids)
    from motcua.dossiers.models import Dossier

    dossiers = Dossier.objects.select_related("procedure", "receiving_unit").in_bulk(ids)
    steps: defaultdict[int, list[dict[str, object]]] = defaultdict(list)
    late_steps = StepInstance.objects.filter(dossier_id__in=ids, due_at__isnull=False).select_related(
        "unit", "assignee"
    )
    for step in late_steps.order_by("dossier_id", "position"):
        finished, due_at = step.finished_at, step.due_at
        assert due_at is not None  # filtered on due_at__isnull=False
        if (finished and finished > due_at) or (
            not finished and step.started_at and due_at < as_of and step.state == "active"
        ):
            steps[step.dossier_id].append(
                {
                    "name": step.name,
                    "unit": step.unit.name,
                    "official": step.assignee.display_name if step.assignee else "",
                    "due_at": due_at,
                    "finished_at": finished,
                }
            )
    apologies = {
        r.dossier_id: {
            "issued_at": r.issued_at,
            "unit": r.responsible_unit.name,
            "lawful": r.lawful,
            "reason": r.reason,
        }
        for r in Reschedule.objects.filter(dossier_id__in=ids).select_related("responsible_unit")
    }
    out = []
    for pk in ids:
        d, f = dossiers[pk], facts[pk]
        out.append(
            LateDossier(
                code=d.code,
                procedure=f"{d.procedure.code} – {d.procedure.name}",
                receiving_unit=d.receiving_unit.name,
                appointment_at=f.appointment_at,
                end_at=f.end_at,
                open=f.end_at is None,
                steps=steps.get(pk, []),
                apology=apologies.get(pk),
            )
        )
    return out


def apology_letters(*, scope: Scope, period: Period, limit: int = 200) -> list[Reschedule]:
    """Apology letters (form 04) issued in the period for dossiers of the scope."""
    qs = Reschedule.objects.filter(
        issued_at__gte=period.as_of - timedelta(days=(period.end - period.start).days + 1),
        issued_at__lt=period.as_of,
    )
    if not scope.everything:
        qs = qs.filter(
            Q(dossier__receiving_unit_id__in=scope.unit_ids) | Q(responsible_unit_id__in=scope.unit_ids)
        )
    return list(
        qs.select_related("dossier", "dossier__procedure", "responsible_unit", "issued_by", "step").order_by(
            "-issued_at"
        )[:limit]
    )


@dataclass
class LateSupplementRequest:
    code: str
    procedure: str
    receiving_unit: str
    received_at: object
    requested_at: object
    requested_by: str
    unit: str


def late_supplement_requests(
    *, scope: Scope, period: Period, limit: int = 200
) -> list[LateSupplementRequest]:
    """Supplement requests made in the period later than the legal window after reception (3 working days,
    `dossiers.clock.supplement_in_time`, recorded on the event when the request was made)."""
    from motcua.dossiers.models import DossierEvent
    from motcua.dossiers.states import Act

    start = period.as_of - timedelta(days=(period.end - period.start).days + 1)
    events = DossierEvent.objects.filter(
        act=Act.REQUEST_SUPPLEMENT, at__gte=start, at__lt=period.as_of, data__within_legal_window=False
    )
    if not scope.everything:
        events = events.filter(
            Q(dossier__receiving_unit_id__in=scope.unit_ids) | Q(actor_unit_id__in=scope.unit_ids)
        )
    rows = events.select_related("dossier__procedure", "dossier__receiving_unit", "actor", "actor_unit")
    return [
        LateSupplementRequest(
            code=e.dossier.code,
            procedure=f"{e.dossier.procedure.code} – {e.dossier.procedure.name}",
            receiving_unit=e.dossier.receiving_unit.name,
            received_at=e.dossier.received_at,
            requested_at=e.at,
            requested_by=e.actor.display_name if e.actor else "",
            unit=e.actor_unit.name if e.actor_unit else "",
        )
        for e in rows.order_by("at", "pk")[:limit]
    ]
