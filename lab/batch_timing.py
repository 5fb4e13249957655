"""Time per update and per epoch vs batch size: measured live on this CPU, and the H200 measurement.

The live model is MNIST-shaped (60,000 examples of 784 inputs, 10 classes), an
MLP 784-HIDDEN-10 in float32 with ReLU, softmax cross-entropy and an SGD step,
vectorized over the batch. The values are random: the time does not depend on
them. Batches are gathered by index from a pool of 10,000 rows (the largest
batch) rather than 60,000, to keep 150 MB out of the server; an epoch still
counts 60,000 examples. The time per epoch is updates per epoch x the median
time per update, as in the H200 file.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

N_EXAMPLES, N_INPUTS, N_CLASSES = 60_000, 784, 10
HIDDEN = 128
BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
THREADS = (1, None)  # one BLAS thread (no parallelism), then every core the process may use
BUDGET_S = 0.2  # timed updates per batch size stop after about this long (at least MIN_REPEATS)
MIN_REPEATS, MAX_REPEATS = 3, 50
GPU_CSV = Path(__file__).resolve().parents[1] / "data" / "gpu_batch_timing_h200.csv"
GPU_MEASURED_ON = "2026-11-26"  # data/README.md


@dataclass(frozen=True)
class Timing:
    """One device's curve: batch sizes, median ms per update (with 10th/90th percentiles) and s per epoch."""

    device: str
    date: str
    model: str
    batch_sizes: tuple[int, ...]
    ms_per_update: tuple[float, ...]
    ms_p10: tuple[float, ...]
    ms_p90: tuple[float, ...]
    s_per_epoch: tuple[float, ...]
    machine: tuple[tuple[str, str], ...] = ()  # what it ran on, as (name, value) pairs

    @property
    def label(self) -> str:
        return f"{self.device}, {self.date}"


@dataclass(frozen=True)
class Progress:
    """A sweep's state: ``done`` of ``total`` measurements, then the curves (one per thread count)."""

    done: int
    total: int
    result: tuple[Timing, ...] | None = None


def updates_per_epoch(batch_size: int, n: int = N_EXAMPLES) -> int:
    return math.ceil(n / batch_size)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _blas() -> str:
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # the layout of show_config is NumPy's, not ours
        return "unknown"


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _blas_threads() -> str:
    pools = [f"{p['internal_api']} {p['num_threads']}" for p in threadpool_info() if p.get("user_api") == "blas"]
    return ", ".join(pools) or "none found"


def machine_info() -> tuple[tuple[str, str], ...]:
    """Where the live numbers come from: CPU model, cores, BLAS, NumPy, OS, load at the time."""
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (
        ("CPU", _cpu_model()),
        ("cores usable", str(usable_cores())),
        ("BLAS", _blas()),
        ("BLAS threads by default", _blas_threads()),
        ("NumPy", np.__version__),
        ("platform", platform.platform()),
        ("load average (1, 5, 15 min)", load),
    )


class _MLP:
    """784-HIDDEN-10, ReLU, softmax cross-entropy; ``update`` is forward, backward and an SGD step."""

    def __init__(self, hidden: int, rng: np.random.Generator, pool: int):
        f32 = np.float32
        self.w1 = (rng.standard_normal((N_INPUTS, hidden), dtype=f32) / np.sqrt(N_INPUTS)).astype(f32)
        self.b1 = np.zeros(hidden, f32)
        self.w2 = (rng.standard_normal((hidden, N_CLASSES), dtype=f32) / np.sqrt(hidden)).astype(f32)
        self.b2 = np.zeros(N_CLASSES, f32)
        self.x = rng.standard_normal((pool, N_INPUTS), dtype=f32)
        self.y = rng.integers(0, N_CLASSES, pool)

    def update(self, idx: np.ndarray, lr: float = 0.01) -> None:
        x, y, b = self.x[idx], self.y[idx], len(idx)
        h = x @ self.w1 + self.b1
        np.maximum(h, 0, out=h)
        z = h @ self.w2 + self.b2
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(b), y] -= 1.0  # d(mean cross-entropy)/dz, times b
        p /= b
        dh = p @ self.w2.T
        dh *= h > 0
        self.w2 -= lr * (h.T @ p)
        self.b2 -= lr * p.sum(axis=0)
        self.w1 -= lr * (x.T @ dh)
        self.b1 -= lr * dh.sum(axis=0)


def _time_updates(model: _MLP, batch_size: int, rng: np.random.Generator) -> list[float]:
    """Milliseconds of single updates after one warm-up, until BUDGET_S or MAX_REPEATS."""
    idx = rng.integers(0, len(model.x), batch_size)
    model.update(idx)
    times: list[float] = []
    spent = 0.0
    while len(times) < MIN_REPEATS or (spent < BUDGET_S and len(times) < MAX_REPEATS):
        t0 = time.perf_counter()
        model.update(idx)
        dt_s = time.perf_counter() - t0
        times.append(dt_s * 1e3)
        spent += dt_s
    return times


def _curve(sizes, times, hidden: int, threads: int | None) -> Timing:
    med = [float(np.median(t)) for t in times]
    cores = threads or usable_cores()
    return Timing(
        device=f"CPU: {_cpu_model()}, {cores} core{'s' if cores > 1 else ''}, NumPy",
        date=dt.date.today().isoformat(),
        model=f"MLP 784-{hidden}-10 float32, SGD, cross-entropy; random MNIST-shaped data N={N_EXAMPLES}",
        batch_sizes=sizes,
        ms_per_update=tuple(med),
        ms_p10=tuple(float(np.percentile(t, 10)) for t in times),
        ms_p90=tuple(float(np.percentile(t, 90)) for t in times),
        s_per_epoch=tuple(m * updates_per_epoch(b) / 1e3 for m, b in zip(med, sizes)),
        machine=machine_info(),
    )


def sweep(batch_sizes=BATCH_SIZES, hidden: int = HIDDEN, threads=THREADS, seed: int = 0) -> Iterator[Progress]:
    """Measure every batch size with each BLAS thread count, yielding Progress after each measurement.

    The last Progress holds one Timing per thread count: one thread is the lecture's "no parallel",
    all cores the CPU's parallel one.
    """
    sizes = tuple(int(b) for b in batch_sizes)
    if not sizes or min(sizes) < 1:
        raise ValueError("batch sizes must be whole numbers from 1 up")
    rng = np.random.default_rng(seed)
    model = _MLP(hidden, rng, pool=max(sizes))
    total = len(sizes) * len(threads)
    yield Progress(0, total)
    curves = []
    for n_threads in threads:
        times = []
        with threadpool_limits(limits=n_threads, user_api="blas"):
            for b in sizes:
                times.append(np.array(_time_updates(model, b, rng)))
                done = len(curves) * len(sizes) + len(times)
                if done < total:
                    yield Progress(done, total)
        curves.append(_curve(sizes, times, hidden, n_threads))
    yield Progress(total, total, tuple(curves))


PARALLEL_FROM_BATCH = 100  # below this a batch is too small for BLAS threads to pay off even on idle cores


def parallel_time_ratio(one_core: Timing, all_cores: Timing, from_batch: int = PARALLEL_FROM_BATCH) -> float | None:
    """Median over shared batch sizes >= ``from_batch`` of all-cores / one-core ms per update.

    Below 1 the threads helped; 1 or more means parallel was not faster on this machine then.
    None when the curves share no batch size that large (nothing to judge).
    """
    one = dict(zip(one_core.batch_sizes, one_core.ms_per_update))
    ratios = [ms / one[b] for b, ms in zip(all_cores.batch_sizes, all_cores.ms_per_update)
              if b >= from_batch and b in one and one[b] > 0]
    return float(np.median(ratios)) if ratios else None


_CACHE: dict[tuple, tuple[Timing, ...]] = {}  # per process, keyed by the sweep's arguments


def cached_timing(batch_sizes=BATCH_SIZES, hidden: int = HIDDEN, threads=THREADS) -> tuple[Timing, ...] | None:
    return _CACHE.get((tuple(batch_sizes), hidden, tuple(threads)))


def measure(batch_sizes=BATCH_SIZES, hidden: int = HIDDEN, threads=THREADS, on_progress=None) -> tuple[Timing, ...]:
    """The sweep's curves, measured once per process; ``on_progress(Progress)`` sees every step."""
    key = (tuple(batch_sizes), hidden, tuple(threads))
    if key not in _CACHE:
        for progress in sweep(batch_sizes, hidden, threads):
            if on_progress is not None:
                on_progress(progress)
        _CACHE[key] = progress.result
    return _CACHE[key]


def load_gpu_timing(path: Path = GPU_CSV) -> Timing:
    """The H200 measurement shipped in data/ (see data/README.md)."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = dict(zip(rows[0][0::2], rows[0][1::2]))  # "# device", name, "torch", version, "model", text
    device = header.get("# device", "GPU")
    columns = rows[1]
    data = [dict(zip(columns, r)) for r in rows[2:] if r and not r[0].startswith("#")]
    return Timing(
        device=f"GPU: {device}, PyTorch {header.get('torch', '')}".strip(),
        date=GPU_MEASURED_ON,
        model=header.get("model", ""),
        batch_sizes=tuple(int(r["batch_size"]) for r in data),
        ms_per_update=tuple(float(r["ms_per_update_median"]) for r in data),
        ms_p10=tuple(float(r["ms_per_update_p10"]) for r in data),
        ms_p90=tuple(float(r["ms_per_update_p90"]) for r in data),
        s_per_epoch=tuple(float(r["s_per_epoch_est"]) for r in data),
        machine=(("GPU", device), ("measured", GPU_MEASURED_ON), ("script", "data/measure_gpu_batch_timing.py")),
    )
