"""Benchmark: the explorer in a real browser, as a person uses it (Playwright + Debian's Chromium).

Starts its own server (``python app.py`` on a free port), then for each scene measures:

(a) first load to interactive: navigation start to the first animation frame in which the
    status line says "steps simulated", the main figure has drawn its run paths and the contour
    layer under it (#surface-contour) its filled contour; a new browser context (empty cache)
    per load;
(b) control change to plot redrawn: type a new learning rate into the first run's box and press
    Enter (the box commits on Enter); the time from that Enter keydown event to the
    ``plotly_afterplot`` event after which the runs' paths differ, both read in the page
    (``performance.now()``), p50/p95 over ``--changes`` changes, each a new value; and to the
    panels' next ``plotly_afterplot`` (they are drawn a frame after the main plot);
(c) bytes per change: the bodies of the ``/_dash-update-component`` requests and responses that one
    change causes (as the browser received them: the server does not compress), and which
    outputs (component.property) weigh the most; read in the page, from a clone of each fetch's
    response (the page's history.pushState makes Chromium drop bodies Playwright has not read yet).

Scenes: the default page, 4 runs x 5,000 steps on the valley, and the ``lr-sweep`` lesson
(6 runs x 100,000 steps). Prints a Markdown table for BENCHMARKS.md. Run it on a quiet machine:

    ./install.sh test && python bench/bench_browser.py [--changes 30] [--loads 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LR_0 = """[id='{"index":0,"type":"run-lr"}']"""
UPDATE = "/_dash-update-component"
SCENES = (
    ("default page (`adagrad-eruption`, 1 x 1,000)", "/"),
    ("4 runs x 5,000 steps (valley)",
     "/?steps=5000&run=gd:lr=0.01&run=momentum:lr=0.001&run=rmsprop:lr=0.001&run=adam:lr=0.001"),
    ("`lr-sweep` (6 x 100,000)", "/?lesson=lr-sweep"),
)

# Installed before the page's own scripts: stamps the first frame at which the page is usable, the
# last Enter keydown and input event, and (once hook() ran) every redraw that changed the paths.
PROBE = """
window.__bench = {interactive: null, enter: null, input: null, changed: null, last: null, panels: null};
const ready = () => {
    const status = document.querySelector('#status');
    return status && status.textContent.includes('steps simulated')
        && document.querySelector('#surface-graph .scatterlayer .trace')
        && document.querySelector('#surface-contour .contourlayer path');
};
const frame = () => {
    if (ready()) window.__bench.interactive = performance.now(); else requestAnimationFrame(frame);
};
requestAnimationFrame(frame);
document.addEventListener('input', e => { window.__bench.input = e.timeStamp; }, true);
document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__bench.enter = e.timeStamp; }, true);
window.__traffic = [];
const pageFetch = window.fetch;
window.fetch = function (input, init) {
    const response = pageFetch.apply(this, arguments);
    if (String(typeof input === 'string' ? input : input.url).includes('/_dash-update-component')) {
        const entry = {sent: new TextEncoder().encode((init && init.body) || '').length, received: 0, outputs: {}};
        window.__traffic.push(entry);
        response.then(r => r.clone().text()).then(text => {
            entry.received = new TextEncoder().encode(text).length;
            const body = JSON.parse(text || '{}');
            for (const [component, props] of Object.entries(body.response || {}))
                for (const [prop, value] of Object.entries(props))
                    entry.outputs[component + '.' + prop] = JSON.stringify(value).length;
        }).catch(() => {});
    }
    return response;
};
window.__benchPaths = () => {
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    return JSON.stringify((gd._fullData || [])
        .filter(t => t.type === 'scatter' && String(t.mode).includes('lines')
            && !['minima', 'start'].includes(t.name) && !String(t.uid || '').startsWith('marker'))
        .map(t => { let s = 0; for (let i = 0; i < t.x.length; i++) s += t.x[i] * 1.5 + t.y[i];
                    return [t.x.length, s, t.x[t.x.length - 1], t.y[t.y.length - 1]]; }));
};
window.__benchHook = () => {
    const gd = document.querySelector('#surface-graph .js-plotly-plot');
    window.__bench.last = window.__benchPaths();
    if (gd.__benchHooked) return;
    gd.__benchHooked = true;  // (a new scene keeps both graph elements, so hooking once holds)
    gd.on('plotly_afterplot', () => {
        const now = performance.now(), paths = window.__benchPaths();
        if (window.__bench.changed === null && paths !== window.__bench.last) window.__bench.changed = now;
    });
    const panels = document.querySelector('#panels-graph .js-plotly-plot');  // drawn a frame after the plot
    panels.on('plotly_afterplot', () => {
        if (window.__bench.panels === null) window.__bench.panels = performance.now();
    });
};
"""


def start_server(repo: Path = REPO) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=repo,
                                stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(base + "/_dash-layout", timeout=2).close()
                return proc, base
            except OSError:
                time.sleep(0.2)
        proc.kill()
        err.seek(0)
        sys.exit(f"app.py did not start:\n{err.read().decode()[-3000:]}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class UpdateTraffic:
    """Counts the /_dash-update-component exchanges of a page; settle() waits for none in flight."""

    def __init__(self, page):
        self.page, self.in_flight, self.done = page, 0, []
        page.on("request", self._start)
        page.on("requestfinished", self._finish)
        page.on("requestfailed", self._finish)

    def _start(self, request):
        if UPDATE in request.url:
            self.in_flight += 1

    def _finish(self, request):
        if UPDATE in request.url:
            self.in_flight -= 1
            self.done.append(request)

    def settle(self, quiet_ms: int = 300, limit_s: float = 60) -> None:
        deadline, quiet_since = time.monotonic() + limit_s, None
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(50)  # lets Playwright deliver the events
            if self.in_flight:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_ms / 1000:
                return

    def take(self, by_output: Counter | None = None) -> tuple[int, int, int]:
        """(calls, request bytes, response bytes) since the last take(); adds bytes per output to by_output."""
        self.done = []
        entries = self.page.evaluate("() => window.__traffic.splice(0)")
        if by_output is not None:
            for entry in entries:
                by_output.update(entry["outputs"])
        return len(entries), sum(e["sent"] for e in entries), sum(e["received"] for e in entries)


def first_loads(browser, url: str, loads: int, by_output: Counter) -> tuple[list[float], list[int]]:
    """Milliseconds to interactive, and bytes of update responses, of each of ``loads`` first loads."""
    times, received = [], []
    for _ in range(loads):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(PROBE)
        page = context.new_page()
        traffic = UpdateTraffic(page)
        page.goto(url)
        page.wait_for_function("window.__bench.interactive !== null", timeout=120_000)
        times.append(page.evaluate("window.__bench.interactive"))
        traffic.settle()
        received.append(traffic.take(by_output)[2])
        context.close()
    return times, received


def open_page(browser, url: str):
    """A page of its own (a new context: empty cache) on ``url``, loaded and quiet: (page, traffic)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(PROBE)
    page = context.new_page()
    traffic = UpdateTraffic(page)
    page.goto(url)
    page.wait_for_function("window.__bench.interactive !== null", timeout=120_000)
    traffic.settle()
    traffic.take()
    return page, traffic


def typed_change(page, traffic, lr: float, by_output: Counter | None = None) -> tuple[float, float, tuple[int, int, int]]:
    """Type ``lr`` into the first run's box and press Enter: (ms to the plot redrawn, ms to the panels
    redrawn, the update exchanges it caused)."""
    page.bring_to_front()  # (with several pages open, the measured one in front)
    page.evaluate("() => { window.__benchHook(); window.__bench.changed = null; window.__bench.panels = null; }")
    box = page.locator(LR_0)
    box.fill(repr(lr))
    box.press("Enter")
    page.wait_for_function("window.__bench.changed !== null && window.__bench.panels !== null", timeout=120_000)
    enter, plot, panels = page.evaluate("[window.__bench.enter, window.__bench.changed, window.__bench.panels]")
    traffic.settle()
    return plot - enter, panels - enter, traffic.take(by_output)


def lr_changes(browser, url: str, changes: int) -> tuple[list[float], list[float], list[tuple[int, int, int]], Counter]:
    page, traffic = open_page(browser, url)
    lr = float(page.locator(LR_0).input_value())
    latencies, panels, exchanges, by_output = [], [], [], Counter()
    for k in range(1, changes + 1):
        plot, panel, exchange = typed_change(page, traffic, lr * (1 - 0.005 * k), by_output)
        latencies.append(plot)
        panels.append(panel)
        exchanges.append(exchange)
    page.context.close()
    return latencies, panels, exchanges, by_output


def kib(n: float) -> str:
    return f"{n / 1024:,.1f}"


def top3(by_output: Counter, count: int) -> str:
    return ", ".join(f"`{k}` {kib(v / count)}" for k, v in by_output.most_common(3))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=30, help="learning-rate changes per scene")
    parser.add_argument("--loads", type=int, default=5, help="first loads per scene")
    parser.add_argument("--scene", default="", help="only the scenes whose name contains this text")
    args = parser.parse_args(argv)

    proc, base = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"{time.strftime('%Y-%m-%d %H:%M')}, load average {load} (1/5/15 min), "
                  f"{os.cpu_count()} cores, {platform.machine()}, "
                  f"Python {platform.python_version()}, Chromium {browser.version} (headless, no GPU); "
                  f"{args.loads} loads and {args.changes} learning-rate changes per scene\n")
            print("| scene | first load to interactive, ms (p50 / max) | KiB of updates in a first load "
                  "| lr change to plot redrawn, ms (p50 / p95) | to panels redrawn, ms (p50 / p95) "
                  "| update calls per change | KiB per change: received / sent (median) |")
            print("|---|---|---|---|---|---|---|")
            heaviest = []
            for name, path in (s for s in SCENES if args.scene in s[0]):
                on_load = Counter()
                loads, load_bytes = first_loads(browser, base + path, args.loads, on_load)
                latencies, panels, exchanges, on_change = lr_changes(browser, base + path, args.changes)
                heaviest.append(f"| {name} | {top3(on_load, len(loads))} | {top3(on_change, len(exchanges))} |")
                calls = statistics.median(c for c, _, _ in exchanges)
                sent = statistics.median(s for _, s, _ in exchanges)
                received = statistics.median(r for _, _, r in exchanges)
                print(f"| {name} | {statistics.median(loads):,.0f} / {max(loads):,.0f} "
                      f"| {kib(statistics.median(load_bytes))} "
                      f"| {percentile(latencies, 0.5):,.0f} / {percentile(latencies, 0.95):,.0f} "
                      f"| {percentile(panels, 0.5):,.0f} / {percentile(panels, 0.95):,.0f} "
                      f"| {calls:g} | {kib(received)} / {kib(sent)} |", flush=True)
            print("\n| scene | heaviest outputs of a first load, KiB | heaviest outputs of a change, KiB (mean) |")
            print("|---|---|---|")
            print("\n".join(heaviest))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
