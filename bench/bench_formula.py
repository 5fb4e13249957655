"""Benchmark: typed formulas. How fast hostile text is refused, the gallery built, a gradient taken.

The issue asks that each hostile input be refused in under 10 ms; unit tests
do not time things (the machine is shared), so this script does. It also
times the gallery's parse + compile and its whole surface (grid, minimum,
start), and the scalar gradient that the simulation calls, against the
hand-written built-in surface of the same function in the same run.
Prints Markdown for BENCHMARKS.md.

    python bench/bench_formula.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.timing import best_and_median  # noqa: E402
from lab.scene import Run  # noqa: E402
from lab.simulate import simulate_run  # noqa: E402
from surfaces import SURFACES  # noqa: E402
from surfaces.formula import GALLERY, FormulaError, formula_surface, parse_formula  # noqa: E402
from surfaces.formula import _formula_surface  # noqa: E402
from surfaces.formula_compile import MATH, NUMPY, dual_function, value_function  # noqa: E402
from tests.test_formula import HOSTILE  # noqa: E402


def refuse(text: str) -> None:
    try:
        formula_surface(text)
    except FormulaError:
        return
    raise AssertionError(f"accepted: {text[:40]!r}")


def compile_all(text: str) -> None:
    tree = parse_formula(text)
    for ops in (MATH, NUMPY):
        value_function(tree, ops)
        dual_function(tree, ops)


def ms(seconds: float) -> str:
    return f"{1000 * seconds:.2f}"


def hostile_rows(repeat: int) -> None:
    times = [(best_and_median(lambda t=text: refuse(t), repeat), text) for text, _ in HOSTILE]
    (best, median), slowest = max(times, key=lambda r: r[0][1])
    print(f"{len(HOSTILE)} hostile inputs (tests/test_formula.py), each refused {repeat} times:")
    print(f"max over inputs: {ms(max(t[0][0] for t in times))} ms best, {ms(max(t[0][1] for t in times))} ms "
          f"median; slowest by median: {slowest[:30]!r} ({ms(best)} / {ms(median)} ms)\n")


def gallery_rows(repeat: int) -> None:
    print("| gallery entry | parse + compile, ms (best / median) | whole surface, ms (best / median) |")
    print("|---|---|---|")
    for entry in GALLERY:
        compiled = best_and_median(lambda e=entry: compile_all(e.formula), repeat)
        built = best_and_median(lambda e=entry: _formula_surface.__wrapped__(e.formula, e.view), max(3, repeat // 4))
        print(f"| {entry.name} | {ms(compiled[0])} / {ms(compiled[1])} | {ms(built[0])} / {ms(built[1])} |")
    print()


def gradient_rows(repeat: int, steps: int) -> None:
    print("| surface | µs per grad(x, y, math): typed / built-in | ratio | "
          f"ms per {steps:,} Adam steps: typed / built-in | ratio |")
    print("|---|---|---|---|---|")
    for name in ("beale", "himmelblau"):
        entry = next(g for g in GALLERY if g.name == name)
        typed, built_in = formula_surface(entry.formula, entry.view), SURFACES[name]

        def calls(surface, n=20_000):
            grad = surface.grad
            for _ in range(n):
                grad(0.3, 0.7, math)

        per_call = [best_and_median(lambda s=s: calls(s), repeat)[0] / 20_000 * 1e6 for s in (typed, built_in)]
        bounds = (-1e6, 1e6, -1e6, 1e6)
        sims = [best_and_median(lambda s=s: simulate_run(s, Run("adam", lr=1e-3), entry.start, steps, 0, bounds),
                                max(3, repeat // 4))[0] * 1e3 for s in (typed, built_in)]
        print(f"| {name} | {per_call[0]:.2f} / {per_call[1]:.2f} | {per_call[0] / per_call[1]:.1f}x | "
              f"{sims[0]:.0f} / {sims[1]:.0f} | {sims[0] / sims[1]:.1f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--steps", type=int, default=100_000)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores\n")
    formula_surface("x^2")  # import SciPy once, outside the timings
    hostile_rows(args.repeat)
    gallery_rows(args.repeat)
    gradient_rows(args.repeat, args.steps)


if __name__ == "__main__":
    main()
