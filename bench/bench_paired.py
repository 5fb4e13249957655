"""Benchmark: this tree against an earlier commit, change by change, in one browser (paired A/B).

This machine's speed drifts by a third from one hour to the next (BENCHMARKS.md), more than most
changes to the page move a redraw. So both trees serve at once (``git archive`` of ``--baseline``
into a temporary folder), one page each, and the learning-rate changes alternate between them: the
k-th change of each page sees the same minute of the machine. Reports each tree's "lr change to plot
redrawn" and "to panels redrawn" (as bench_browser.py measures them) and the median of the paired
differences, which the drift cancels out of.

    ./install.sh test && python bench/bench_paired.py --baseline 6396594 [--changes 60] [--scene valley]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from bench_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LR_0,
    REPO,
    SCENES,
    open_page,
    percentile,
    start_server,
    typed_change,
)
from playwright.sync_api import sync_playwright


def export(rev: str, into: Path) -> str:
    """The tree of ``rev`` written into ``into``; returns its short hash."""
    short = subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, check=True, capture_output=True,
                           text=True).stdout.strip()
    archive = subprocess.run(["git", "archive", rev], cwd=REPO, check=True, capture_output=True).stdout
    with tempfile.TemporaryFile() as tar:
        tar.write(archive)
        tar.seek(0)
        with tarfile.open(fileobj=tar) as members:
            members.extractall(into, filter="data")
    return short


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the commit to compare against (any git revision)")
    parser.add_argument("--changes", type=int, default=60, help="learning-rate changes per tree and scene")
    parser.add_argument("--scene", default="valley", help="the scenes whose name contains this text")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        short = export(args.baseline, Path(folder))
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, check=True, capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, check=True,
                               capture_output=True, text=True).stdout.strip()
        trees = [(f"`{short}` (baseline)", Path(folder)),
                 (f"this tree (`{head}`{' + uncommitted changes' if dirty else ''})", REPO)]
        servers = [start_server(path) for _, path in trees]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
                print(f"{time.strftime('%Y-%m-%d %H:%M')}, load average {load} (1/5/15 min), Chromium "
                      f"{browser.version}; {args.changes} changes per tree, alternating\n")
                print("| scene | tree | plot redrawn, ms (p50 / p95) | panels redrawn, ms (p50 / p95) "
                      "| paired difference to the baseline, ms (median: plot / panels) |")
                print("|---|---|---|---|---|")
                for name, path in (s for s in SCENES if args.scene in s[0]):
                    pages = [open_page(browser, base + path) for _, base in servers]
                    first = float(pages[0][0].locator(LR_0).input_value())
                    results = [([], []) for _ in trees]
                    for k in range(1, args.changes + 1):
                        for (page, traffic), (plots, panels) in zip(pages, results):
                            plot, panel, _ = typed_change(page, traffic, first * (1 - 0.003 * k))
                            plots.append(plot)
                            panels.append(panel)
                    for (label, _), (plots, panels) in zip(trees, results):
                        d_plot = statistics.median(a - b for a, b in zip(plots, results[0][0]))
                        d_panels = statistics.median(a - b for a, b in zip(panels, results[0][1]))
                        print(f"| {name} | {label} | {percentile(plots, 0.5):,.0f} / {percentile(plots, 0.95):,.0f} "
                              f"| {percentile(panels, 0.5):,.0f} / {percentile(panels, 0.95):,.0f} "
                              f"| {d_plot:+,.0f} / {d_panels:+,.0f} |", flush=True)
                    for page, _ in pages:
                        page.context.close()
                browser.close()
        finally:
            for proc, _ in servers:
                proc.terminate()
                proc.wait(timeout=10)


if __name__ == "__main__":
    main()
