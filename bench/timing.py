"""The one timing rule of the benchmarks: best and median of repeated runs (machines here are noisy)."""

from __future__ import annotations

import statistics
import time


def best_and_median(fn, repeat: int) -> tuple[float, float]:
    """Seconds: the best run (least disturbed) and the median run of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)
