"""Writes of `quality`: the statistics rows, rebuilt in bulk or refreshed after an act on a dossier."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q

from motcua.catalog.models import Procedure
from motcua.core.workcalendar import current_calendar
from motcua.dossiers import clock
from motcua.dossiers.models import Dossier, DossierEvent, Reschedule
from motcua.dossiers.states import Act, Status
from motcua.quality.bulk import insert_rows, unchecked_foreign_keys
from motcua.quality.facts import Key, Recorded, build_fact, contributions
from motcua.quality.models import COUNT_FIELDS, DailyStat, DossierFact, MonthlyStat

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


def joined() -> dict:
    """The apology letter and the refusal of each dossier, joined to its row (the rebuild's one query per
    chunk) instead of looked up by `recorded_from_rows`."""
    return {
        "reschedule_lawful": F("reschedule__lawful"),
        "reschedule_previous": F("reschedule__previous_appointment_at"),
        "reschedule_issued": F("reschedule__issued_at"),
        "refused": Exists(DossierEvent.objects.filter(dossier_id=OuterRef("pk"), act=Act.REFUSE)),
    }


def recorded_from_rows(rows: list[dict]) -> list[Recorded]:
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
    out = []
    for row in rows:
        reschedule = reschedules.get(row["pk"]) or {}
        appointment = clock.judged_appointment_at(
            appointment_at=row["appointment_at"],
            clock_started_at=row["clock_started_at"],
            reschedule_lawful=reschedule.get("lawful"),
            reschedule_previous=reschedule.get("previous_appointment_at"),
            reschedule_issued_at=reschedule.get("issued_at"),
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
            )
        )
    return out


def _chunks(dossiers, fields=DOSSIER_FIELDS) -> Iterable[list[dict]]:
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
        DossierFact.objects.all().delete()
    written = 0
    extra = joined()
    for rows in _chunks(dossiers.annotate(**extra), (*DOSSIER_FIELDS, *extra)):
        facts = [build_fact(r, cal=cal) for r in recorded_from_rows(rows)]
        with transaction.atomic(), unchecked_foreign_keys():
            if since is not None:
                DossierFact.objects.filter(dossier_id__in=[row["pk"] for row in rows]).delete()
            write_facts(facts)
        written += len(facts)
    daily, monthly = aggregate_facts()
    return RebuildSummary(facts=written, daily_rows=daily, monthly_rows=monthly)


FACT_COLUMNS = tuple(f.attname for f in DossierFact._meta.concrete_fields)


def write_facts(facts: list[DossierFact]) -> None:
    """Insert new fact rows: their column values as tuples (COPY on PostgreSQL)."""
    insert_rows(DossierFact, FACT_COLUMNS, [tuple(getattr(f, c) for c in FACT_COLUMNS) for f in facts])


def _fact_groups() -> Iterable[tuple[Key, dict[str, float]]]:
    """The counters summed per key by the database, one GROUP BY per kind of flow."""
    from django.db.models import Count, Sum

    keys = ("receiving_unit_id", "procedure_id", "deciding_unit_id")
    flows = [
        ("submitted_day", Q(not_accepted=True), {"not_accepted": Count("pk")}),
        (
            "received_day",
            Q(received_day__isnull=False),
            {
                "received_online": Count("pk", filter=Q(channel="online")),
                "received_counter": Count("pk", filter=Q(channel="counter")),
                "received_post": Count("pk", filter=Q(channel="post")),
            },
        ),
        (
            "end_day",
            Q(end_day__isnull=False) & ~Q(outcome=""),
            {
                "early": Count("pk", filter=Q(outcome="early")),
                "on_time": Count("pk", filter=Q(outcome="on_time")),
                "late": Count("pk", filter=Q(outcome="late")),
                "refused": Count("pk", filter=Q(refused=True)),
                "processing_hours": Sum("processing_hours"),
            },
        ),
        ("withdrawn_day", Q(withdrawn_day__isnull=False), {"withdrawn": Count("pk")}),
        ("overdue_in_day", Q(overdue_in_day__isnull=False), {"overdue_in": Count("pk")}),
        ("overdue_out_day", Q(overdue_out_day__isnull=False), {"overdue_out": Count("pk")}),
    ]
    for day_field, condition, sums in flows:
        rows = DossierFact.objects.filter(condition).values(day_field, *keys).annotate(**sums).order_by()
        for row in rows.iterator(chunk_size=20_000):
            key = (row[day_field], row["receiving_unit_id"], row["procedure_id"], row["deciding_unit_id"])
            yield key, {name: row[name] or 0 for name in sums}


def _stat_row(model, period: date, key: Key, counts: dict[str, float]):
    field = "day" if model is DailyStat else "month"
    values = {name: counts.get(name, 0) for name in COUNT_FIELDS}
    return model(
        **{field: period},
        receiving_unit_id=key[1],
        procedure_id=key[2],
        deciding_unit_id=key[3],
        **values,
    )


def aggregate_facts() -> tuple[int, int]:
    """Replace the daily and monthly counters by the sums of the facts: in SQL (INSERT ... SELECT) on
    PostgreSQL and SQLite, else summed here."""
    if connection.vendor not in MONTH_OF:
        return _aggregate_facts_here()
    keys = "receiving_unit_id, procedure_id, deciding_unit_id"
    counts = ", ".join(COUNT_FIELDS)
    flows = []
    for day_field, condition, values in _FLOWS:
        columns = ", ".join(f"{values.get(name, '0')} AS {name}" for name in COUNT_FIELDS)
        table = DossierFact._meta.db_table
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
# As `_fact_groups`: (day column, which facts, {counter: its value per fact}; absent counters are 0).
_FLOWS = [
    ("submitted_day", "not_accepted", {"not_accepted": "1"}),
    (
        "received_day",
        "received_day IS NOT NULL",
        {
            "received_online": "CASE WHEN channel = 'online' THEN 1 ELSE 0 END",
            "received_counter": "CASE WHEN channel = 'counter' THEN 1 ELSE 0 END",
            "received_post": "CASE WHEN channel = 'post' THEN 1 ELSE 0 END",
        },
    ),
    (
        "end_day",
        "end_day IS NOT NULL AND outcome <> ''",
        {
            "early": "CASE WHEN outcome = 'early' THEN 1 ELSE 0 END",
            "on_time": "CASE WHEN outcome = 'on_time' THEN 1 ELSE 0 END",
            "late": "CASE WHEN outcome = 'late' THEN 1 ELSE 0 END",
            "refused": "CASE WHEN refused THEN 1 ELSE 0 END",
            "processing_hours": "processing_hours",
        },
    ),
    ("withdrawn_day", "withdrawn_day IS NOT NULL", {"withdrawn": "1"}),
    ("overdue_in_day", "overdue_in_day IS NOT NULL", {"overdue_in": "1"}),
    ("overdue_out_day", "overdue_out_day IS NOT NULL", {"overdue_out": "1"}),
]


def _aggregate_facts_here() -> tuple[int, int]:
    """The counters summed in Python (databases without `MONTH_OF`)."""
    daily: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for key, counts in _fact_groups():
        for name, value in counts.items():
            daily[key][name] += value
    monthly: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for key, counts in daily.items():
        month_key = (key[0].replace(day=1), *key[1:])
        for name, value in counts.items():
            monthly[month_key][name] += value
    with transaction.atomic():
        DailyStat.objects.all().delete()
        MonthlyStat.objects.all().delete()
        DailyStat.objects.bulk_create(
            (_stat_row(DailyStat, k[0], k, v) for k, v in daily.items()), batch_size=5000
        )
        MonthlyStat.objects.bulk_create(
            (_stat_row(MonthlyStat, k[0], k, v) for k, v in monthly.items()), batch_size=5000
        )
    return len(daily), len(monthly)


def refresh_dossiers(dossier_ids: Iterable[int]) -> None:
    """Bring the facts and counters of these dossiers up to date (after an act; the lifecycle's hook)."""
    ids = sorted(dossier_ids)
    with transaction.atomic():
        # Lock the dossiers first: two refreshes of one dossier apply their deltas one after the other.
        rows = list(
            Dossier.objects.select_for_update().filter(pk__in=ids).order_by("pk").values(*DOSSIER_FIELDS)
        )
        new = {f.dossier_id: f for f in (build_fact(r) for r in recorded_from_rows(rows))}
        old = {f.dossier_id: f for f in DossierFact.objects.filter(dossier_id__in=ids)}
        delta: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for fact, sign in [(f, -1) for f in old.values()] + [(f, 1) for f in new.values()]:
            for key, counts in contributions(fact).items():
                for name, value in counts.items():
                    delta[key][name] += sign * value
        DossierFact.objects.filter(dossier_id__in=ids).delete()
        DossierFact.objects.bulk_create(new.values())
        for key, counts in delta.items():
            changes = {name: value for name, value in counts.items() if value}
            if not changes:
                continue
            _add(DailyStat, "day", key[0], key, changes)
            _add(MonthlyStat, "month", key[0].replace(day=1), key, changes)


def _add(model, field: str, period: date, key: Key, changes: dict[str, float]) -> None:
    lookup = {field: period, "receiving_unit_id": key[1], "procedure_id": key[2]}
    row, _created = model.objects.select_for_update().get_or_create(
        **lookup, defaults={"deciding_unit_id": key[3]}
    )
    model.objects.filter(pk=row.pk).update(**{name: F(name) + value for name, value in changes.items()})
