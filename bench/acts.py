"""Act throughput beside pgbench on the same PostgreSQL, in one run (issue #11).

1. pgbench on the configured cluster, in its own database `pgbench` (initialised at `--scale`, dropped
   afterwards): tpcb-like with 1 and 4 clients, select-only with 4 clients.
2. The acts of motcua's services on the demo province: journeys of six acts (receive, start_processing,
   complete_step, approve, issue_result, return_result) for `--seconds`, with 1 and with 4 processes (each
   its own connection, its own applicants and reception days), each twice: without side effects (the outbox
   left pending, then discarded) and with them (then the outbox drained by the same number of processes with
   `outbox.services.dispatch_pending()` until it returns 0). The signed e-results are drained after the rest
   and reported apart: they are kept off the act's path.
3. A short single-process sample with every statement captured: SQL statements and time of each act, and
   of the side effects each act leaves.

acts/s counts service calls. Goals (#11): acts/s ≥ 30 % of pgbench tpcb-like TPS at the same number of
clients; side effects per act ≤ the act's own cost.

Usage: python bench/acts.py [--seconds 8] [--pgbench-seconds 15] [--scale 10] [--sample 5]
"""

import argparse
import atexit
import io
import logging
import multiprocessing
import os
import queue
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ["MOTCUA_OUTBOX_DISPATCH"] = "off"  # the bench drains the outbox itself, and times it
os.environ.setdefault("LOG_LEVEL", "WARNING")  # notifications are logged at INFO: not in the table
if "MOTCUA_VAR_DIR" not in os.environ:  # signed e-results and the demo PKI: a directory of this run only
    os.environ["MOTCUA_VAR_DIR"] = tempfile.mkdtemp(prefix="motcua-bench-acts-")
    atexit.register(shutil.rmtree, os.environ["MOTCUA_VAR_DIR"], ignore_errors=True)
import django
from pgbench import run_pgbench  # bench/ is the script's directory
from timing import goal

django.setup()
# A failing handler logs its traceback; the bench counts and shows the failures itself (failed_messages).
logging.getLogger("motcua.outbox.services").setLevel(logging.CRITICAL)

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.catalog.models import Procedure  # noqa: E402
from motcua.core.models import User  # noqa: E402
from motcua.documents.results import ISSUE_ELECTRONIC_RESULT  # noqa: E402
from motcua.dossiers import services  # noqa: E402
from motcua.dossiers.models import Channel  # noqa: E402
from motcua.outbox.models import OutboxMessage  # noqa: E402
from motcua.outbox.services import dispatch_pending  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ACTS = ("receive", "start_processing", "complete_step", "approve", "issue_result", "return_result")
PROCEDURE = "1.004873"  # marital status: counter → commune specialist → commune leader
GOAL_OF_PGBENCH = 0.30
# Each worker of each run receives on its own days (the dossier code sequence is per unit and day) with its
# own applicants: slot k starts on the k-th Monday after this one, one journey a minute.
FIRST_MONDAY = datetime(2026, 3, 2, 7, 30, tzinfo=TZ)


# --- the journey -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    procedure: Procedure
    components: list[services.ProvidedComponent]
    counter: User
    specialist: User
    leader: User


def load_cast() -> Cast:
    procedure = Procedure.objects.get(code=PROCEDURE)
    return Cast(
        procedure=procedure,
        components=[services.ProvidedComponent(c.pk) for c in procedure.components.all()],
        counter=User.objects.get(username="tiepnhan.thanhvinh"),
        specialist=User.objects.get(username="chuyenvien.thanhvinh"),
        leader=User.objects.get(username="lanhdao.thanhvinh"),
    )


@dataclass
class Timer:
    """Calls and seconds per act; `measure` runs one service call and records it."""

    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)

    def measure(self, name: str, func: Callable[..., Any], **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = func(**kwargs)
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
        self.calls[name] = self.calls.get(name, 0) + 1
        return result


def journey(cast: Cast, *, slot: int, number: int, measure: Callable[..., Any]) -> None:
    """One dossier from the counter to its returned result: six service calls."""
    now = FIRST_MONDAY + timedelta(weeks=slot, minutes=number)
    intake = services.Intake(
        procedure=cast.procedure,
        applicant=services.Applicant(
            kind="citizen", name=f"Công dân {slot}-{number}", id_number=f"{slot:03d}{number:09d}"
        ),
        receiving_unit=cast.counter.org_unit,
        components=cast.components,
    )
    d = measure(
        "receive", services.receive, intake=intake, channel=Channel.COUNTER, acting_user=cast.counter, now=now
    )
    for name, actor in (
        ("start_processing", cast.counter),
        ("complete_step", cast.specialist),
        ("approve", cast.leader),
        ("issue_result", cast.leader),
        ("return_result", cast.counter),
    ):
        d = measure(name, getattr(services, name), dossier=d, acting_user=actor, now=now)


# --- processes -------------------------------------------------------------------------------------------


def in_processes(count: int, work: Callable[[int], dict]) -> tuple[list[dict], float, float]:
    """Run `work(index)` in `count` forked processes started together; their results, the wall time from
    the first start to the last end, and how many of the database's backends waited for a lock, on average
    over samples taken meanwhile. Each process opens its own database connection."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(count), context.Queue()

    def child(index: int) -> None:
        try:
            connections.close_all()  # nothing inherited (the parent closed its own before forking)
            User.objects.exists()  # connect before the start
            barrier.wait(timeout=120)
            started = time.monotonic()
            outcome = work(index)
            results.put(outcome | {"started": started, "ended": time.monotonic()})
        except BaseException as exc:  # the parent waits for every result: always send one
            results.put({"failed": repr(exc)[:500]})
            raise
        finally:
            connections.close_all()

    connections.close_all()
    processes = [context.Process(target=child, args=(i,)) for i in range(count)]
    for p in processes:
        p.start()
    outcomes: list[dict] = []
    waiting: list[int] = []
    while len(outcomes) < count:
        try:
            outcomes.append(results.get(timeout=0.2))
        except queue.Empty:
            if not any(p.is_alive() for p in processes) and results.empty():
                sys.exit("a bench process died without a word")
            waiting.append(backends_waiting_for_a_lock())
    connections.close_all()
    for p in processes:
        p.join()
    if failures := [o["failed"] for o in outcomes if "failed" in o]:
        sys.exit(f"a bench process failed: {failures[0]}")
    wall = max(o["ended"] for o in outcomes) - min(o["started"] for o in outcomes)
    return outcomes, wall, statistics.mean(waiting) if waiting else 0.0


def backends_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def acts_for(cast: Cast, seconds: float, first_slot: int) -> Callable[[int], dict]:
    def work(index: int) -> dict:
        timer, errors, first_error, number = Timer(), 0, "", 0
        end_by = time.monotonic() + seconds
        while time.monotonic() < end_by:
            number += 1
            try:
                journey(cast, slot=first_slot + index, number=number, measure=timer.measure)
            except Exception as exc:  # counted and shown: a failing act must not stop the bench
                errors += 1
                first_error = first_error or repr(exc)[:300]
        return {"calls": timer.calls, "seconds": timer.seconds, "errors": errors, "first_error": first_error}

    return work


def drain(index: int) -> dict:
    handled = 0
    while (done := dispatch_pending()) > 0:
        handled += done
    return {"handled": handled}


def pending() -> Any:
    return OutboxMessage.objects.filter(dispatched_at__isnull=True)


def hold_results() -> int:
    """Keep the e-result messages aside (drained after the rest and reported apart); how many."""
    return (
        pending()
        .filter(topic=ISSUE_ELECTRONIC_RESULT)
        .update(available_at=timezone.now() + timedelta(days=1))
    )


def release_results() -> None:
    pending().filter(topic=ISSUE_ELECTRONIC_RESULT, attempts=0).update(available_at=timezone.now())


def failed_messages() -> list[str]:
    """Messages a handler failed on (left pending with their error), by topic."""
    rows = pending().exclude(last_error="").values_list("topic", "last_error")
    by_topic: dict[str, list[str]] = {}
    for topic, error in rows:
        by_topic.setdefault(topic, []).append(error)
    return [f"{topic}: {len(errors)} failed, e.g. {errors[0][:200]}" for topic, errors in by_topic.items()]


# --- runs ------------------------------------------------------------------------------------------------


@dataclass
class Run:
    processes: int
    side_effects: bool
    acts: int = 0
    act_wall: float = 0.0
    drain_wall: float | None = None
    handled: int = 0
    results: int = 0
    results_wall: float | None = None
    errors: int = 0
    act_waits: float = 0.0  # backends waiting for a lock, on average while the acts ran
    drain_waits: float = 0.0
    per_act: dict[str, float] = field(default_factory=dict)  # seconds per call, by act

    @property
    def acts_per_s(self) -> float:
        return self.acts / self.act_wall

    @property
    def ms_per_act(self) -> float:
        """Time an act takes in its process (wall time × processes ÷ acts)."""
        return self.act_wall * self.processes / self.acts * 1000

    @property
    def drain_ms_per_act(self) -> float:
        return (self.drain_wall or 0.0) * self.processes / self.acts * 1000

    @property
    def end_to_end(self) -> float:
        return self.acts / (self.act_wall + (self.drain_wall or 0.0))


def measure_run(cast: Cast, *, processes: int, side_effects: bool, seconds: float, first_slot: int) -> Run:
    pending().delete()  # what an earlier run left is not this run's work
    outcomes, act_wall, act_waits = in_processes(processes, acts_for(cast, seconds, first_slot))
    run = Run(processes, side_effects, act_wall=act_wall, act_waits=act_waits)
    run.acts = sum(sum(o["calls"].values()) for o in outcomes)
    run.errors = sum(o["errors"] for o in outcomes)
    for name in ACTS:
        calls = sum(o["calls"].get(name, 0) for o in outcomes)
        run.per_act[name] = sum(o["seconds"].get(name, 0.0) for o in outcomes) / max(calls, 1)
    for error in {o["first_error"] for o in outcomes if o["first_error"]}:
        print(f"  ! act failed: {error}")
    if side_effects:
        run.results = hold_results()
        drained, run.drain_wall, run.drain_waits = in_processes(processes, drain)
        run.handled = sum(o["handled"] for o in drained)
        if run.results:
            release_results()
            _, run.results_wall, _ = in_processes(processes, drain)
        for line in failed_messages():
            print(f"  ! outbox: {line}")
    return run


# --- the statement sample --------------------------------------------------------------------------------


@dataclass
class Sample:
    statements: dict[str, float]  # median per call, by act
    acts: int
    messages: int
    drain_statements: int
    drain_ms: float
    results: int
    results_statements: int
    results_ms: float


def captured(func: Callable[..., Any], **kwargs: Any) -> tuple[Any, int, float]:
    """`func(**kwargs)`, the statements it ran and its milliseconds (capturing slows it a little)."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = func(**kwargs)
        ms = (time.perf_counter() - started) * 1000
    return result, len(queries), ms


def sample_statements(cast: Cast, journeys: int, slot: int) -> Sample:
    """A few journeys in this process with every statement captured (one warm-up journey first)."""
    journey(cast, slot=slot, number=0, measure=Timer().measure)
    pending().delete()
    counts: dict[str, list[int]] = {name: [] for name in ACTS}

    def measure(name: str, func: Callable[..., Any], **kwargs: Any) -> Any:
        result, statements, _ = captured(func, **kwargs)
        counts[name].append(statements)
        return result

    for number in range(1, journeys + 1):
        journey(cast, slot=slot, number=number, measure=measure)
    messages = pending().count()
    results = hold_results()
    _, drain_statements, drain_ms = captured(drain, index=0)
    release_results()
    _, results_statements, results_ms = captured(drain, index=0)
    for line in failed_messages():
        print(f"  ! outbox: {line}")
    return Sample(
        statements={name: statistics.median(c) for name, c in counts.items()},
        acts=journeys * len(ACTS),
        messages=messages,
        drain_statements=drain_statements,
        drain_ms=drain_ms,
        results=results,
        results_statements=results_statements,
        results_ms=results_ms,
    )


# --- the report ------------------------------------------------------------------------------------------


def print_sample(sample: Sample, one: Run) -> None:
    print(
        "\nPer act (1 process: ms from the run without side effects; "
        f"statements from {sample.acts} acts captured)"
    )
    print(f"  {'act':18} {'ms/act':>8} {'statements':>11}")
    for name in ACTS:
        print(f"  {name:18} {one.per_act[name] * 1000:8.1f} {sample.statements[name]:11.0f}")
    print(
        f"  {'all acts':18} {one.ms_per_act:8.1f} "
        f"{sum(sample.statements.values()) / len(ACTS):11.1f}  (average)"
    )
    per_act = sample.acts or 1
    print(
        f"  side effects: {sample.messages / per_act:.1f} outbox messages, "
        f"{sample.drain_statements / per_act:.1f} statements, {sample.drain_ms / per_act:.1f} ms per act "
        "(e-results apart; captured)"
    )
    if sample.results:
        print(
            f"  e-result: {sample.results_statements / sample.results:.0f} statements, "
            f"{sample.results_ms / sample.results:.0f} ms per result rendered and signed (captured)"
        )
    else:
        print("  e-result: no separate outbox message (its cost, if any, is in the side effects)")


def print_runs(runs: list[Run], tpcb: dict[int, float]) -> None:
    print(
        "\nActs (journeys of 6 acts; acts/s = service calls per second; "
        "ratio = acts/s ÷ pgbench tpcb-like TPS at the same number of clients)"
    )
    print(
        f"  {'run':28} {'procs':>5} {'acts':>6} {'acts/s':>8} {'ms/act':>7} {'÷ tpcb':>7}  {'goal ≥ 30 %':14}"
        f" {'drain ms/act':>12} {'side ÷ act':>10}  {'goal ≤ 1':14} {'e2e acts/s':>10}"
    )
    for run in runs:
        ratio = run.acts_per_s / tpcb[run.processes]
        label = "acts + side effects" if run.side_effects else "acts only (outbox pending)"
        line = (
            f"  {label:28} {run.processes:5} "
            f"{run.acts:6} {run.acts_per_s:8.1f} {run.ms_per_act:7.1f} {ratio:7.1%}  "
            f"{goal(ratio >= GOAL_OF_PGBENCH):14}"
        )
        if run.side_effects:
            side = run.drain_wall / run.act_wall
            line += f" {run.drain_ms_per_act:12.1f} {side:10.2f}  {goal(side <= 1):14} {run.end_to_end:10.1f}"
        print(line.rstrip() + (f"  ({run.errors} journeys failed)" if run.errors else ""))
    print("  notes (lock waits: the database's backends waiting for a lock, on average over samples):")
    for run in runs:
        note = f"  - {run.processes} × {'acts + side effects' if run.side_effects else 'acts only'}: "
        note += f"{run.act_waits:.2f} waiting for a lock during the acts"
        if run.side_effects:
            note += (
                f"; drained {run.handled} outbox messages ({run.handled / run.acts:.2f} per act) in "
                f"{run.drain_wall:.1f} s, {run.drain_waits:.2f} waiting"
            )
        if run.results:
            each = run.results_wall * run.processes / run.results * 1000
            note += (
                f"; {run.results} e-results rendered and signed, {each:.0f} ms each (apart, not in the ratio)"
            )
        print(note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="acts per run, seconds")
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    parser.add_argument("--scale", type=int, default=10, help="pgbench -i -s")
    parser.add_argument("--sample", type=int, default=5, help="journeys with statements captured")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/acts.py compares with pgbench: set DATABASE_URL to PostgreSQL (scripts/with-postgres)"
        )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"PostgreSQL {version} at {connection.get_connection_params().get('host') or 'localhost'}; "
        f"python {sys.version.split()[0]}; cpus {os.cpu_count()}"
    )
    pgbench = run_pgbench(args.pgbench_seconds, args.scale)
    tpcb = {r.clients: r.tps for r in pgbench if r.label == "tpcb-like"}

    call_command("migrate", verbosity=0)
    call_command("demo", "--no-dossiers", stdout=io.StringIO())
    cast = load_cast()
    sample = sample_statements(cast, args.sample, slot=0)
    runs, slot = [], 1
    for processes in (1, 4):
        for side_effects in (False, True):
            runs.append(
                measure_run(
                    cast,
                    processes=processes,
                    side_effects=side_effects,
                    seconds=args.seconds,
                    first_slot=slot,
                )
            )
            slot += processes
    print_sample(sample, runs[0])
    print_runs(runs, tpcb)
    print(f"\nacts.py took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
