"""Benchmark: ms per 100,000 simulated steps for every optimizer on the valley.

Measures the real code path (``lab.simulate.simulate_run``: schedule, scalar
loop, arrays, loss and effective learning rates) against a baseline in the
same run: the same optimizer update functions stepping a NumPy vector theta of
shape (2,) with the surface's NumPy gradient, the way a first version of such a
tool is usually written. Prints a Markdown table for BENCHMARKS.md.

    python bench/bench_simulate.py [--steps 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.timing import best_and_median  # noqa: E402
from lab.scene import Run, Scene  # noqa: E402
from lab.simulate import far_bounds, simulate, simulate_run  # noqa: E402
from optimizers import OPTIMIZERS, build  # noqa: E402
from optimizers.schedules import schedule_values  # noqa: E402
from surfaces import SURFACES  # noqa: E402

LR = 1e-3


def numpy_per_step(name: str, steps: int) -> np.ndarray:
    """Baseline: theta as a NumPy vector, one NumPy update per step."""
    surface = SURFACES["valley"]
    opt = build(name)
    theta = np.array(surface.start, dtype=float)
    state = tuple(np.full(2, s) for s in opt.init(0.0))
    eta = schedule_values("constant", LR, steps)
    path = np.empty((steps + 1, 2))
    path[0] = theta
    for t in range(steps):
        g = np.array(surface.grad(theta[0], theta[1]))
        step, state = opt.update(g, state, t, eta[t])
        theta = theta + step
        path[t + 1] = theta
    return path




def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-steps", type=int, default=20_000, help="baseline is slow: run fewer, scale up")
    args = parser.parse_args(argv)
    surface = SURFACES["valley"]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, NumPy {np.__version__}; steps={args.steps}, best of {args.repeat}")
    print()
    print("| optimizer | ms per 100,000 steps (best / median) | NumPy-per-step baseline, ms per 100,000 | speed-up |")
    print("|---|---|---|---|")
    scale = 100_000 / args.steps
    base_scale = 100_000 / args.baseline_steps
    for name in OPTIMIZERS:
        scene = Scene("valley", (Run(name, lr=LR),), steps=args.steps)
        bounds = far_bounds(scene)
        ours = best_and_median(
            lambda: simulate_run(surface, scene.runs[0], scene.start_point, scene.steps, 0, bounds), args.repeat
        )
        base = best_and_median(lambda: numpy_per_step(name, args.baseline_steps), 1)
        print(f"| {name} | {ours[0] * 1e3 * scale:.0f} / {ours[1] * 1e3 * scale:.0f} | "
              f"{base[0] * 1e3 * base_scale:.0f} | {base[0] * base_scale / (ours[0] * scale):.0f}x |")
    try:
        from lessons import LESSONS

        sweep = LESSONS["lr-sweep"].scene
    except (ImportError, KeyError):
        return
    def run_sweep():
        simulate.cache_clear()
        simulate(sweep)
    best, median = best_and_median(run_sweep, args.repeat)
    print()
    print(f"lesson lr-sweep ({len(sweep.runs)} runs x {sweep.steps:,} steps): "
          f"{best * 1e3:.0f} ms best, {median * 1e3:.0f} ms median")


if __name__ == "__main__":
    main()
