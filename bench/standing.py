"""Benchmark of `standing`'s page (/chi-so-tinh/) on the configured database (make bench: a throwaway
PostgreSQL).

Generates N synthetic dossiers on the demo province (`motcua generate`), rebuilds the statistics, then
times the page's reads (median of `--runs`): the province's four computed measures, the units that drag
them down, and the whole page rendered for the centre's administrator (Django's test client, no HTTP
server), with the number of SQL statements of each.

Usage: python bench/standing.py --dossiers 20000 [--seed 1] [--runs 5] [--since 2025-01-01]
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
os.environ.setdefault("MOTCUA_OFFICER_OTP", "0")  # the page is read with a session made here, no login form
os.environ.setdefault("LOG_LEVEL", "WARNING")
import django
from timing import median_of  # bench/ is the script's directory

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.core.models import OrgUnit, User  # noqa: E402
from motcua.core.roles import Role  # noqa: E402
from motcua.demo import synthetic  # noqa: E402
from motcua.quality import services  # noqa: E402
from motcua.standing import selectors  # noqa: E402


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
    print(f"generate  {made:>12,} dossiers {generated:10.1f} s  ({made / generated:,.0f} dossiers/s)")
    start = time.perf_counter()
    summary = services.rebuild()
    print(f"rebuild   {summary.facts:>12,} facts    {time.perf_counter() - start:10.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    y = timezone.localdate().year
    print(f"units: {OrgUnit.objects.count()}; year {y}")
    admin = User.objects.filter(role=Role.CENTER_ADMIN, is_active=True).order_by("pk").first()
    assert admin is not None, "the demo has no centre administrator"
    client = Client()
    client.force_login(admin)
    url = reverse("standing:overview")

    def page() -> None:
        response = client.get(url, {"year": y})
        assert response.status_code == 200, response.status_code

    reads = [
        ("province's measures", lambda: selectors.province_rates(y)),
        ("drag-down (units)", lambda: selectors.drag_down(y, province=selectors.province_rates(y))),
        ("whole page (rendered)", page),
    ]
    print(f"\n{'read':26} {'queries':>8} {'median ms':>10}   (over {made:,} dossiers, median of {args.runs})")
    for name, func in reads:
        with CaptureQueriesContext(connection) as queries:
            func()  # warm the cache once, as a page in use is; and count its statements
        print(f"{name:26} {len(queries):8} {median_of(args.runs, func) * 1000:10.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
