"""simulate(scene): every run's trajectory at full resolution, as NumPy arrays.

The update loop runs on Python floats with the surface's ``math`` formulas: a
NumPy call per step on two numbers is about ten times slower (see
bench/bench_simulate.py). Everything that does not feed back into the next
step (the loss at each position, the effective learning rates) is computed
after the loop, vectorized.
"""

from __future__ import annotations

import math
import os
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

import numpy as np

from lab.messages import EMPTY, Message
from lab.scene import Run, Scene
from lab.sim_cache import RunCache
from optimizers import build
from optimizers.schedules import schedule_values
from surfaces.base import Surface
from surfaces.data import updates_per_epoch

# A run that leaves a box this many view-spans around the view's centre has
# diverged: its numbers only grow from there and would overflow soon after.
FAR_BOUND_SPANS = 1e4
# Wall-clock seconds one simulate() call may take (LAB_SIM_BUDGET_S; 0 = no limit): a run still
# going then stops with status "stopped" and says so, and is not cached. A classroom server must
# answer every student, and 8 runs x 100,000 steps of a long formula take about 20 s.
BUDGET_S = 1.5
CHECK_EVERY = 4096  # steps between looks at the clock (about 4 ms)
# One lane per server process for long runs that are not cached yet (more updates than LONG_RUN):
# a scene that needs one waits for the lane, up to LANE_WAIT_S, before its budget starts. Without
# it, two clients posting 100,000-step scenes as fast as they can hold a thread each on every core,
# and the class's small scenes share the interpreter with all of them (RELIABILITY.md).
LONG_RUN = 20_000
LANE_WAIT_S = 20.0  # then it runs anyway: below gunicorn's 30 s timeout, and nobody waits forever
_LONG_LANE = threading.Semaphore(1)


@dataclass(frozen=True, eq=False)
class Trajectory:
    """One run: positions theta^0..theta^n and what each update t = 0..n-1 used.

    ``x, y, loss`` have n+1 entries; ``grad_x, grad_y`` (the gradient the update
    actually used: the mini-batch one where there is one), ``lr`` (eta_t) and
    ``effective_lr_x, effective_lr_y`` (eta_t / sigma_i^t) have n. ``states_x``
    and ``states_y`` hold the optimizer state after each update, one column per
    name in ``state_fields``. A run that diverged stops at ``diverged_at``, the
    update whose result left the finite numbers or the far bound; nothing
    non-finite is kept.
    """

    run: Run
    x: np.ndarray
    y: np.ndarray
    loss: np.ndarray
    grad_x: np.ndarray
    grad_y: np.ndarray
    lr: np.ndarray
    effective_lr_x: np.ndarray
    effective_lr_y: np.ndarray
    states_x: np.ndarray
    states_y: np.ndarray
    state_fields: tuple[str, ...]
    # "ok", "diverged", "stopped" (time budget) or "undefined": 0/0 in sigma with eps = 0, or the run
    # reached a point where the loss or its gradient is not defined (a formula's domain); the message says which
    status: str
    diverged_at: int | None
    message: str  # a lab.messages.Message: English as str, .text("zh") in Chinese
    updates_per_epoch: int | None

    @property
    def steps(self) -> int:
        return len(self.grad_x)

    @property
    def grad_norm(self) -> np.ndarray:
        return np.hypot(self.grad_x, self.grad_y)


def _scalar_gradient(surface: Surface, run: Run, steps: int, seed: int):
    """grad_at(x, y, t) for the update loop, and the number of updates per epoch."""
    data = surface.data
    if data is None or run.batch_size in (0, data.n_examples):
        grad = surface.grad
        return (lambda x, y, t: grad(x, y, math)), (1 if data is not None else None)
    per_epoch = updates_per_epoch(data.n_examples, run.batch_size)
    return data.batch_gradient(steps, run.batch_size, run.shuffle, seed), per_epoch


def _iterate(update, state_x, state_y, grad_at, x, y, eta, bounds, deadline=math.inf):
    """The update loop. Returns the recorded lists, the stop reason and the step it stopped at.

    A gradient that cannot be computed where the run stands (math's domain errors, a division by 0
    in a typed formula) stops it as "no-gradient"; a division by 0 in the update is sigma's 0/0.
    """
    x_lo, x_hi, y_lo, y_hi = bounds
    xs, ys, gxs, gys, sxs, sys_ = [x], [y], [], [], [], []  # sxs, sys_: states, flattened
    t = 0
    try:
        for t, eta_t in enumerate(eta):
            try:
                gx, gy = grad_at(x, y, t)
            except (ValueError, ZeroDivisionError):
                return (xs, ys, gxs, gys, sxs, sys_), "no-gradient", t
            dx, state_x = update(gx, state_x, t, eta_t)
            dy, state_y = update(gy, state_y, t, eta_t)
            x += dx
            y += dy
            if not (x_lo < x < x_hi and y_lo < y < y_hi):  # also false for NaN
                return (xs, ys, gxs, gys, sxs, sys_), "diverged", t
            if not t % CHECK_EVERY and t and time.monotonic() > deadline:
                return (xs, ys, gxs, gys, sxs, sys_), "stopped", t
            xs.append(x)
            ys.append(y)
            gxs.append(gx)
            gys.append(gy)
            sxs += state_x
            sys_ += state_y
    except ZeroDivisionError:
        return (xs, ys, gxs, gys, sxs, sys_), "undefined", t
    except (OverflowError, ValueError):
        return (xs, ys, gxs, gys, sxs, sys_), "diverged", t
    return (xs, ys, gxs, gys, sxs, sys_), "ok", None


def _state_array(flat: list[float], n: int, k: int) -> np.ndarray:
    """n states of k floats, recorded flat, as an (n, k) array."""
    return np.fromiter(flat, dtype=float, count=n * k).reshape(n, k)


def _first_nonfinite(*arrays: np.ndarray) -> int | None:
    bad = [int(np.argmax(~np.isfinite(a))) for a in arrays if a.size and not np.isfinite(a).all()]
    return min(bad) if bad else None


def simulate_run(surface: Surface, run: Run, start, steps: int, seed: int, bounds, deadline=math.inf) -> Trajectory:
    optimizer = build(run.optimizer, run.hyperparams())
    eta = schedule_values(run.schedule, run.lr, steps, run.schedule_hyperparams())
    grad_at, per_epoch = _scalar_gradient(surface, run, steps, seed)
    x0, y0 = start
    lists, status, stopped_at = _iterate(
        optimizer.update, optimizer.init(x0), optimizer.init(y0), grad_at, x0, y0, eta.tolist(), bounds, deadline
    )
    xs, ys, gxs, gys = (np.fromiter(v, dtype=float, count=len(v)) for v in lists[:4])
    n = len(gxs)
    k = len(optimizer.state_fields)
    sxs, sys_ = (_state_array(v, n, k) for v in lists[4:])
    t = np.arange(n)
    with np.errstate(all="ignore"):
        loss = np.asarray(surface.value(xs, ys), dtype=float)
        eff_x = np.broadcast_to(optimizer.effective_lr(sxs, eta[:n], t), (n,)).astype(float)
        eff_y = np.broadcast_to(optimizer.effective_lr(sys_, eta[:n], t), (n,)).astype(float)
    # A finite position can still give a non-finite loss or rate: stop the run
    # before it, so that no NaN or inf reaches a figure or a file.
    bad = _first_nonfinite(loss[1:], gxs, gys, eff_x, eff_y)
    where = None  # the point a run stopped at for want of a loss or a gradient
    if bad is not None:
        n = bad
        status, stopped_at = "diverged", n
        if np.isnan(loss[n + 1]) and np.isfinite(xs[n + 1]) and np.isfinite(ys[n + 1]):
            status, where = "outside", (xs[n + 1], ys[n + 1])  # a finite point where f is not defined
    elif status == "no-gradient":
        where = (xs[-1], ys[-1])
    message = _message(status, stopped_at, where)
    status = "undefined" if status in ("outside", "no-gradient") else status
    if not np.isfinite(loss[0]):  # nothing finite to show at all
        n, status, stopped_at = -1, "undefined", 0
        message = Message("run.start_not_finite")
    m = max(n, 0)  # updates kept
    arrays = dict(
        x=xs[: n + 1],
        y=ys[: n + 1],
        loss=loss[: n + 1],
        grad_x=gxs[:m],
        grad_y=gys[:m],
        lr=eta[:m].copy(),
        effective_lr_x=eff_x[:m],
        effective_lr_y=eff_y[:m],
        states_x=sxs[:m],
        states_y=sys_[:m],
    )
    for array in arrays.values():  # trajectories are cached and shared: nobody may edit them
        array.flags.writeable = False
    return Trajectory(
        run=run,
        **arrays,
        state_fields=optimizer.state_fields,
        status=status,
        diverged_at=stopped_at if status == "diverged" else None,
        message=message,
        updates_per_epoch=per_epoch,
    )


def _message(status: str, t: int | None, where=None) -> Message:
    if where is not None:
        point = f"({where[0]:.4g}, {where[1]:.4g})"
        return Message("run.outside" if status == "outside" else "run.no_gradient", step=t, point=point)
    if status == "diverged":
        return Message("run.diverged", step=t)
    if status == "undefined":
        return Message("run.undefined", step=t)
    if status == "stopped":
        return Message("run.stopped", step=t)
    return EMPTY


def far_bounds(scene: Scene) -> tuple[float, float, float, float]:
    box = scene.view_box
    cx, cy = (box.x_min + box.x_max) / 2, (box.y_min + box.y_max) / 2
    reach = FAR_BOUND_SPANS * max(box.span, abs(cx), abs(cy), *map(abs, scene.start_point))
    return cx - reach, cx + reach, cy - reach, cy + reach


_RUNS = RunCache()


def _nbytes(traj: Trajectory) -> int:
    return sum(a.nbytes for a in (traj.x, traj.y, traj.loss, traj.grad_x, traj.grad_y, traj.lr,
                                  traj.effective_lr_x, traj.effective_lr_y, traj.states_x, traj.states_y))


def budget_s() -> float:
    """The time budget of one simulate() call: LAB_SIM_BUDGET_S if set (0 = none), else BUDGET_S."""
    value = float(os.environ.get("LAB_SIM_BUDGET_S", BUDGET_S))
    return value if value > 0 else math.inf


def _run_args(scene: Scene, run: Run, bounds) -> tuple:
    """simulate_run's arguments for one run of ``scene``: also its key in the cache."""
    return (scene.surface_record, run, scene.start_point, scene.updates(run), scene.seed, bounds)


def simulate(scene: Scene) -> tuple[Trajectory, ...]:
    """Every run of ``scene``, in order. Same scene, same numbers (each run cached: all immutable),
    unless the time budget cuts a run short; such a run says so and is not cached."""
    bounds = far_bounds(scene)
    keys = [_run_args(scene, run, bounds) for run in scene.runs]
    long = any(args[3] > LONG_RUN and args not in _RUNS for args in keys)
    with _long_lane() if long else nullcontext():
        deadline = math.inf if all(args in _TRUSTED for args in keys) else time.monotonic() + budget_s()
        return tuple(_RUNS.get(args, lambda: simulate_run(*args, deadline=deadline), _nbytes,
                               keep=lambda traj: traj.status != "stopped") for args in keys)


@contextmanager
def _long_lane():
    """The process's lane for long uncached runs: held while simulating, waited for up to LANE_WAIT_S."""
    held = _LONG_LANE.acquire(timeout=LANE_WAIT_S)
    try:
        yield
    finally:
        if held:
            _LONG_LANE.release()


simulate.cache_clear = _RUNS.clear  # the tests and benchmarks start cold with it


_TRUSTED: set = set()  # run keys simulated with no time budget (trust())


def trust(scenes) -> None:
    """Simulate the runs of ``scenes`` with no time budget: the lessons, known to end in about a second
    (lr-sweep's 600,000 steps: 1.2 s here), must never be cut short on a slower machine, nor a file
    the command line writes, whatever the machine's load."""
    for scene in scenes:
        bounds = far_bounds(scene)
        _TRUSTED.update(_run_args(scene, run, bounds) for run in scene.runs)


def pin_runs(scenes) -> int:
    """Simulate every run of ``scenes`` with no time budget and keep them for the life of the
    process (the classroom server pins the lessons' runs before it forks). Returns how many runs."""
    pinned = 0
    for scene in scenes:
        bounds = far_bounds(scene)
        for run in scene.runs:
            args = _run_args(scene, run, bounds)
            _RUNS.pin(args, simulate_run(*args))  # no deadline: never "stopped"
            pinned += 1
    return pinned
