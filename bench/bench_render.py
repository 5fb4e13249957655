"""Benchmark: render.py's images, animations and pages, cold (a new process and browser) and warm.

(a) the first PNG: ``python render.py LESSON -o x.png`` in a new process, Python, imports and the
    browser's start included (the page's default size: 1000 x 700 at scale 2);
(b) the following PNGs: lab.media.figure_image inside one image_session (the browser already up);
(c) a 60-frame GIF: ``python render.py LESSON -o x.gif`` in a new process (the issue's target: 5 s),
    and animation_gif inside a running session;
(d) the standalone HTML: ``python render.py LESSON -o x.html`` in a new process, and its size;
(e) ``python render.py --all-lessons DIR``: every lesson as PNG and GIF with one browser.

Each row is the best of ``--repeat`` runs with the median beside it. Prints Markdown for BENCHMARKS.md.

    python bench/bench_render.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.timing import best_and_median  # noqa: E402
from lab import media  # noqa: E402
from lab.simulate import simulate  # noqa: E402
from lessons import LESSONS  # noqa: E402

GIF_LESSONS = ("adagrad-eruption", "warmup", "lr-sweep")  # 1 run of 1,000; 5 of 500; 6 of 100,000 steps




def cli(*argv: str) -> None:
    done = subprocess.run([sys.executable, "render.py", *argv], cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"render.py {' '.join(argv)} failed: {done.stderr}")


def row(what: str, best: float, median: float, note: str = "") -> str:
    return f"| {what} | {best:.2f} / {median:.2f} | {note} |"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from importlib.metadata import version

    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    print(
        f"{datetime.date.today()}: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, plotly {version('plotly')}, kaleido {version('kaleido')}, "
        f"Pillow {version('pillow')}, {chromium}; best / median of {args.repeat}"
    )
    print()
    print("| what | seconds (best / median) | note |")
    print("|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        print(
            row(
                "first PNG, new process (`render.py adagrad-eruption -o x.png`)",
                *best_and_median(lambda: cli("adagrad-eruption", "-o", str(out / "x.png")), args.repeat),
                "Python, imports, Chromium's start, one image",
            )
        )
        for lesson in GIF_LESSONS:
            scene = LESSONS[lesson].scene
            print(
                row(
                    f"60-frame GIF, new process (`render.py {lesson} -o x.gif`)",
                    *best_and_median(lambda lesson=lesson: cli(lesson, "-o", str(out / "x.gif")), args.repeat),
                    f"{len(scene.runs)} x {scene.steps:,} steps, 800 x 560; "
                    f"{(out / 'x.gif').stat().st_size / 1e3:,.0f} KB",
                )
            )
        with media.image_session():
            media.figure_image(LESSONS["adam"].scene, "png")  # the browser's start, not measured
            pngs = []
            for lesson in LESSONS:
                simulate(LESSONS[lesson].scene)
                pngs.append(
                    best_and_median(lambda id=lesson: media.figure_image(LESSONS[id].scene, "png", lesson=id), 1)[0]
                )
            print(
                row(
                    f"following PNG, browser up (figure_image, {len(pngs)} lessons)",
                    min(pngs),
                    statistics.median(pngs),
                    f"slowest {max(pngs):.2f} s; 1000 x 700 at scale 2",
                )
            )
            for lesson in GIF_LESSONS:
                scene = LESSONS[lesson].scene
                print(
                    row(
                        f"60-frame GIF, browser up (animation_gif, `{lesson}`)",
                        *best_and_median(lambda s=scene, id=lesson: media.animation_gif(s, lesson=id), args.repeat),
                        "two renders (layout, background) and the frames",
                    )
                )
        print(
            row(
                "standalone HTML, new process (`render.py lr-sweep -o x.html`)",
                *best_and_median(lambda: cli("lr-sweep", "-o", str(out / "x.html")), args.repeat),
                f"no browser; {(out / 'x.html').stat().st_size / 1e6:.1f} MB (plotly.js 4.8 MB of it)",
            )
        )
        count = len(LESSONS)
        print(
            row(
                f"`render.py --all-lessons DIR` ({count} PNG + {count} GIF)",
                *best_and_median(lambda: cli("--all-lessons", str(out / "all")), max(1, args.repeat - 1)),
                f"one browser; {sum(p.stat().st_size for p in (out / 'all').iterdir()) / 1e6:.1f} MB written",
            )
        )


if __name__ == "__main__":
    main()
