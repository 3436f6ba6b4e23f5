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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit, User
from motcua.dossiers.models import Consultation
from motcua.dossiers.selectors import judged_moment
from motcua.quality.lateness_rules import is_candidate, percentile_sql, published_limit_hours, quantise_sql
from motcua.quality.models import DossierFact, ProcessingStat, StepFact, StepGrain, StepStat
from motcua.quality.periods import TZ, Period
from motcua.quality.selectors import Scope, _ranges

# The keys each grain groups by (StepStat and StepFact share the column names).
KEY_COLUMNS = ("unit_id", "procedure_code", "position", "official")
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
    median: int | None = None  # quantised working hours (`lateness_rules.percentile`)
    p90: int | None = None
    scope_overrun: float = 0.0  # all the overrun of the scope: the denominator of `delay_share`
    unit_label: str = ""  # an official's unit

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


def _in(column: str, values: Sequence[Any]) -> str:
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def histograms(
    parts: list[tuple[str, list[Any]]], keys: Sequence[str], *, named: bool = False
) -> tuple[str, list[Any]]:
    """One SQL statement that sums the rows of `parts` (each a SELECT of the `keys`, `bucket`, `n` steps,
    `l` late, `o` overrun hours and `name`) per key and bucket, then gives per key: the steps, the late
    ones, the overrun, the median and the 90th percentile (`percentile_sql`) and the step's name. The
    percentiles are computed by the database: only one row per key comes back."""
    params = [p for _sql, part in parts for p in part]
    name = "MAX(name)" if named else "''"  # the step's name: only the steps of a procedure need it
    union = " UNION ALL ".join(sql for sql, _part in parts)
    columns = ", ".join(keys)
    by = f"{columns}, " if keys else ""
    window = f"PARTITION BY {columns} " if keys else ""
    sql = (
        f"WITH h AS (SELECT {by}bucket, SUM(n) AS n, SUM(l) AS l, SUM(o) AS o, {name} AS name "
        f"FROM ({union}) u GROUP BY {by}bucket), "
        f"c AS (SELECT h.*, SUM(n) OVER ({window}ORDER BY bucket) AS cum, "
        f"SUM(n) OVER ({window.strip()}) AS total FROM h) "
        f"SELECT {by}MAX(total), SUM(l), SUM(o), {percentile_sql(50)}, {percentile_sql(90)}, {name} FROM c"
        + (f" GROUP BY {columns}" if keys else "")
    )
    return sql, params


def _years(first: date, last: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The whole calendar years among the months [first, last] (the first days of the first and the last
    of them: their rows of span "year"), and the months left at either side."""
    y0 = first.year if first.month == 1 else first.year + 1
    y1 = last.year if last.month == 12 else last.year - 1
    if y0 > y1:
        return None, [(first, last)]
    months = []
    if first < date(y0, 1, 1):
        months.append((first, date(y0 - 1, 12, 1)))
    if last > date(y1, 12, 1):
        months.append((date(y1 + 1, 1, 1), last))
    return (date(y0, 1, 1), date(y1, 1, 1)), months


def _read(scope: Scope, period: Period, grain: StepGrain, code: str | None) -> tuple[dict[Any, Row], Row]:
    """The rows of `grain` in scope over the period (months from StepStat, edge days from StepFact), and
    the total of them all."""
    keys = KEYS[grain]
    months, days = _ranges(period.start, period.end)
    where: list[str] = []
    where_params: list[Any] = []
    if not scope.everything:
        where.append(_in("unit_id", scope.unit_ids))
        where_params += list(scope.unit_ids)
    if code is not None:
        where.append("procedure_code = %s")
        where_params.append(code)
    condition = "".join(f" AND {w}" for w in where)
    columns = ", ".join([*KEY_COLUMNS, "bucket"])
    parts: list[tuple[str, list[Any]]] = []
    years, other_months = _years(months[0] or period.start, months[1]) if months is not None else (None, [])
    stat_ranges = [("year", *years)] if years is not None else []
    for span, lo, hi in [*stat_ranges, *(("month", lo, hi) for lo, hi in other_months)]:
        parts.append(
            (
                f"SELECT {columns}, steps AS n, late AS l, overrun_hours AS o, name "
                f"FROM {StepStat._meta.db_table} "
                f"WHERE grain = %s AND span = %s AND month >= %s AND month <= %s{condition}",
                [grain.value, span, lo, hi, *where_params],
            )
        )
    for first_day, last_day in days:
        parts.append(
            (
                f"SELECT {columns}, 1 AS n, CASE WHEN late THEN 1 ELSE 0 END AS l, overrun_hours AS o, name "
                f"FROM {StepFact._meta.db_table} WHERE finished_day >= %s AND finished_day <= %s{condition}",
                [first_day, last_day, *where_params],
            )
        )
    rows: dict[Any, Row] = {}
    total = Row()
    with connection.cursor() as cursor:
        for group, target in ((keys, None), ((), total)):
            cursor.execute(*histograms(parts, group, named=grain == StepGrain.STEP and bool(group)))
            for r in cursor.fetchall():
                values = r[len(group) :]
                if not values[0]:
                    continue
                row = target or Row(key=r[0] if len(group) == 1 else tuple(r[: len(group)]))
                row.steps, row.late, row.overrun_hours = int(values[0]), int(values[1]), float(values[2] or 0)
                row.median, row.p90 = values[3], values[4]
                if grain == StepGrain.STEP and target is None:
                    row.label = values[5] or ""
                if target is None:
                    rows[row.key] = row
    for row in [*rows.values(), total]:
        row.scope_overrun = total.overrun_hours
    return rows, total


def _table(rows: dict[Any, Row], total: Row) -> Table:
    ordered = sorted(rows.values(), key=lambda r: (-r.overrun_hours, -r.late, r.label))
    return Table(ordered, total)


def by_unit(*, scope: Scope, period: Period) -> Table:
    """Each unit of the scope with finished steps; the total is the scope's."""
    rows, total = _read(scope, period, StepGrain.UNIT, None)
    names = dict(OrgUnit.objects.filter(pk__in=list(rows)).values_list("pk", "name"))
    for unit_id, row in rows.items():
        row.label = names.get(unit_id, str(unit_id))
    return _table(rows, total)


def by_procedure(*, scope: Scope, period: Period) -> Table:
    rows, total = _read(scope, period, StepGrain.PROCEDURE, None)
    names = procedure_names(list(rows))
    for code, row in rows.items():
        row.label = f"{code} – {names.get(code, '')}"
    return _table(rows, total)


def by_official(*, scope: Scope, period: Period) -> Table:
    """Each official of the scope's steps (the one who finished the step, else its assignee)."""
    rows, total = _read(scope, period, StepGrain.OFFICIAL, None)
    users = official_names({official for official, _unit in rows})
    units = dict(OrgUnit.objects.filter(pk__in={unit for _official, unit in rows}).values_list("pk", "name"))
    for (official, unit_id), row in rows.items():
        row.label = users.get(official, "—")
        row.unit_label = units.get(unit_id, "")
    return _table(rows, total)


def official_names(ids: Iterable[int]) -> dict[int, str]:
    """User id → the name shown (`User.display_name`: the full name, else the user name)."""
    users = User.objects.filter(pk__in=list(ids)).values_list("pk", "first_name", "last_name", "username")
    return {pk: f"{last} {first}".strip() or username for pk, first, last, username in users}


def by_step(*, scope: Scope, period: Period, code: str) -> Table:
    """The steps of one procedure (by position in its template; 0 is the transfer step)."""
    rows, total = _read(scope, period, StepGrain.STEP, code)
    table = _table(rows, total)
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
    users = official_names({r["official"] for r in rows})
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
    units = "" if scope.everything else f" AND {_in('deciding_unit_id', scope.unit_ids)}"
    unit_params = [] if scope.everything else list(scope.unit_ids)
    parts: list[tuple[str, list[Any]]] = []
    if months is not None:
        parts.append(
            (
                f"SELECT procedure_code, bucket, results AS n, 0 AS l, 0.0 AS o, '' AS name "
                f"FROM {ProcessingStat._meta.db_table} WHERE month >= %s AND month <= %s{units}",
                [months[0], months[1], *unit_params],
            )
        )
    facts, procedures = DossierFact._meta.db_table, Procedure._meta.db_table
    for lo, hi in days:
        parts.append(
            (
                f"SELECT p.code AS procedure_code, {quantise_sql('f.processing_hours')} AS bucket, 1 AS n, "
                f"0 AS l, 0.0 AS o, '' AS name FROM {facts} f JOIN {procedures} p ON p.id = f.procedure_id "
                f"WHERE f.processing_hours IS NOT NULL AND f.end_day >= %s AND f.end_day <= %s{units}",
                [lo, hi, *unit_params],
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(*histograms(parts, ("procedure_code",)))
        found = {code: (int(n), median) for code, n, _l, _o, median, _p90, _name in cursor.fetchall()}
    latest = {p.code: p for p in Procedure.objects.filter(code__in=list(found)).order_by("code", "version")}
    out = []
    for code, (results, median) in found.items():
        procedure = latest.get(code)
        limit = published_limit_hours(procedure) if procedure is not None else None
        if is_candidate(results, median, limit):
            label = f"{code} – {procedure.name if procedure else ''}"
            out.append(Candidate(code, label, results, median, limit))
    out.sort(key=lambda c: (c.share or 0, c.code))
    return out
