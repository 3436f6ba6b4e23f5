"""pgbench on the configured PostgreSQL server, in its own database `pgbench` (created, then dropped).

Runs tpcb-like with 1 and 4 clients and select-only with 4 clients at a small scale, so that the project's
throughput can be read as a share of what the same cluster does for the simplest transactions.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection


@dataclass(frozen=True)
class PgbenchResult:
    label: str
    clients: int
    tps: float
    latency_ms: float


def pgbench_binary() -> str:
    found = os.environ.get("PGBENCH") or shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        sys.exit("pgbench not found (apt-get install postgresql, or set PGBENCH)")
    return str(candidates[-1])


def pgbench_env() -> dict[str, str]:
    """libpq's variables for the configured database's server (host, port, user), database `pgbench`."""
    params = connection.get_connection_params()
    env = dict(os.environ, PGDATABASE="pgbench")
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    return env


def run_pgbench(seconds: int, scale: int) -> list[PgbenchResult]:
    binary, env = pgbench_binary(), pgbench_env()
    with connection.cursor() as cursor:  # autocommit: CREATE DATABASE cannot run in a transaction
        cursor.execute("DROP DATABASE IF EXISTS pgbench")
        cursor.execute("CREATE DATABASE pgbench")
    results = []
    try:
        started = time.perf_counter()
        subprocess.run([binary, "-i", "-q", "-s", str(scale)], env=env, check=True, capture_output=True)
        print(f"pgbench -i -s {scale}: {time.perf_counter() - started:.1f} s; then {seconds} s a run")
        for label, clients, extra in (
            ("tpcb-like", 1, []),
            ("tpcb-like", 4, []),
            ("select-only", 4, ["-S"]),
        ):
            jobs = min(clients, os.cpu_count() or 1)
            out = subprocess.run(
                [binary, "-c", str(clients), "-j", str(jobs), "-T", str(seconds), *extra],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            tps = float(re.search(r"^tps = ([\d.]+)", out, re.M).group(1))
            latency = float(re.search(r"^latency average = ([\d.]+) ms", out, re.M).group(1))
            results.append(PgbenchResult(label, clients, tps, latency))
            print(
                f"  {label:12} {clients} client{'s' if clients > 1 else ' '} "
                f"{tps:10,.0f} TPS  {latency:6.2f} ms"
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS pgbench")
    return results
