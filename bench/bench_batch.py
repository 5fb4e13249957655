"""Benchmark: the batch lab's sharp-flat experiment (seeds x steps) and the live timing sweep.

The experiment (lab.batch_experiments.sharp_flat_experiment: 200 seeds x 1,000
steps for two batch sizes, plus the basin check) is compared in the same run
with its peer, the explorer's scalar loop (lab.simulate) run seed by seed,
timed on 10 seeds and scaled to 200. The live sweep is timed once, as the page
runs it. Prints Markdown for BENCHMARKS.md.

    python bench/bench_batch.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.timing import best_and_median  # noqa: E402
from lab import batch_experiments, batch_timing  # noqa: E402
from lab.simulate import simulate  # noqa: E402
from lessons.batch_lab import SHARP_FLAT  # noqa: E402

SEEDS, PEER_SEEDS = 200, 10


def experiment():
    batch_experiments.sharp_flat_experiment.cache_clear()
    batch_experiments.sharp_flat_experiment(SHARP_FLAT.scene, SEEDS)


def peer():
    simulate.cache_clear()
    for seed in range(PEER_SEEDS):
        simulate(replace(SHARP_FLAT.scene, seed=seed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    best, median = best_and_median(experiment, args.repeat)
    peer_best, _ = best_and_median(peer, args.repeat)
    peer_scaled = peer_best * SEEDS / PEER_SEEDS
    t0 = time.perf_counter()
    batch_timing._CACHE.clear()
    curves = batch_timing.measure()
    sweep_s = time.perf_counter() - t0
    steps = SHARP_FLAT.scene.steps
    print(f"| sharp-flat experiment, {SEEDS} seeds x {steps} steps x 2 batch sizes + basin check | "
          f"{best:.2f} s (median {median:.2f} s) |")
    print(f"| peer: scalar loop seed by seed, scaled from {PEER_SEEDS} to {SEEDS} seeds (no basin check) | "
          f"{peer_scaled:.2f} s, {peer_scaled / best:.0f}x the experiment's time |")
    n = len(curves[0].batch_sizes) * len(curves)
    print(f"| live timing sweep: {n} measurements ({len(curves[0].batch_sizes)} batch sizes x {len(curves)} thread counts) | "
          f"{sweep_s:.1f} s |")
    for name, value in curves[0].machine:
        print(f"- {name}: {value}")


if __name__ == "__main__":
    main()
