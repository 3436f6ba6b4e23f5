"""Benchmark of `quality` on the configured database (make bench: a throwaway PostgreSQL).

Generates N synthetic dossiers on the demo province (`motcua generate`), rebuilds the statistics, then
times each dashboard and report read (median of `--runs`), province-wide and for one commune.

Usage: python bench/quality.py --dossiers 20000 [--seed 1] [--runs 5] [--since 2025-01-01]
"""

import argparse
import io
import os
import resource
import sys
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_OUTBOX_DISPATCH", "off")
import django
from timing import median_of  # bench/ is the script's directory

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.core.models import OrgUnit  # noqa: E402
from motcua.demo import synthetic  # noqa: E402
from motcua.quality import exports, indicators, selectors, services  # noqa: E402
from motcua.quality.periods import month, year  # noqa: E402
from motcua.quality.selectors import Scope  # noqa: E402

TABLES = (
    "dossiers_dossier",
    "dossiers_dossierevent",
    "dossiers_stepinstance",
    "dossiers_dossiercomponent",
    "dossiers_clockpause",
    "dossiers_reschedule",
    "dossiers_dossiercodesequence",
    "quality_dossierfact",
    "quality_clockspan",
    "quality_dailystat",
    "quality_monthlystat",
)


def print_table_sizes() -> None:
    """Rows (estimated after ANALYZE) and size on disk, with indexes, of the tables the reads touch."""
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
        cursor.execute("SELECT pg_database_size(current_database())")
        print(f"{'database':30} {'':>12} {cursor.fetchone()[0] / 2**20:9.0f}")


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
    step = max(100_000, args.dossiers // 10)
    mark = [step]

    def progress(count: int) -> None:
        if count >= mark[0]:
            print(f"  {count:>12,} dossiers {time.perf_counter() - start:10.1f} s", flush=True)
            mark[0] += step

    made = synthetic.generate(dossiers=args.dossiers, seed=args.seed, since=args.since, progress=progress)
    generated = time.perf_counter() - start
    print(f"generate  {made:>12,} dossiers {generated:10.1f} s  ({made / generated:,.0f} dossiers/s)")
    start = time.perf_counter()
    summary = services.rebuild()
    rebuilt = time.perf_counter() - start
    print(
        f"rebuild   {summary.facts:>12,} facts    {rebuilt:10.1f} s  "
        f"({summary.facts / rebuilt:,.0f} facts/s; "
        f"{summary.daily_rows:,} daily rows, {summary.monthly_rows:,} monthly rows)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print_table_sizes()

    today = timezone.localdate()
    province = OrgUnit.objects.get(parent__isnull=True)
    commune = OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE).order_by("pk").first()
    this_month = month(today.year, today.month)
    this_year = year(today.year)
    reads = []
    for label, unit in (("province", province), ("commune", commune)):
        scope = Scope.of(unit)

        def report(scope=scope):
            rows = selectors.statistics(scope=scope, period=this_year, group="procedure_id")
            return rows, selectors.total(scope=scope, period=this_year)

        reads += [
            (
                label,
                "dashboard: indicators (year)",
                lambda s=scope: indicators.compute(scope=s, period=this_year),
            ),
            (label, "dashboard: trend 12 months", lambda s=scope: selectors.trend(scope=s, end=today)),
            (
                label,
                "dashboard: worst units (month)",
                lambda s=scope: selectors.worst_units(scope=s, period=this_month),
            ),
            (label, "report by procedure (year)", report),
            (
                label,
                "report by unit (month)",
                lambda s=scope: selectors.statistics(scope=s, period=this_month, group="receiving_unit_id"),
            ),
            (
                label,
                "late dossiers (month)",
                lambda s=scope: selectors.late_dossiers(scope=s, period=this_month),
            ),
            (
                label,
                "apology letters (month)",
                lambda s=scope: selectors.apology_letters(scope=s, period=this_month),
            ),
            (
                label,
                "report XLSX (year)",
                lambda r=report: exports.xlsx(unit=province, period=this_year, rows=r()[0], total=r()[1]),
            ),
            (
                label,
                "report PDF (year)",
                lambda r=report: exports.pdf(unit=province, period=this_year, rows=r()[0], total=r()[1]),
            ),
        ]
    print(f"\n{'scope':9} {'read':34} {'median ms':>10}   (over {made:,} dossiers, median of {args.runs})")
    for label, name, func in reads:
        func()  # warm the cache once, as a dashboard in use is
        print(f"{label:9} {name:34} {median_of(args.runs, func) * 1000:10.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
