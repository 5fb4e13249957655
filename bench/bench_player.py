"""Benchmark: the animation player's frame rate in headless Chromium (Playwright, Debian's chromium).

Starts `python app.py` on a free port, opens a lesson, presses Play at 1x and, for 4 s of
requestAnimationFrame callbacks, counts the browser's frames and how many of them show the first
run's marker at a new position (read from the plot's data). At 1x a scene plays in 10 s over at most
300 frames (lab/animation.py), so about 30 new positions a second is the design, drawn on a 60 Hz
frame clock; the worst gap says whether frames were dropped.

    python bench/bench_player.py [--lessons adagrad-eruption lr-sweep]
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
MEASURE = """() => new Promise(done => {
  const gd = document.querySelector('#surface-graph .js-plotly-plot');
  const pos = () => { const t = gd._fullData.find(t => t.uid === 'marker-0'); return t ? t.x[0] + ',' + t.y[0] : ''; };
  let last = pos(), moves = [], frames = 0; const t0 = performance.now();
  function tick(now) {
    frames++; const p = pos(); if (p !== last) { moves.push(now); last = p; }
    if (now - t0 < 4000) requestAnimationFrame(tick);
    else done({frames, moves: moves.length, seconds: (now - t0) / 1000,
               worst_gap_ms: Math.max(...moves.slice(1).map((m, i) => m - moves[i]))});
  }
  requestAnimationFrame(tick);
})"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", nargs="+", default=["adagrad-eruption", "lr-sweep"])
    args = parser.parse_args(argv)
    port = free_port()
    server = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)
        print(f"{time.strftime('%Y-%m-%d %H:%M')}, load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, "
              f"{platform.machine()}, headless Chromium (no GPU)\n")
        print("| lesson | browser frames per s | new marker positions per s | worst gap between positions, ms |")
        print("|---|---|---|---|")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for lesson in args.lessons:
                page.goto(f"http://127.0.0.1:{port}/?lesson={lesson}")
                page.wait_for_function("(document.querySelector('#status') || {}).textContent"
                                       " && document.querySelector('#status').textContent.includes('steps simulated')")
                time.sleep(2)
                page.locator("button:has-text('Play')").click()
                r = page.evaluate(MEASURE)
                print(f"| `{lesson}` | {r['frames'] / r['seconds']:.1f} | {r['moves'] / r['seconds']:.1f} "
                      f"| {r['worst_gap_ms']:.0f} |")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
