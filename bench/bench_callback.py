"""Benchmark: the server's drawing work of one learning-rate change, this tree against an earlier commit.

Times ``ui.callbacks.page`` (figures, panels, animation data, status, link: everything the change
callback does after the simulation, which is cached here) for a change of the first run's learning
rate, in each tree in turn (``git archive`` of ``--baseline`` into a temporary folder, one Python
process per tree and round, alternating, so both see the same minutes of the machine). Prints a
Markdown table for BENCHMARKS.md.

    python bench/bench_callback.py --baseline e9eccf6 [--rounds 4] [--changes 40]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENES = (
    ("default page (`adagrad-eruption`, 1 x 1,000)", "?lesson=adagrad-eruption"),
    ("4 runs x 5,000 steps (valley)",
     "?steps=5000&run=gd:lr=0.01&run=momentum:lr=0.001&run=rmsprop:lr=0.001&run=adam:lr=0.001"),
    ("`lr-sweep` (6 x 100,000)", "?lesson=lr-sweep"),
)

# Run inside the measured tree (its own modules): prints {query: [ms of each change]}.
PROBE = r"""
import json, sys, time
from dataclasses import replace
import app  # noqa: F401  (registers the callbacks)
from lab.query import from_query
from lab.simulate import simulate
from ui import callbacks
changes, out = int(sys.argv[1]), {}
for query in json.loads(sys.argv[2]):
    scene = from_query(query).scene
    first = callbacks.page(scene, None, [], None, None, "2d", False)
    shown, drawn = first[0], first[10]
    scenes = [replace(scene, runs=(replace(scene.runs[0], lr=scene.runs[0].lr * (1 - 0.002 * (k + 1))),
                                   *scene.runs[1:])) for k in range(changes)]
    times = []
    for s in scenes:
        simulate(s)  # the simulation is not what is timed (simulated just before: the cache is bounded)
        t = time.perf_counter()
        callbacks.page(s, None, [], shown, drawn, "2d", False)
        times.append((time.perf_counter() - t) * 1000)
    out[query] = times
print(json.dumps(out))
"""


def measure(tree: Path, changes: int) -> dict[str, list[float]]:
    result = subprocess.run([sys.executable, "-c", PROBE, str(changes), json.dumps([q for _, q in SCENES])],
                            cwd=tree, check=True, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(tree)})
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from bench_paired import export

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the commit to compare against (any git revision)")
    parser.add_argument("--rounds", type=int, default=4, help="processes per tree, alternating")
    parser.add_argument("--changes", type=int, default=40, help="learning-rate changes per process and scene")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        short = export(args.baseline, Path(folder))
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, check=True, capture_output=True,
                              text=True).stdout.strip()
        trees = {f"`{short}` (baseline)": Path(folder), f"this tree (`{head}`)": REPO}
        times = {name: {q: [] for _, q in SCENES} for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                for query, values in measure(tree, args.changes).items():
                    times[name][query] += values
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, load average {load}; {args.rounds} processes per tree, alternating, "
          f"{args.changes} changes each\n")
    print("| scene | tree | page() per change, ms (median / p90) | ratio to the baseline (medians) |")
    print("|---|---|---|---|")
    for label, query in SCENES:
        base = statistics.median(next(iter(times.values()))[query])
        for name in trees:
            values = sorted(times[name][query])
            median, p90 = statistics.median(values), values[int(0.9 * (len(values) - 1))]
            print(f"| {label} | {name} | {median:.1f} / {p90:.1f} | {median / base:.2f} |")


if __name__ == "__main__":
    main()
