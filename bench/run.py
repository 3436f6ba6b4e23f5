"""Benchmarks of the foundation on the configured database (make bench: a throwaway PostgreSQL).

Measures, each as the median of several runs:
- the calendar: add_working_time / working_time_between calls per second;
- the lifecycle: a dossier's whole journey through the services (receive → start → 2 steps → issue →
  return: 6 transactions), dossiers per second;
- an officer's work-list query and a dossier detail read over the data created.

Usage: python bench/run.py --dossiers 2000 [--runs 5]
"""

import argparse
import io
import os
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_OUTBOX_DISPATCH", "off")
import django
from timing import median_of  # bench/ is the script's directory

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from motcua.core import calendar  # noqa: E402
from motcua.core.models import User  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def bench_calendar(runs: int) -> None:
    starts = [datetime(2026, 1, 1, 8, tzinfo=TZ) + timedelta(hours=7 * i) for i in range(10_000)]

    def add() -> None:
        for start in starts:
            calendar.add_working_time(start, 15, calendar.TimeUnit.WORKING_DAYS)

    def between() -> None:
        for start in starts:
            calendar.working_time_between(start, start + timedelta(days=30))

    for name, func in (
        ("add_working_time(15 working days)", add),
        ("working_time_between(30 days)", between),
    ):
        seconds = median_of(runs, func)
        print(f"calendar  {name:40s} {len(starts) / seconds:12,.0f} calls/s  (median of {runs})")


def bench_lifecycle(count: int, runs: int) -> None:
    from motcua.catalog.models import Procedure
    from motcua.dossiers import services
    from motcua.dossiers.models import Channel, Dossier
    from motcua.dossiers.selectors import visible_dossiers

    counter = User.objects.get(username="tiepnhan.thanhvinh")
    specialist = User.objects.get(username="chuyenvien.thanhvinh")
    leader = User.objects.get(username="lanhdao.thanhvinh")
    procedure = Procedure.objects.get(code="1.004873")  # marital status: commune specialist → leader
    components = [services.ProvidedComponent(c.pk) for c in procedure.components.all()]
    per_run = max(1, count // runs)
    clock = [datetime(2026, 3, 2, 8, tzinfo=TZ)]

    def journey() -> None:
        for i in range(per_run):
            clock[0] += timedelta(minutes=3)
            now = clock[0]
            intake = services.Intake(
                procedure=procedure,
                applicant=services.Applicant(kind="citizen", name=f"Công dân {i}", id_number=f"0400{i:08d}"),
                receiving_unit=counter.org_unit,
                components=components,
            )
            d = services.receive(intake=intake, channel=Channel.COUNTER, acting_user=counter, now=now)
            d = services.start_processing(dossier=d, acting_user=counter, now=now)
            d = services.complete_step(dossier=d, acting_user=specialist, now=now)
            d = services.approve(dossier=d, acting_user=leader, now=now)
            d = services.issue_result(dossier=d, acting_user=leader, now=now)
            services.return_result(dossier=d, acting_user=counter, now=now)

    seconds = median_of(runs, journey)
    print(
        f"lifecycle full journey (6 acts)                   {per_run / seconds:12,.1f} dossiers/s "
        f"({seconds / per_run * 1000:.1f} ms each; median of {runs} runs of {per_run})"
    )
    total = Dossier.objects.count()

    def work_list() -> None:
        list(visible_dossiers(leader).order_by("-submitted_at")[:25])

    def detail() -> None:
        d = visible_dossiers(leader).order_by("?").first()
        list(d.events.all()), list(d.steps.all())

    for name, func in (("officer work list, first page", work_list), ("dossier detail read", detail)):
        seconds = median_of(max(runs, 5), func)
        print(f"read      {name:40s} {seconds * 1000:12.2f} ms  (over {total:,} dossiers; median)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("demo", "--no-dossiers", stdout=io.StringIO())
    print(f"database: {connection.vendor}; python {sys.version.split()[0]}; cpus {os.cpu_count()}")
    bench_calendar(args.runs)
    bench_lifecycle(args.dossiers, args.runs)


if __name__ == "__main__":
    main()
