"""Reads of "who is late, and why" (issue #17): per unit, per procedure, per step of a procedure and per
official, over a period — the median and 90th percentile of the working time spent in a step, the share of
steps finished late, the share of the delay caused; consultations answered late per consulted unit; the
procedures whose real processing time is far below their published limit; and the dossiers behind a step's
delay. The rules are in `lateness_rules`.

A step counts in the period in which it finished, for its own unit (the transfer step: the receiving unit);
every step is judged against its own due moment, a step of a parallel stage too. Whole months are read from
the monthly rows (`StepStat`, `ProcessingStat`), the days at the edges of a period from the facts. The scope
is the unit's subtree: the step's unit, the consulted unit, the procedure's deciding unit.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, FloatField, IntegerField, Max, Q, QuerySet, Sum, Value, When

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit, User
from motcua.dossiers.models import Consultation
from motcua.dossiers.selectors import judged_moment
from motcua.quality.lateness_rules import is_candidate, percentile, published_limit_hours, quantise
from motcua.quality.models import DossierFact, ProcessingStat, StepFact, StepGrain, StepStat
from motcua.quality.periods import TZ, Period
from motcua.quality.selectors import Scope, _ranges

# The keys each grain groups by (StepStat and StepFact share the column names).
KEYS = {
    StepGrain.UNIT: ("unit_id",),
    StepGrain.PROCEDURE: ("procedure_code",),
    StepGrain.STEP: ("procedure_code", "position"),
    StepGrain.OFFICIAL: ("official", "unit_id"),
}
DOSSIERS_SHOWN = 500  # a step's page lists at most this many late steps (the largest overruns first)


@dataclass
class Row:
    """One line of a table: a unit, a procedure, a step or an official, or the total of the scope."""

    key: Any = None
    label: str = ""
    steps: int = 0
    late: int = 0
    overrun_hours: float = 0.0
    counts: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # quantised hours → steps
    scope_overrun: float = 0.0  # all the overrun of the scope: the denominator of `delay_share`
    unit_label: str = ""  # an official's unit

    @property
    def median(self) -> int | None:
        return percentile(self.counts, 50)

    @property
    def p90(self) -> int | None:
        return percentile(self.counts, 90)

    @property
    def late_share(self) -> float | None:
        return self.late / self.steps if self.steps else None

    @property
    def delay_share(self) -> float | None:
        return self.overrun_hours / self.scope_overrun if self.scope_overrun else None


@dataclass
class Table:
    rows: list[Row]
    total: Row


def _unit_q(scope: Scope, field_name: str = "unit_id") -> Q:
    return Q() if scope.everything else Q(**{f"{field_name}__in": scope.unit_ids})


def _day_q(ranges: Sequence[tuple[date | None, date]], field_name: str) -> Q:
    cond = Q(pk__in=[])
    for lo, hi in ranges:
        cond |= Q(**{f"{field_name}__lte": hi}) & (Q() if lo is None else Q(**{f"{field_name}__gte": lo}))
    return cond


def _late_count() -> Sum:
    return Sum(Case(When(late=True, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _read(scope: Scope, period: Period, grain: StepGrain, where: Q) -> dict[tuple[Any, ...], Row]:
    """The rows of `grain` in scope over the period (months from StepStat, edge days from StepFact)."""
    keys = KEYS[grain]
    months, days = _ranges(period.start, period.end)
    queries: list[QuerySet[Any]] = []
    if months is not None:
        first, last = months
        stats = StepStat.objects.filter(grain=grain.value, month__gte=first, month__lte=last)
        queries.append(
            stats.filter(_unit_q(scope), where)
            .values(*keys, "bucket")
            .annotate(n=Sum("steps"), n_late=Sum("late"), overrun=Sum("overrun_hours"), step_name=Max("name"))
            .order_by()
        )
    if days:
        facts = StepFact.objects.filter(_day_q(days, "finished_day"), _unit_q(scope), where)
        queries.append(
            facts.values(*keys, "bucket")
            .annotate(
                n=Count("pk"),
                n_late=_late_count(),
                overrun=Sum("overrun_hours", output_field=FloatField()),
                step_name=Max("name"),
            )
            .order_by()
        )
    out: dict[tuple[Any, ...], Row] = {}
    for qs in queries:
        for r in qs:
            key = tuple(r[k] for k in keys)
            row = out.get(key)
            if row is None:
                row = out[key] = Row(key=key[0] if len(key) == 1 else key)
            row.steps += r["n"] or 0
            row.late += r["n_late"] or 0
            row.overrun_hours += r["overrun"] or 0.0
            row.counts[r["bucket"]] += r["n"] or 0
            if grain == StepGrain.STEP:
                row.label = r["step_name"] or row.label
    return out


def _table(rows: list[Row], total: Row | None = None) -> Table:
    if total is None:
        total = Row(label="")
        for row in rows:
            total.steps += row.steps
            total.late += row.late
            total.overrun_hours += row.overrun_hours
            for bucket, n in row.counts.items():
                total.counts[bucket] += n
    for row in [*rows, total]:
        row.scope_overrun = total.overrun_hours
    rows.sort(key=lambda r: (-r.overrun_hours, -r.late, r.label))
    return Table(rows, total)


def by_unit(*, scope: Scope, period: Period) -> Table:
    """Each unit of the scope with finished steps; the total is the scope's."""
    rows = _read(scope, period, StepGrain.UNIT, Q())
    names = dict(OrgUnit.objects.filter(pk__in=[k[0] for k in rows]).values_list("pk", "name"))
    for (unit_id,), row in rows.items():
        row.label = names.get(unit_id, str(unit_id))
    return _table(list(rows.values()))


def by_procedure(*, scope: Scope, period: Period) -> Table:
    rows = _read(scope, period, StepGrain.PROCEDURE, Q())
    names = procedure_names([k[0] for k in rows])
    for (code,), row in rows.items():
        row.label = f"{code} – {names.get(code, '')}"
    return _table(list(rows.values()))


def by_official(*, scope: Scope, period: Period) -> Table:
    """Each official of the scope's steps (the one who finished the step, else its assignee)."""
    rows = _read(scope, period, StepGrain.OFFICIAL, Q())
    users = {u.pk: u.display_name for u in User.objects.filter(pk__in=[k[0] for k in rows])}
    units = dict(OrgUnit.objects.filter(pk__in=[k[1] for k in rows]).values_list("pk", "name"))
    for (official, unit_id), row in rows.items():
        row.label = users.get(official, "—") if official else "—"
        row.unit_label = units.get(unit_id, "")
    return _table(list(rows.values()))


def by_step(*, scope: Scope, period: Period, code: str) -> Table:
    """The steps of one procedure (by position in its template; 0 is the transfer step)."""
    rows = _read(scope, period, StepGrain.STEP, Q(procedure_code=code))
    table = _table(list(rows.values()))
    table.rows.sort(key=lambda r: r.key[1])
    return table


def procedure_names(codes: Sequence[str]) -> dict[str, str]:
    """Each code → the name of its latest version."""
    rows = Procedure.objects.filter(code__in=codes).order_by("code", "version").values_list("code", "name")
    return dict(rows)


@dataclass
class LateStep:
    dossier_code: str
    name: str
    unit: str
    official: str
    kind: str
    stage: int
    started_at: datetime
    due_at: datetime | None
    finished_at: datetime
    spent_hours: float
    overrun_hours: float


def step_dossiers(*, scope: Scope, period: Period, code: str, position: int) -> tuple[list[LateStep], int]:
    """The late steps at `position` of procedure `code` finished in the period, the largest overrun first
    (at most `DOSSIERS_SHOWN`), and how many there are."""
    facts = StepFact.objects.filter(
        _unit_q(scope),
        procedure_code=code,
        position=position,
        late=True,
        finished_day__gte=period.start,
        finished_day__lte=period.end,
    )
    count = facts.count()
    rows = list(
        facts.order_by("-overrun_hours", "finished_at").values(
            "dossier__code",
            "name",
            "unit__name",
            "official",
            "kind",
            "stage",
            "started_at",
            "due_at",
            "finished_at",
            "spent_hours",
            "overrun_hours",
        )[:DOSSIERS_SHOWN]
    )
    users = {u.pk: u.display_name for u in User.objects.filter(pk__in={r["official"] for r in rows})}
    return [
        LateStep(
            dossier_code=r["dossier__code"],
            name=r["name"],
            unit=r["unit__name"],
            official=users.get(r["official"], "—"),
            kind=r["kind"],
            stage=r["stage"],
            started_at=r["started_at"],
            due_at=r["due_at"],
            finished_at=r["finished_at"],
            spent_hours=r["spent_hours"],
            overrun_hours=r["overrun_hours"],
        )
        for r in rows
    ], count


@dataclass
class ConsultationRow:
    unit_id: int
    label: str
    asked: int  # consultations due in the period
    late: int  # answered after the deadline, or unanswered past it at the judged moment
    open_late: int  # of which still unanswered at the judged moment

    @property
    def late_share(self) -> float | None:
        return self.late / self.asked if self.asked else None


def consultations(*, scope: Scope, period: Period) -> list[ConsultationRow]:
    """Per consulted unit of the scope: the consultations whose deadline fell in the period and how many
    were late (`Consultation.late_at` at the end of the period, or now if it has not ended)."""
    moment = judged_moment(period.as_of)
    start = datetime.combine(period.start, time.min, tzinfo=TZ)
    unanswered = Q(answered_at__isnull=True) | Q(answered_at__gt=moment)
    open_late = Q(withdrawn_at__isnull=True, due_at__lt=moment) & unanswered
    late = Q(answered_at__gt=F("due_at")) | (Q(answered_at__isnull=True) & open_late)
    rows = (
        Consultation.objects.filter(
            _unit_q(scope, "consulted_unit_id"), due_at__gte=start, due_at__lt=period.as_of
        )
        .values("consulted_unit_id")
        .annotate(asked=Count("pk"), late=Count("pk", filter=late), open_late=Count("pk", filter=open_late))
        .order_by()
    )
    names = dict(
        OrgUnit.objects.filter(pk__in=[r["consulted_unit_id"] for r in rows]).values_list("pk", "name")
    )
    out = [
        ConsultationRow(
            r["consulted_unit_id"],
            names.get(r["consulted_unit_id"], ""),
            r["asked"],
            r["late"],
            r["open_late"],
        )
        for r in rows
    ]
    out.sort(key=lambda r: (-r.late, r.label))
    return out


@dataclass
class Candidate:
    code: str
    label: str
    results: int
    median_hours: int | None
    limit_hours: Decimal | None

    @property
    def share(self) -> float | None:
        if self.median_hours is None or not self.limit_hours:
            return None
        return float(Decimal(self.median_hours) / self.limit_hours)


def candidates(*, scope: Scope, period: Period) -> list[Candidate]:
    """The procedures decided in the scope whose time limit could be shortened (`CANDIDATE_TEXT`)."""
    months, days = _ranges(period.start, period.end)
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    unit_q = _unit_q(scope, "deciding_unit_id")
    if months is not None:
        rows = (
            ProcessingStat.objects.filter(unit_q, month__gte=months[0], month__lte=months[1])
            .values("procedure_code", "bucket")
            .annotate(n=Sum("results"))
            .order_by()
        )
        for r in rows:
            counts[r["procedure_code"]][r["bucket"]] += r["n"]
    if days:
        facts = DossierFact.objects.filter(unit_q, _day_q(days, "end_day"), processing_hours__isnull=False)
        for code, hours in facts.values_list("procedure__code", "processing_hours"):
            assert hours is not None  # filtered above
            counts[code][quantise(hours * 3600)] += 1
    latest = {p.code: p for p in Procedure.objects.filter(code__in=list(counts)).order_by("code", "version")}
    out = []
    for code, histogram in counts.items():
        procedure = latest.get(code)
        limit = published_limit_hours(procedure) if procedure is not None else None
        median = percentile(histogram, 50)
        results = sum(histogram.values())
        if is_candidate(results, median, limit):
            label = f"{code} – {procedure.name if procedure else ''}"
            out.append(Candidate(code, label, results, median, limit))
    out.sort(key=lambda c: (c.share or 0, c.code))
    return out
