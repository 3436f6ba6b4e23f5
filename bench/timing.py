"""Timing helper shared by the benchmark scripts."""

import statistics
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
