"""Benchmark of the reception hall's measures and forecast (queueing.measures, #18) on the configured
database (make bench: a throwaway PostgreSQL). Not named queue.py: bench/ is on its scripts' path, and a
queue.py there would hide the standard library's queue module.

Loads the demo province (its halls: service areas, counters, the roster), generates N weeks of synthetic
tickets for each hall (`motcua generate_tickets`), then prints per area the forecast's error on the last
held-out weeks (WAPE, MAE per area-hour: forecast from the weeks before only) and the counters Erlang C
recommends for tomorrow's busiest hour (the forecast arrivals, the measured mean service time, the area's
target wait), and times the measures page's reads (median of `--runs`).

Usage: python bench/queue_waits.py --weeks 52 [--seed 1] [--runs 5]
"""

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_OUTBOX_DISPATCH", "off")
os.environ.setdefault("MOTCUA_OFFICER_OTP", "0")  # the page read by a signed-in session, no second factor
import django
from timing import median_of  # bench/ is the script's directory

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.core.models import OrgUnit, User  # noqa: E402
from motcua.core.roles import Role  # noqa: E402
from motcua.core.workcalendar import current_calendar  # noqa: E402
from motcua.demo import tickets  # noqa: E402
from motcua.queueing import measures  # noqa: E402
from motcua.queueing.models import ServiceArea, Ticket  # noqa: E402

MEASURED_DAYS = 28  # the page's default period
SLOW_MS = 1000


def halls() -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(service_areas__counter_links__isnull=False).distinct().order_by("path")
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("demo", "--no-dossiers", stdout=io.StringIO())
    print(f"database: {connection.vendor}; python {sys.version.split()[0]}; cpus {os.cpu_count()}")
    units = halls()
    if not units:
        sys.exit("the demo province has no hall with service areas and counters")

    start = time.perf_counter()
    made = sum(tickets.generate(unit=unit, weeks=args.weeks, seed=args.seed) for unit in units)
    spent = time.perf_counter() - start
    print(
        f"generate  {made:>10,} tickets ({args.weeks} weeks, {len(units)} halls) in {spent:.1f} s; "
        f"{Ticket.objects.count():,} in all"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    today = timezone.localdate()
    now = timezone.now()
    cal = current_calendar()
    start_day = today - timedelta(days=MEASURED_DAYS - 1)
    reads: list[tuple[str, Callable[[], object]]] = []
    for unit in units:
        measured = measures.measure(unit=unit, start=start_day, end=today, today=today)
        service = {row.area.pk: row.service.mean for row in measured.by_area}
        plan = measures.plan(unit=unit, today=today, cal=cal, service_minutes=service)
        print(
            f"\n{unit.name}: forecast for {plan.tomorrow:%d/%m/%Y}; "
            f"its error on {measures.HELD_OUT_WEEKS} held-out weeks"
        )
        print(
            f"  {'area':28} {'days':>4} {'arrivals':>8} {'WAPE':>6} {'MAE':>6}  "
            f"{'busiest hour':>12} {'counters':>8}"
        )
        for area in plan.areas:
            e = area.evaluation
            busy = area.busiest
            error = (
                f"{e.held_out_days:>4} {e.arrivals:>8,} {e.wape:>6.1%} {e.mean_absolute_error:>6.2f}"
                if e
                else f"{'—':>29}"
            )
            hour = f"{busy.hour:02d}h ({busy.arrivals:.1f})" if busy else "—"
            counters = busy.counters if busy and busy.counters is not None else "—"
            print(f"  {area.area.name[:28]:28} {error}  {hour:>12} {counters:>8}")
        areas = list(ServiceArea.objects.filter(unit=unit, is_active=True))
        reads += [
            (
                f"{unit.code} measures ({MEASURED_DAYS} days)",
                lambda u=unit: measures.measure(unit=u, start=start_day, end=today, today=today),
            ),
            (
                f"{unit.code} forecast, error, counters (computed)",
                lambda u=unit, s=service: (
                    cache.clear(),
                    measures.plan(unit=u, today=today, cal=cal, service_minutes=s),
                ),
            ),
            (
                f"{unit.code} forecast, error, counters (cached)",
                lambda u=unit, s=service: measures.plan(unit=u, today=today, cal=cal, service_minutes=s),
            ),
            (f"{unit.code} expected waits now", lambda a=areas: measures.expected_waits(a, now=now)),
        ]
        head = User.objects.filter(role=Role.CENTER_ADMIN, org_unit=unit).first()
        head = head or User.objects.filter(role=Role.UNIT_LEADER, org_unit=unit).first()
        if head is not None:
            client = Client()
            client.force_login(head)

            def page(c: Client = client, u: OrgUnit = unit) -> None:
                response = c.get("/xep-hang/quay/do-luong/", {"unit": u.pk})
                assert response.status_code == 200, response.status_code

            reads.append((f"{unit.code} measures page (GET, forecast cached)", page))

    print(f"\n{'read':60} {'median ms':>10}")
    for label, read in reads:
        read()  # warm
        ms = median_of(args.runs, read) * 1000
        flag = "" if ms < SLOW_MS else "  SLOW"
        print(f"{label:60} {ms:10.1f}{flag}")


if __name__ == "__main__":
    main()
