"""Benchmark of "who is late, and why" (quality.lateness, #17) on the configured database (make bench: a
throwaway PostgreSQL).

Generates N synthetic dossiers on the demo province (`motcua generate`: parallel groups, transfer steps and
consultations), rebuilds the statistics (the step facts and their rollups with them), then times each
analytics read (median of `--runs`), province-wide, for a department and for a commune: whole months (the
monthly rows) and a custom range (its edge days read from the step facts).

Usage: python bench/lateness.py --dossiers 20000 [--seed 1] [--runs 5] [--since 2025-01-01]
"""

import argparse
import io
import os
import resource
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_OUTBOX_DISPATCH", "off")
import django
from timing import median_of  # bench/ is the script's directory

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Sum  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.core.models import OrgUnit  # noqa: E402
from motcua.demo import synthetic  # noqa: E402
from motcua.dossiers.models import Consultation, StepInstance  # noqa: E402
from motcua.quality import lateness, lateness_exports, services  # noqa: E402
from motcua.quality.models import ProcessingStat, StepFact, StepStat  # noqa: E402
from motcua.quality.periods import Period, custom, month, year  # noqa: E402
from motcua.quality.selectors import Scope  # noqa: E402

TABLES = (
    "dossiers_stepinstance",
    "dossiers_consultation",
    "quality_stepfact",
    "quality_stepstat",
    "quality_processingstat",
)
SLOW_MS = 1000  # the goal: every read under a second at 2 million dossiers


def print_table_sizes() -> None:
    print(f"\n{'table':30} {'rows':>12} {'table MB':>9} {'+indexes MB':>12}")
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                "SELECT reltuples::bigint, pg_table_size(oid), pg_total_relation_size(oid) "
                "FROM pg_class WHERE relname = %s",
                [table],
            )
            rows, size, total = cursor.fetchone()
            print(f"{table:30} {rows:>12,} {size / 2**20:9.0f} {total / 2**20:12.0f}")


def overview_xlsx(unit: OrgUnit, period: Period) -> bytes:
    """The overview page's export: every table of the page (as the view builds it)."""
    scope = Scope.of(unit)
    sheets = [
        lateness_exports.steps_sheet("units", lateness.by_unit(scope=scope, period=period)),
        lateness_exports.steps_sheet("procedures", lateness.by_procedure(scope=scope, period=period)),
        lateness_exports.steps_sheet(
            "officials", lateness.by_official(scope=scope, period=period), officials=True
        ),
        lateness_exports.consultations_sheet(lateness.consultations(scope=scope, period=period)),
        lateness_exports.candidates_sheet(lateness.candidates(scope=scope, period=period)),
    ]
    return lateness_exports.xlsx(unit=unit, period=period, sheets=sheets)


def reads(
    label: str, unit: OrgUnit, periods: dict[str, Period]
) -> list[tuple[str, str, Callable[[], object]]]:
    scope = Scope.of(unit)
    facts = (
        StepFact.objects.all() if scope.everything else StepFact.objects.filter(unit_id__in=scope.unit_ids)
    )
    # The procedure with the most steps in scope, and its step with the most delay: the drill-down's path.
    busiest = facts.values("procedure_code").annotate(n=Count("pk")).order_by("-n").first()
    code = busiest["procedure_code"] if busiest else ""
    worst = (
        facts.filter(procedure_code=code)
        .values("position")
        .annotate(o=Sum("overrun_hours"))
        .order_by("-o")
        .first()
    )
    position = worst["position"] if worst else 1
    out: list[tuple[str, str, Callable[[], object]]] = []
    for name, period in periods.items():
        out += [
            (label, f"by unit ({name})", lambda p=period: lateness.by_unit(scope=scope, period=p)),
            (label, f"by procedure ({name})", lambda p=period: lateness.by_procedure(scope=scope, period=p)),
            (label, f"by official ({name})", lambda p=period: lateness.by_official(scope=scope, period=p)),
            (
                label,
                f"steps of {code} ({name})",
                lambda p=period: lateness.by_step(scope=scope, period=p, code=code),
            ),
            (
                label,
                f"late dossiers of step {position} ({name})",
                lambda p=period: lateness.step_dossiers(scope=scope, period=p, code=code, position=position),
            ),
            (
                label,
                f"consultations ({name})",
                lambda p=period: lateness.consultations(scope=scope, period=p),
            ),
            (label, f"candidates ({name})", lambda p=period: lateness.candidates(scope=scope, period=p)),
        ]
    out.append((label, "overview XLSX (year)", lambda: overview_xlsx(unit, periods["year"])))
    return out


def busiest(kind: str) -> OrgUnit | None:
    """The unit of `kind` with the most finished steps."""
    units = StepFact.objects.filter(unit__kind=kind).values("unit_id").annotate(n=Count("pk")).order_by("-n")
    first = units.first()
    return OrgUnit.objects.get(pk=first["unit_id"]) if first else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--since", type=date.fromisoformat, default=date(2025, 1, 1))
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("demo", "--no-dossiers", stdout=io.StringIO())
    print(f"database: {connection.vendor}; python {sys.version.split()[0]}; cpus {os.cpu_count()}")

    start = time.perf_counter()
    made = synthetic.generate(dossiers=args.dossiers, seed=args.seed, since=args.since)
    generated = time.perf_counter() - start
    print(f"generate  {made:>12,} dossiers {generated:10.1f} s")
    start = time.perf_counter()
    services.rebuild()
    rebuilt = time.perf_counter() - start
    print(
        f"rebuild   {StepFact.objects.count():>12,} step facts (of {StepInstance.objects.count():,} steps) "
        f"{rebuilt:8.1f} s (all the statistics); {StepStat.objects.count():,} step rows, "
        f"{ProcessingStat.objects.count():,} processing rows, {Consultation.objects.count():,} consultations"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print_table_sizes()

    today = timezone.localdate()
    periods = {
        "year": year(today.year),
        "month": month(today.year, today.month),
        "custom 45 days": custom(today - timedelta(days=44), today),
    }
    province = OrgUnit.objects.get(parent__isnull=True)
    department, commune = busiest(OrgUnit.Kind.DEPARTMENT), busiest(OrgUnit.Kind.COMMUNE)
    timed = []
    for label, unit in (("province", province), ("department", department), ("commune", commune)):
        if unit is not None:
            timed += reads(label, unit, periods)
    print(f"\n{'scope':11} {'read':44} {'median ms':>10}   (over {made:,} dossiers, median of {args.runs})")
    slowest = 0.0
    for label, name, func in timed:
        func()  # warm the cache once, as a page in use is
        ms = median_of(args.runs, func) * 1000
        slowest = max(slowest, ms)
        print(f"{label:11} {name:44} {ms:10.1f}")
    print(f"\nslowest read: {slowest:,.1f} ms ({'under' if slowest < SLOW_MS else 'OVER'} {SLOW_MS} ms)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
