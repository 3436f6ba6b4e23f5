"""The load scenario of `make bench` (#12): locust against the production shape, bounded in time.

    MOTCUA_OFFICER_OTP=0 scripts/production-shape -- .venv/bin/python bench/load.py \
        [--users 30] [--spawn-rate 3] [--seconds 60] [--boards 4] [--dossiers 5000] [--json PATH]

Inside the shape (MOTCUA_URL is its nginx, DATABASE_URL its PostgreSQL): `motcua generate` first adds
--dossiers synthetic dossiers of history to the demo province, so that lists, tracking and statistics read
tables that are not nearly empty; the fixtures of bench/locustfile.py are read from the database (demo
accounts, dossier codes with their applicant's ID number, procedures, the units of the counter officers'
boards); then locust runs headless as a subprocess (it patches the standard library with gevent: never in
this Django process) for --seconds with --users users, --boards of them display boards.

Prints, a page: requests, p50, p95, p99 (ms, as locust rounds them) and errors; the totals; what the users
did (acts, conflicts, dossiers received, board events); the outbox's messages of the run and their lag; the
web and outbox worker counts. Exits 1 when a request failed, after printing the failures.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ["LOG_LEVEL"] = "WARNING"  # this process and generate only read and write rows
if not os.environ.get("MOTCUA_URL") or not os.environ.get("DATABASE_URL"):
    sys.exit(
        "bench/load.py runs inside the production shape: scripts/production-shape -- python bench/load.py"
    )
import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.backoffice.selectors import WORK_LISTS, receivable_procedures  # noqa: E402
from motcua.catalog.models import Procedure  # noqa: E402
from motcua.core.models import User  # noqa: E402
from motcua.core.roles import OFFICER_ROLES, Role  # noqa: E402
from motcua.demo.org import DEMO_PASSWORD, DEMO_USERS  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.outbox.models import OutboxMessage  # noqa: E402

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
# What citizens type in the catalogue's search box, with and without diacritics.
SEARCHES = ["khai sinh", "tạm trú", "dat dai", "lý lịch tư pháp", "ket hon", "doanh nghiệp", "chứng thực"]
TRACKING_PAIRS = 2000
OUTBOX_DRAIN_SECONDS = 15
NAME = 30  # width of the page column


def generate(dossiers: int) -> None:
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "motcua"), "generate", "--dossiers", str(dossiers)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print(f"generated {dossiers:,} dossiers of history in {time.perf_counter() - started:.0f} s")


def fixtures() -> dict:
    """What the locust users need to know of the demo province: accounts, codes, units."""
    # Officers (the superuser aside): counter officers first, so that the fewest officers still receive
    # dossiers; the center's administrator (the whole province's lists) last.
    officers = [u for u in DEMO_USERS if u.role in OFFICER_ROLES and u.username != "admin"]
    officers.sort(key=lambda u: (u.role != Role.COUNTER_OFFICER, u.role == Role.CENTER_ADMIN))
    counters = User.objects.filter(username__in=[u.username for u in officers], role=Role.COUNTER_OFFICER)
    pairs = Dossier.objects.exclude(applicant_id_number="").order_by("?")[:TRACKING_PAIRS]
    return {
        "password": DEMO_PASSWORD,
        "officers": [{"username": u.username, "counter": u.role == Role.COUNTER_OFFICER} for u in officers],
        "receivable": {u.username: [p.code for p in receivable_procedures(u)] for u in counters},
        "work_lists": [w.name for w in WORK_LISTS],
        "tracking": list(pairs.values_list("code", "applicant_id_number")),
        "procedures": list(Procedure.objects.filter(is_published=True).values_list("code", flat=True)),
        "searches": SEARCHES,
        "boards": sorted({u.org_unit.code for u in counters.select_related("org_unit")}),
    }


def run_locust(args: argparse.Namespace, workdir: Path) -> tuple[Path, dict]:
    """locust headless for args.seconds; the prefix of its CSV files and the users' outcomes."""
    env = os.environ | {
        "MOTCUA_LOAD_FIXTURES": str(workdir / "fixtures.json"),
        "MOTCUA_LOAD_OUTCOMES": str(workdir / "outcomes.json"),
        "MOTCUA_LOAD_BOARDS": str(args.boards),
    }
    prefix = workdir / "locust"
    command = [str(BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless"]
    command += ["-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s"]
    command += ["--host", os.environ["MOTCUA_URL"], "--csv", str(prefix), "--only-summary"]
    log = workdir / "locust.log"
    with log.open("w") as out:
        try:
            subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=args.seconds + 120)
        except subprocess.TimeoutExpired:
            sys.exit(f"locust ran past {args.seconds + 120} s:\n{log.read_text()[-3000:]}")
    text = log.read_text()
    if not Path(f"{prefix}_stats.csv").exists():
        sys.exit(f"locust did not run:\n{text[-3000:]}")
    for line in text.splitlines():
        if "CPU usage" in line:  # locust itself saturated: the percentiles include its own delays
            print(f"! {line.strip()}")
    outcomes = workdir / "outcomes.json"
    return prefix, json.loads(outcomes.read_text()) if outcomes.exists() else {}


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        {
            "page": "total" if row["Name"] == "Aggregated" else row["Name"],
            "requests": int(row["Request Count"]),
            "p50": _ms(row["50%"]),
            "p95": _ms(row["95%"]),
            "p99": _ms(row["99%"]),
            "errors": int(row["Failure Count"]),
        }
        for row in rows
    ]


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def read_failures(prefix: Path) -> list[tuple[str, str, int]]:
    """(page, error, count) of the failed requests, then ("exception", where, count) of the errors raised
    in the users' own code (a page that could not be read as expected)."""
    with open(f"{prefix}_failures.csv", newline="") as f:
        failed = [(row["Name"], row["Error"], int(row["Occurrences"])) for row in csv.DictReader(f)]
    with open(f"{prefix}_exceptions.csv", newline="") as f:
        raised = [("exception", _where(row), int(row["Count"])) for row in csv.DictReader(f)]
    return failed + raised


def _where(row: dict) -> str:
    """An exception's message and the last frame of its traceback."""
    frames = [line.strip() for line in row["Traceback"].splitlines() if line.strip().startswith("File ")]
    return f"{row['Message']} ({frames[-1]})" if frames else row["Message"]


def outbox_since(started) -> dict:
    """The outbox messages written since `started`: how many, how many still pending after up to
    OUTBOX_DRAIN_SECONDS, and the lag (created → dispatched) of the dispatched ones."""
    messages = OutboxMessage.objects.filter(created_at__gte=started)
    deadline = time.monotonic() + OUTBOX_DRAIN_SECONDS
    while messages.filter(dispatched_at__isnull=True).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    lags = [
        (dispatched - created).total_seconds() * 1000
        for created, dispatched in messages.filter(dispatched_at__isnull=False).values_list(
            "created_at", "dispatched_at"
        )
    ]
    pending = messages.filter(dispatched_at__isnull=True)
    return {
        "written": messages.count(),
        "pending": pending.count(),
        "failing": pending.filter(attempts__gt=0).count(),
        "lag_p50": statistics.median(lags) if lags else None,
        "lag_p95": statistics.quantiles(lags, n=20)[-1] if len(lags) > 1 else None,
    }


def workers() -> tuple[str, str]:
    """The shape's web workers (it exports MOTCUA_WEB_WORKERS) and outbox workers (one log file each)."""
    shape = os.environ.get("MOTCUA_SHAPE_DIR")
    outbox = len(list(Path(shape, "logs").glob("outbox-*.log"))) if shape else 0
    return os.environ.get("MOTCUA_WEB_WORKERS", "?"), str(outbox) if shape else "?"


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def report(args: argparse.Namespace, rows: list[dict], outcomes: dict, outbox: dict) -> None:
    web, outboxes = workers()
    users = outcomes.get("users", {})
    split = ", ".join(f"{count} {name}s" for name, count in sorted(users.items()))
    print(
        f"\n{args.seconds} s, {args.users} users ({split}) on {os.environ['MOTCUA_URL']}; "
        f"{web} web workers (gunicorn + uvicorn), {outboxes} outbox workers; {os.cpu_count()} cores"
    )
    print(f"{'page':<{NAME}} {'requests':>8} {'p50':>6} {'p95':>6} {'p99':>6}  ms  {'errors':>6}")
    for row in rows:
        if row["page"] == "total":
            print("-" * (NAME + 44))
        print(
            f"{row['page']:<{NAME}} {row['requests']:>8} {fmt(row['p50']):>6} {fmt(row['p95']):>6} "
            f"{fmt(row['p99']):>6}      {row['errors']:>6}"
        )
    done = ", ".join(f"{count} {name}" for name, count in sorted(outcomes.items()) if name != "users")
    print(f"users did: {done}")
    print(
        f"outbox: {outbox['written']} messages written during the run, {outbox['pending']} pending "
        f"{OUTBOX_DRAIN_SECONDS} s after it ({outbox['failing']} of them retrying after a failure); "
        f"lag to dispatch p50 {fmt(outbox['lag_p50'])} ms, p95 {fmt(outbox['lag_p95'])} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=3, help="users started a second")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--boards", type=int, default=4, help="display boards among the users")
    parser.add_argument("--dossiers", type=int, default=5000, help="synthetic history first (0: none)")
    parser.add_argument("--json", type=Path, help="also write the table and the outcomes here")
    args = parser.parse_args()
    if args.boards >= args.users:
        parser.error("--boards must leave users for officers and citizens")

    if args.dossiers:
        generate(args.dossiers)
    with tempfile.TemporaryDirectory(prefix="motcua-load-") as tmp:
        workdir = Path(tmp)
        (workdir / "fixtures.json").write_text(json.dumps(fixtures(), ensure_ascii=False), encoding="utf-8")
        connection.close()  # nothing held open on the database while the load runs
        started = timezone.now() - timedelta(seconds=1)
        prefix, outcomes = run_locust(args, workdir)
        rows = read_stats(prefix)
        failures = read_failures(prefix)
    outbox = outbox_since(started)
    report(args, rows, outcomes, outbox)
    if args.json:
        summary = {"rows": rows, "outcomes": outcomes, "outbox": outbox, "workers": workers()}
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    errors = sum(row["errors"] for row in rows if row["page"] == "total")
    errors += sum(count for name, _, count in failures if name == "exception")
    if errors:
        print(f"\n{errors} errors (failed requests, exceptions in the users' code):")
        for name, error, count in failures:
            print(f"  {count:>5} × {name}: {error}")
        sys.exit(1)


if __name__ == "__main__":
    main()
