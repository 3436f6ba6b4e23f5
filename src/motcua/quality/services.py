"""Writes of `quality`: the statistics rows, rebuilt in bulk or refreshed after an act on a dossier."""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from motcua.catalog.models import Procedure
from motcua.core.workcalendar import current_calendar
from motcua.dossiers import clock
from motcua.dossiers.models import ClockPause, Dossier, DossierEvent, Reschedule
from motcua.dossiers.states import Act, Status
from motcua.quality import stepfacts
from motcua.quality.bulk import insert_rows, unchecked_foreign_keys
from motcua.quality.facts import Built, Key, Recorded, build_fact, contributions
from motcua.quality.models import COUNT_FIELDS, STOCKS, ClockSpan, DailyStat, DossierFact, MonthlyStat

CHUNK = 10_000
DOSSIER_FIELDS = (
    "pk",
    "receiving_unit_id",
    "procedure_id",
    "channel",
    "status",
    "submitted_at",
    "received_at",
    "ended_at",
    "closed_at",
    "appointment_at",
    "original_appointment_at",
    "clock_started_at",
    "supplement_requests",
)


def deciding_units() -> dict[int, int | None]:
    """Procedure → the unit that decides it (province level); commune procedures: the receiving commune."""
    return dict(Procedure.objects.values_list("pk", "responsible_unit_id"))


def joined() -> dict[str, F | Exists]:
    """The apology letter and the refusal of each dossier, joined to its row (the rebuild's one query per
    chunk) instead of looked up by `recorded_from_rows`."""
    return {
        "reschedule_lawful": F("reschedule__lawful"),
        "reschedule_previous": F("reschedule__previous_appointment_at"),
        "reschedule_issued": F("reschedule__issued_at"),
        "refused": Exists(DossierEvent.objects.filter(dossier_id=OuterRef("pk"), act=Act.REFUSE)),
    }


def recorded_from_rows(rows: list[dict[str, Any]]) -> list[Recorded]:
    """`rows`: rows of `Dossier.objects.values(*DOSSIER_FIELDS)`, or with `*joined()` too."""
    reschedules: dict[int, Mapping[str, Any]]
    if rows and "refused" in rows[0]:  # values(*DOSSIER_FIELDS, *joined())
        reschedules = {
            row["pk"]: {
                "lawful": row["reschedule_lawful"],
                "previous_appointment_at": row["reschedule_previous"],
                "issued_at": row["reschedule_issued"],
            }
            for row in rows
            if row["reschedule_lawful"] is not None
        }
        refused = {row["pk"] for row in rows if row["refused"]}
    else:
        ids = [row["pk"] for row in rows]
        reschedules = {
            r["dossier_id"]: r
            for r in Reschedule.objects.filter(dossier_id__in=ids).values(
                "dossier_id", "lawful", "previous_appointment_at", "issued_at"
            )
        }
        refused = set(
            DossierEvent.objects.filter(dossier_id__in=ids, act=Act.REFUSE).values_list(
                "dossier_id", flat=True
            )
        )
    deciding = deciding_units()
    pauses = pauses_of([row["pk"] for row in rows])
    out = []
    for row in rows:
        reschedule = reschedules.get(row["pk"]) or {}
        appointment = clock.judged_appointment_at(
            appointment_at=row["appointment_at"],
            clock_started_at=row["clock_started_at"],
            reschedule_lawful=reschedule.get("lawful"),
            reschedule_previous=reschedule.get("previous_appointment_at"),
            reschedule_issued_at=reschedule.get("issued_at"),
            pauses=pauses.get(row["pk"], ()),
        )
        out.append(
            Recorded(
                dossier_id=row["pk"],
                receiving_unit_id=row["receiving_unit_id"],
                deciding_unit_id=deciding.get(row["procedure_id"]) or row["receiving_unit_id"],
                procedure_id=row["procedure_id"],
                channel=row["channel"],
                status=row["status"],
                submitted_at=row["submitted_at"],
                received_at=row["received_at"],
                ended_at=row["ended_at"],
                withdrawn_at=row["closed_at"] if row["status"] == Status.WITHDRAWN else None,
                judged_appointment_at=appointment,
                original_appointment_at=row["original_appointment_at"],
                supplement_requests=row["supplement_requests"],
                refused=row["pk"] in refused,
                pauses=tuple(pauses.get(row["pk"], ())),
            )
        )
    return out


def pauses_of(ids: list[int]) -> dict[int, list[clock.Pause]]:
    out: dict[int, list[clock.Pause]] = defaultdict(list)
    rows = ClockPause.objects.filter(dossier_id__in=ids).order_by("dossier_id", "started_at", "pk")
    for p in rows.values_list("dossier_id", "kind", "started_at", "ended_at", "judged_before"):
        out[p[0]].append(clock.Pause(kind=p[1], started_at=p[2], ended_at=p[3], judged_before=p[4]))
    return out


def _chunks(
    dossiers: QuerySet[Dossier], fields: tuple[str, ...] = DOSSIER_FIELDS
) -> Iterator[list[dict[str, Any]]]:
    last = 0
    while True:
        rows = list(dossiers.filter(pk__gt=last).order_by("pk").values(*fields)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


@dataclass
class RebuildSummary:
    facts: int
    daily_rows: int
    monthly_rows: int


def rebuild(*, since: date | None = None) -> RebuildSummary:
    """Recompute the facts (of dossiers changed on or after `since`, else all), then every counter row."""
    cal = current_calendar()
    dossiers = Dossier.objects.all()
    if since is not None:
        dossiers = dossiers.filter(Q(updated_at__date__gte=since) | Q(submitted_at__date__gte=since))
    else:
        ClockSpan.objects.all().delete()
        DossierFact.objects.all().delete()
    written = 0
    extra = joined()
    for rows in _chunks(dossiers.annotate(**extra), (*DOSSIER_FIELDS, *extra)):
        built = [build_fact(r, cal=cal) for r in recorded_from_rows(rows)]
        with transaction.atomic(), unchecked_foreign_keys():
            if since is not None:
                ids = [row["pk"] for row in rows]
                ClockSpan.objects.filter(dossier_id__in=ids).delete()
                DossierFact.objects.filter(dossier_id__in=ids).delete()
            write_facts(built)
        written += len(built)
    daily, monthly = aggregate_facts()
    stepfacts.rebuild(dossiers if since is not None else None)
    return RebuildSummary(facts=written, daily_rows=daily, monthly_rows=monthly)


FACT_COLUMNS = tuple(f.attname for f in DossierFact._meta.concrete_fields)
SPAN_COLUMNS = tuple(f.attname for f in ClockSpan._meta.concrete_fields if f.attname != "id")


def write_facts(built: list[Built]) -> None:
    """Insert new fact and span rows: their column values as tuples (COPY on PostgreSQL)."""
    insert_rows(DossierFact, FACT_COLUMNS, [tuple(getattr(b.fact, c) for c in FACT_COLUMNS) for b in built])
    spans = [tuple(getattr(s, c) for c in SPAN_COLUMNS) for b in built for s in b.spans]
    insert_rows(ClockSpan, SPAN_COLUMNS, spans)


def aggregate_facts() -> tuple[int, int]:
    """Replace the daily and monthly counters by the sums of the facts and spans, in SQL (INSERT ...
    SELECT; PostgreSQL and SQLite, the two databases the project runs on)."""
    keys = "receiving_unit_id, procedure_id, deciding_unit_id"
    counts = ", ".join(COUNT_FIELDS)
    flows = []
    for model, day_field, condition, values in _FLOWS:
        columns = ", ".join(f"{values.get(name, '0')} AS {name}" for name in COUNT_FIELDS)
        table = model._meta.db_table
        flows.append(f"SELECT {day_field} AS day, {keys}, {columns} FROM {table} WHERE {condition}")
    sums = ", ".join(
        f"COALESCE(SUM({name}), 0)" if name == "processing_hours" else f"SUM({name})" for name in COUNT_FIELDS
    )
    daily, monthly = DailyStat._meta.db_table, MonthlyStat._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        DailyStat.objects.all().delete()
        MonthlyStat.objects.all().delete()
        cursor.execute(
            f"INSERT INTO {daily} (day, {keys}, {counts}) SELECT day, {keys}, {sums} "
            f"FROM ({' UNION ALL '.join(flows)}) flows GROUP BY day, {keys}"
        )
        daily_rows = cursor.rowcount
        month = MONTH_OF[connection.vendor]
        cursor.execute(
            f"INSERT INTO {monthly} (month, {keys}, {counts}) SELECT {month}, {keys}, {sums} "
            f"FROM {daily} GROUP BY {month}, {keys}"
        )
        monthly_rows = cursor.rowcount
    return daily_rows, monthly_rows


# The first day of the month of `day`, per database.
MONTH_OF = {"postgresql": "CAST(date_trunc('month', day) AS date)", "sqlite": "date(day, 'start of month')"}
# (table, day column, which rows, {counter: its value per row}; absent counters are 0).
_FLOWS = [
    (DossierFact, "submitted_day", "not_accepted", {"not_accepted": "1"}),
    (
        DossierFact,
        "received_day",
        "received_day IS NOT NULL",
        {
            "received_online": "CASE WHEN channel = 'online' THEN 1 ELSE 0 END",
            "received_counter": "CASE WHEN channel = 'counter' THEN 1 ELSE 0 END",
            "received_post": "CASE WHEN channel = 'post' THEN 1 ELSE 0 END",
        },
    ),
    (
        DossierFact,
        "end_day",
        "end_day IS NOT NULL AND outcome <> ''",
        {
            "early": "CASE WHEN outcome = 'early' THEN 1 ELSE 0 END",
            "on_time": "CASE WHEN outcome = 'on_time' THEN 1 ELSE 0 END",
            "late": "CASE WHEN outcome = 'late' THEN 1 ELSE 0 END",
            "refused": "CASE WHEN refused THEN 1 ELSE 0 END",
            "processing_hours": "COALESCE(processing_hours, 0)",
        },
    ),
    (
        DossierFact,
        "withdrawn_day",
        "withdrawn_day IS NOT NULL",
        {"withdrawn": "1", "withdrawn_late": "CASE WHEN withdrawn_late THEN 1 ELSE 0 END"},
    ),
    *(
        (ClockSpan, f"{end}_day", f"kind = '{kind}'" + (" AND end_day IS NOT NULL" if end == "end" else ""),
         {f"{kind}_{'in' if end == 'start' else 'out'}": "1"})
        for kind in STOCKS
        for end in ("start", "end")
    ),
]  # fmt: skip


def refresh_dossiers(dossier_ids: Iterable[int]) -> None:
    """Bring the facts and counters of these dossiers up to date (after an act; the lifecycle's hook)."""
    ids = sorted(dossier_ids)
    with transaction.atomic():
        # Lock the dossiers first: two refreshes of one dossier apply their deltas one after the other.
        rows = list(
            Dossier.objects.select_for_update().filter(pk__in=ids).order_by("pk").values(*DOSSIER_FIELDS)
        )
        new = {b.fact.dossier_id: b for b in (build_fact(r) for r in recorded_from_rows(rows))}
        old_spans: dict[int, list[ClockSpan]] = defaultdict(list)
        for span in ClockSpan.objects.filter(dossier_id__in=ids):
            old_spans[span.dossier_id].append(span)
        old = [Built(f, old_spans[f.dossier_id]) for f in DossierFact.objects.filter(dossier_id__in=ids)]
        delta: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for built, sign in [(b, -1) for b in old] + [(b, 1) for b in new.values()]:
            for key, counts in contributions(built).items():
                for name, value in counts.items():
                    delta[key][name] += sign * value
        ClockSpan.objects.filter(dossier_id__in=ids).delete()
        DossierFact.objects.filter(dossier_id__in=ids).delete()
        DossierFact.objects.bulk_create(b.fact for b in new.values())
        ClockSpan.objects.bulk_create(s for b in new.values() for s in b.spans)
        stepfacts.refresh(ids, old=[b.fact for b in old], new=[b.fact for b in new.values()])
        # Counter rows are locked in one global order (every daily row by key, then every monthly one), so
        # that workers refreshing overlapping batches wait for each other instead of deadlocking.
        changed = {key: c for key, counts in delta.items() if (c := {n: v for n, v in counts.items() if v})}
        ordered = sorted(changed, key=lambda k: (k[0], k[1], k[2], k[3] or 0))
        for key in ordered:
            _add(DailyStat, "day", key[0], key, changed[key])
        monthly: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for key in ordered:
            for name, value in changed[key].items():
                monthly[(key[0].replace(day=1), key[1], key[2], key[3])][name] += value
        for key in sorted(monthly, key=lambda k: (k[0], k[1], k[2], k[3] or 0)):
            if changes := {name: value for name, value in monthly[key].items() if value}:
                _add(MonthlyStat, "month", key[0], key, changes)


def _add(
    model: type[DailyStat] | type[MonthlyStat], field: str, period: date, key: Key, changes: dict[str, float]
) -> None:
    lookup = {field: period, "receiving_unit_id": key[1], "procedure_id": key[2]}
    row, _created = model.objects.select_for_update().get_or_create(
        **lookup, defaults={"deciding_unit_id": key[3]}
    )
    model.objects.filter(pk=row.pk).update(**{name: F(name) + value for name, value in changes.items()})
