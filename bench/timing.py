"""Timing helpers shared by the benchmark scripts, and how they report a failed check."""

import logging
import math
import os
import statistics
import sys
import time
from collections.abc import Callable


def median_of(runs: int, func: Callable[[], object]) -> float:
    """The median wall-clock time of `runs` calls of `func`, in seconds."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of `values` (fraction 0.5: the median, 0.99: p99); 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def goal(met: bool) -> str:
    return "goal met" if met else "goal NOT met"


def fail(message: str) -> None:
    """A benchmark's check did not hold: say so and exit non-zero (`make bench` stops)."""
    print(f"\nFAILED: {message}", flush=True)
    sys.exit(1)


def quiet_audit_log() -> None:
    """The audit records still formatted as in production, but not onto the terminal (one an act)."""
    audit = logging.getLogger("motcua.audit")
    sink = open(os.devnull, "w")  # noqa: SIM115 (open for the process's life)
    for handler in logging.getLogger().handlers:
        quiet = logging.StreamHandler(sink)
        quiet.setFormatter(handler.formatter)
        audit.addHandler(quiet)
    audit.propagate = False
