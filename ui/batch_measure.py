"""The live timing sweep as one shared job per server process, run in a thread and polled by the page.

Why a thread and not a Dash background callback: those run in a child process
(diskcache + multiprocess), which would lose lab.batch_timing's per-process cache
and start one measurement per tab. Here every tab that presses "Measure" joins the
same job; the server keeps no per-user state, only the job, keyed by the sweep's
name (an immutable value). One measurement runs at a time: two at once would
time each other.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from lab import batch_timing
from lab.batch_timing import BATCH_SIZES, Timing

SWEEPS = {  # name in the page's link -> the sweep's arguments; "quick" is for CI and a slow machine
    "full": dict(batch_sizes=BATCH_SIZES),
    "quick": dict(batch_sizes=(1, 100, 10000)),
}
DEFAULT_SWEEP = "full"


@dataclass(frozen=True)
class Job:
    """What the page shows of a sweep: ``done`` of ``total`` measurements, then the curves or an error.

    ``error`` is (kind, detail), worded by the page in its language: ("busy", the running sweep's name)
    or ("failed", the failing library's own message, which stays in its words).
    """

    sweep: str
    done: int = 0
    total: int = 0
    result: tuple[Timing, ...] | None = None
    error: tuple[str, str] | None = None
    running: bool = False

    @property
    def current(self) -> tuple[int, str] | None:
        """The batch size and thread setting being measured now, or None when not measuring."""
        if not self.running or self.done >= self.total:
            return None
        sizes, threads = SWEEPS[self.sweep]["batch_sizes"], batch_timing.THREADS
        n_threads = threads[min(self.done // len(sizes), len(threads) - 1)]
        return sizes[self.done % len(sizes)], "1 thread" if n_threads == 1 else "all cores"


_LOCK = threading.Lock()
_JOBS: dict[str, Job] = {}


def total(sweep: str) -> int:
    return len(SWEEPS[sweep]["batch_sizes"]) * len(batch_timing.THREADS)


def status(sweep: str) -> Job:
    """The sweep's state now: measured (cached for the process), running, failed, or not started."""
    cached = batch_timing.cached_timing(**SWEEPS[sweep])
    if cached is not None:
        return Job(sweep, total(sweep), total(sweep), result=cached)
    return _JOBS.get(sweep, Job(sweep, 0, total(sweep)))


def start(sweep: str) -> Job:
    """Start the sweep unless it is measured or running; one measurement on the server at a time."""
    with _LOCK:
        job = status(sweep)
        if job.result is not None or job.running:
            return job
        busy = [j for j in _JOBS.values() if j.running]
        if busy:
            return Job(sweep, 0, total(sweep), error=("busy", busy[0].sweep))
        job = _JOBS[sweep] = Job(sweep, 0, total(sweep), running=True)
    threading.Thread(target=_run, args=(sweep,), name=f"batch-timing-{sweep}", daemon=True).start()
    return job


def _run(sweep: str) -> None:
    def on_progress(progress):
        _JOBS[sweep] = Job(sweep, progress.done, progress.total, running=True)  # until the result is stored

    try:
        result = batch_timing.measure(**SWEEPS[sweep], on_progress=on_progress)
        _JOBS[sweep] = Job(sweep, total(sweep), total(sweep), result=result)
    except Exception as error:  # shown on the page; pressing Measure again retries
        _JOBS[sweep] = Job(sweep, 0, total(sweep), error=("failed", str(error)))
