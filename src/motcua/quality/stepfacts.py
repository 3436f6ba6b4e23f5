"""Writes of the "who is late" read models: one `StepFact` per finished step, the monthly `StepStat` rows
(per grain and quantised working time) and the monthly `ProcessingStat` rows (net processing time of the
results). `rebuild` recomputes them in bulk; `refresh` brings a few dossiers up to date after an act (called
by `services.refresh_dossiers`, in its transaction, the dossiers locked)."""

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import F, QuerySet

from motcua.catalog.models import Procedure
from motcua.core import calendar
from motcua.core.workcalendar import current_calendar
from motcua.dossiers.models import Dossier, StepInstance
from motcua.quality.bulk import insert_rows, unchecked_foreign_keys
from motcua.quality.facts import local_day
from motcua.quality.lateness_rules import SECONDS_PER_HOUR, quantise
from motcua.quality.models import DossierFact, ProcessingStat, StepFact, StepGrain, StepStat

CHUNK = 20_000
STEP_FIELDS = (
    "pk",
    "dossier_id",
    "dossier__procedure_id",
    "unit_id",
    "finished_by_id",
    "assignee_id",
    "kind",
    "stage",
    "position",
    "name",
    "started_at",
    "due_at",
    "finished_at",
)
FACT_COLUMNS = tuple(f.attname for f in StepFact._meta.concrete_fields)
# A StepStat key: (grain, span, month, unit, procedure code, position, official, bucket).
StatKey = tuple[str, str, date, int, str, int, int, int]
STAT_KEYS = ("grain", "span", "month", "unit_id", "procedure_code", "position", "official", "bucket")
ProcessingKey = tuple[date, int, str, int]  # (month, deciding unit, procedure code, bucket)


def codes() -> dict[int, str]:
    return dict(Procedure.objects.values_list("pk", "code"))


def build(
    rows: Iterable[dict[str, Any]], code_of: dict[int, str], cal: calendar.WorkCalendar
) -> list[StepFact]:
    """The facts of finished steps (rows of `StepInstance.objects.values(*STEP_FIELDS)`)."""
    out = []
    for r in rows:
        started, due, finished = r["started_at"], r["due_at"], r["finished_at"]
        if started is None or finished is None:
            continue
        spent = calendar.working_time_between(started, finished, calendar=cal).total_seconds()
        late = due is not None and finished > due
        overrun = calendar.working_time_between(due, finished, calendar=cal).total_seconds() if late else 0.0
        out.append(
            StepFact(
                step_id=r["pk"],
                dossier_id=r["dossier_id"],
                procedure_code=code_of.get(r["dossier__procedure_id"], ""),
                unit_id=r["unit_id"],
                official=r["finished_by_id"] or r["assignee_id"] or 0,
                kind=r["kind"],
                stage=r["stage"],
                position=r["position"],
                name=r["name"],
                started_at=started,
                due_at=due,
                finished_at=finished,
                finished_day=local_day(finished),
                spent_hours=max(spent, 0.0) / SECONDS_PER_HOUR,
                bucket=quantise(max(spent, 0.0) / SECONDS_PER_HOUR),
                overrun_hours=overrun / SECONDS_PER_HOUR,
                late=late,
            )
        )
    return out


def _finished_steps(dossiers: QuerySet[Dossier] | None) -> Iterator[list[dict[str, Any]]]:
    steps = StepInstance.objects.filter(finished_at__isnull=False, started_at__isnull=False)
    if dossiers is not None:
        steps = steps.filter(dossier__in=dossiers)
    last = 0
    while True:
        rows = list(steps.filter(pk__gt=last).order_by("pk").values(*STEP_FIELDS)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


def rebuild(dossiers: QuerySet[Dossier] | None = None) -> int:
    """Recompute the step facts (of `dossiers`, else all), then every StepStat and ProcessingStat row."""
    cal, code_of = current_calendar(), codes()
    if dossiers is None:
        StepFact.objects.all().delete()
    else:
        StepFact.objects.filter(dossier__in=dossiers).delete()
    written = 0
    for rows in _finished_steps(dossiers):
        facts = build(rows, code_of, cal)
        with transaction.atomic(), unchecked_foreign_keys():
            insert_rows(StepFact, FACT_COLUMNS, [tuple(getattr(f, c) for c in FACT_COLUMNS) for f in facts])
        written += len(facts)
    aggregate()
    return written


# The first day of the month, of the year, of `finished_day`, per database.
SPANS = {
    "postgresql": {
        "month": "CAST(date_trunc('month', finished_day) AS date)",
        "year": "CAST(date_trunc('year', finished_day) AS date)",
    },
    "sqlite": {
        "month": "date(finished_day, 'start of month')",
        "year": "date(finished_day, 'start of year')",
    },
}
# Per grain: the key columns it keeps (the others take their "unused" value).
GRAIN_KEYS = {
    StepGrain.UNIT: ("''", "-1", "0", "''"),
    StepGrain.PROCEDURE: ("procedure_code", "-1", "0", "''"),
    StepGrain.STEP: ("procedure_code", "position", "0", "MAX(name)"),
    StepGrain.OFFICIAL: ("''", "-1", "official", "''"),
}


def aggregate() -> None:
    """Replace the StepStat rows by the sums of the step facts (INSERT ... SELECT), and the ProcessingStat
    rows by the counts of the dossier facts' quantised processing times."""
    stat, fact = StepStat._meta.db_table, StepFact._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        StepStat.objects.all().delete()
        for (grain, (code, position, official, name)), (span, month) in itertools.product(
            GRAIN_KEYS.items(), SPANS[connection.vendor].items()
        ):
            group = ", ".join(c for c in (code, position, official) if not c.startswith(("'", "-", "0")))
            cursor.execute(
                f"INSERT INTO {stat} (grain, span, month, unit_id, procedure_code, position, official, "
                f"bucket, name, steps, late, overrun_hours, spent_hours) "
                f"SELECT '{grain.value}', '{span}', {month}, unit_id, {code}, {position}, {official}, "
                f"bucket, {name}, COUNT(*), SUM(CASE WHEN late THEN 1 ELSE 0 END), SUM(overrun_hours), "
                f"SUM(spent_hours) FROM {fact} "
                f"GROUP BY {month}, unit_id, {group + ', ' if group else ''}bucket"
            )
        ProcessingStat.objects.all().delete()
        counts: dict[ProcessingKey, int] = defaultdict(int)
        code_of = codes()
        results = DossierFact.objects.filter(processing_hours__isnull=False, end_day__isnull=False)
        for day, unit, procedure, hours in results.values_list(
            "end_day", "deciding_unit_id", "procedure_id", "processing_hours"
        ):
            assert day is not None and hours is not None  # filtered above
            counts[_processing_key(day, unit, code_of[procedure], hours)] += 1
        keys = ("month", "deciding_unit_id", "procedure_code", "bucket", "results")
        insert_rows(ProcessingStat, keys, [(*k, n) for k, n in counts.items()])


def _processing_key(day: date, unit: int, code: str, hours: float) -> ProcessingKey:
    return (day.replace(day=1), unit, code, quantise(hours))


def contributions(fact: StepFact) -> dict[StatKey, tuple[int, int, float, float, str]]:
    """What one step adds to the StepStat rows (its month's and its year's): key → (steps, late, overrun
    hours, spent hours, name)."""
    m, u, c, p, o, b = (
        fact.finished_day.replace(day=1),
        fact.unit_id,
        fact.procedure_code,
        fact.position,
        fact.official,
        fact.bucket,
    )
    values = (1, int(fact.late), fact.overrun_hours, fact.spent_hours)
    out: dict[StatKey, tuple[int, int, float, float, str]] = {}
    for span, first in (("month", m), ("year", m.replace(month=1))):
        out[(StepGrain.UNIT.value, span, first, u, "", -1, 0, b)] = (*values, "")
        out[(StepGrain.PROCEDURE.value, span, first, u, c, -1, 0, b)] = (*values, "")
        out[(StepGrain.STEP.value, span, first, u, c, p, 0, b)] = (*values, fact.name)
        out[(StepGrain.OFFICIAL.value, span, first, u, "", -1, o, b)] = (*values, "")
    return out


def refresh(ids: list[int], *, old: list[DossierFact], new: list[DossierFact]) -> None:
    """Bring the step facts of these dossiers and both rollups up to date; `old` and `new` are their
    dossier facts before and after the act (for the processing times)."""
    step_rows = list(StepInstance.objects.filter(dossier_id__in=ids).values(*STEP_FIELDS))
    procedures = {r["dossier__procedure_id"] for r in step_rows} | {f.procedure_id for f in [*old, *new]}
    code_of = dict(Procedure.objects.filter(pk__in=procedures).values_list("pk", "code"))
    facts = build(step_rows, code_of, current_calendar())
    delta: dict[StatKey, list[Any]] = defaultdict(lambda: [0, 0, 0.0, 0.0, ""])
    for fact_set, sign in ((list(StepFact.objects.filter(dossier_id__in=ids)), -1), (facts, 1)):
        for fact in fact_set:
            for key, (steps, late, overrun, spent, name) in contributions(fact).items():
                d = delta[key]
                d[0], d[1], d[2], d[3] = (
                    d[0] + sign * steps,
                    d[1] + sign * late,
                    d[2] + sign * overrun,
                    d[3] + sign * spent,
                )
                d[4] = name or d[4]
    StepFact.objects.filter(dossier_id__in=ids).delete()
    StepFact.objects.bulk_create(facts)
    for key in sorted(k for k, d in delta.items() if d[0] or d[1] or d[2] or d[3]):
        d = delta[key]
        lookup = dict(zip(STAT_KEYS, key, strict=True))
        row, _created = StepStat.objects.select_for_update().get_or_create(**lookup, defaults={"name": d[4]})
        StepStat.objects.filter(pk=row.pk).update(
            steps=F("steps") + d[0],
            late=F("late") + d[1],
            overrun_hours=F("overrun_hours") + d[2],
            spent_hours=F("spent_hours") + d[3],
        )
    processing: dict[ProcessingKey, int] = defaultdict(int)
    for fact_list, sign in ((old, -1), (new, 1)):
        for f in fact_list:
            if f.processing_hours is not None and f.end_day is not None:
                code = code_of[f.procedure_id]
                processing[_processing_key(f.end_day, f.deciding_unit_id, code, f.processing_hours)] += sign
    for pkey in sorted(k for k, n in processing.items() if n):
        month, unit, code, bucket = pkey
        prow, _created = ProcessingStat.objects.select_for_update().get_or_create(
            month=month, deciding_unit_id=unit, procedure_code=code, bucket=bucket
        )
        ProcessingStat.objects.filter(pk=prow.pk).update(results=F("results") + processing[pkey])


FACT_CHECKED = ("dossier_id", "procedure_code", "unit_id", "official", "late", "bucket", "finished_day")


def verify(limit: int = 20) -> list[str]:
    """Compare the stored step facts and StepStat rows with a recomputation from the steps (what
    `motcua verify_stats` adds to its report): an empty list when they agree."""
    cal, code_of = current_calendar(), codes()
    problems: list[str] = []
    expected: dict[StatKey, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    matched = 0
    for rows in _finished_steps(None):
        facts = build(rows, code_of, cal)
        stored = StepFact.objects.in_bulk([f.step_id for f in facts])
        for fact in facts:
            old = stored.get(fact.step_id)
            matched += old is not None
            diff = [n for n in FACT_CHECKED if old is None or getattr(old, n) != getattr(fact, n)]
            if old is not None and abs(old.overrun_hours - fact.overrun_hours) > 1e-6:
                diff.append("overrun_hours")
            if diff:
                problems.append(f"step {fact.step_id}: {', '.join(diff)}")
            for key, (steps, late, overrun, _spent, _name) in contributions(fact).items():
                e = expected[key]
                e[0], e[1], e[2] = e[0] + steps, e[1] + late, e[2] + overrun
    if extra := StepFact.objects.count() - matched:
        problems.append(f"{extra} step facts of no finished step")
    for row in StepStat.objects.values_list(*STAT_KEYS, "steps", "late", "overrun_hours").iterator(
        chunk_size=20_000
    ):
        key, got = row[:8], row[8:]
        want = expected.pop(key, [0, 0, 0.0])
        if got[0] != want[0] or got[1] != want[1] or abs(got[2] - want[2]) > 1e-6 * max(1.0, abs(want[2])):
            problems.append(f"StepStat {key}: {tuple(got)} != {tuple(want)}")
    problems += [f"StepStat {key}: missing" for key, want in expected.items() if want[0]]
    return [*problems[:limit], "…"] if len(problems) > limit else problems
