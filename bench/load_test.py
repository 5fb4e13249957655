"""Load test: simulated students against the classroom server, as asyncio tasks (aiohttp).

Each student loads the page (the HTML, the layout and the callback list, as a browser does),
then every 3-5 s changes the scene: the one request a browser posts for it, which simulates and
draws the whole page (a link, or now and then a lesson from the picker). Most changes are small scenes
(100 to 10,000 steps, 1 to 3 runs); a share are 100,000-step scenes. Adversaries post
100,000-step scenes and garbage as fast as they can. The script starts the classroom server
itself (gunicorn.conf.py, loopback) unless --url is given, and reads its workers' memory.

    python bench/load_test.py --students 200 --minutes 10                    # the full run
    python bench/load_test.py --students 200 --minutes 10 --adversaries 2    # the adversarial mix
    python bench/load_test.py --students 20 --seconds 30                     # a short check

Goal (issue 8): 0 errors, p95 <= 500 ms for scenes up to 10,000 steps, worker memory growth
< 50 MB; with two adversaries the others' p95 <= 1 s. Results go to RELIABILITY.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[1]
OPTIMIZERS = ("gd", "momentum", "adagrad", "rmsprop", "adam", "radam")
SURFACES = ("valley", "tilted-valley", "crescent", "saddle", "local-minima")


def callback_body(dep: dict, value, shown: str | None) -> dict:
    """The request a browser posts for callback ``dep`` (from /_dash-dependencies) when its one input
    becomes ``value``, with the page's states: the scene on screen ``shown``, nothing drawn yet."""
    states = {"scene-query": shown, "view-mode": "2d"}
    outputs = [o.rpartition(".") for o in dep["output"].strip(".").split("...")]
    (given,) = dep["inputs"]
    return {
        "output": dep["output"],
        "outputs": [{"id": i, "property": p} for i, _, p in outputs],
        "inputs": [{**given, "value": value}],
        "state": [{**st, "value": states.get(st["id"])} for st in dep["state"]],
        "changedPropIds": [f"{given['id']}.{given['property']}"],
    }


def page_callbacks(dependencies: list[dict]) -> tuple[dict, dict, dict]:
    """(link -> page, lesson picker -> page, step inspector): the callbacks a student's changes go through.

    Every change of the page is one request that simulates and draws (ui/callbacks.page); a
    link (show_scene, fed by the nav store) and the lesson picker are the two that take one value.
    The new scene's link then wakes the step inspector (ui/inspector_panel.py), a second request, for
    the students who opened it (a closed inspector asks nothing).
    """
    by_input = {tuple(i["id"] for i in d["inputs"]): d for d in dependencies}
    inspector = next(d for d in dependencies if "inspector-body.children" in d["output"])
    return by_input[("nav",)], by_input[("lesson",)], inspector


def inspector_body(dep: dict, shown: str) -> dict:
    """The step inspector's request once the scene ``shown`` is on the page (its link changed)."""
    values = {"inspector-query": shown, "inspector-run": 0}
    outputs = [o.rpartition(".") for o in dep["output"].strip(".").split("...")]
    return {
        "output": dep["output"],
        "outputs": [{"id": i, "property": p} for i, _, p in outputs],
        "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
        "state": [{**st, "value": values.get(st["id"])} for st in dep.get("state", [])],
        "changedPropIds": ["inspector-query.data"],
    }


def scene_query(rng: random.Random, big: bool) -> tuple[str, int]:
    steps = 100_000 if big else rng.choice([100, 300, 1000, 3000, 10_000])
    runs = "&".join(f"run={rng.choice(OPTIMIZERS)}:lr={rng.choice([0.001, 0.003, 0.01, 0.03, 0.1])}"
                    for _ in range(rng.randint(1, 3)))
    return f"?surface={rng.choice(SURFACES)}&steps={steps}&{runs}", steps


class Stats:
    def __init__(self):
        self.times: dict[str, list[float]] = {"small": [], "big": [], "load": [], "adversary": [], "inspector": []}
        self.errors: list[str] = []

    def p(self, kind: str, q: float) -> float:
        t = sorted(self.times[kind])
        return t[min(len(t) - 1, int(q * len(t)))] if t else float("nan")


async def request(session, stats, kind, method, url, **kw):
    t0 = time.perf_counter()
    try:
        async with session.request(method, url, **kw) as response:
            body = await response.read()
            if response.status >= 500 or (kind != "adversary" and response.status >= 400):
                stats.errors.append(f"{kind} {response.status} {body[:100]!r}")
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        stats.errors.append(f"{kind} {type(error).__name__}")
        body = b""
    stats.times[kind].append(time.perf_counter() - t0)
    return body


async def student(base, stats, rng, end, big_share, callbacks, inspector_share):
    link, picker, inspector = callbacks
    opened = rng.random() < inspector_share

    async def inspect(shown):
        if opened:
            await request(session, stats, "inspector", "POST", base + "/_dash-update-component",
                      json=inspector_body(inspector, shown))

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.sleep(rng.uniform(0, 5))  # a class does not click at the same millisecond
        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
            await request(session, stats, "load", "GET", base + path)
        shown = "?lesson=adagrad-eruption"
        await request(session, stats, "small", "POST", base + "/_dash-update-component",
                      json=callback_body(link, shown, None))
        while time.monotonic() < end:
            await asyncio.sleep(rng.uniform(3, 5))
            if rng.random() < 0.1:  # now and then a lesson from the picker (lr-sweep: 6 x 100,000 steps)
                lesson = rng.choice(["adam", "warmup", "lr-sweep"])
                kind = "big" if lesson == "lr-sweep" else "small"
                await request(session, stats, kind, "POST", base + "/_dash-update-component",
                              json=callback_body(picker, lesson, shown))
                shown = f"?lesson={lesson}"
                await inspect(shown)
                continue
            big = rng.random() < big_share
            query, _ = scene_query(rng, big)
            await request(session, stats, "big" if big else "small", "POST", base + "/_dash-update-component",
                          json=callback_body(link, query, shown))
            shown = query
            await inspect(shown)


async def adversary(base, stats, rng, end, callbacks):
    link = callbacks[0]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        while time.monotonic() < end:
            if rng.random() < 0.5:
                lr = rng.uniform(1e-4, 1e-2)  # never the same scene twice: no cache to hide behind
                runs = "&".join(f"run=adam:lr={lr * (i + 1):.6g}" for i in range(8))
                payload = json.dumps(callback_body(link, f"?steps=100000&{runs}", None))
            else:
                payload = rng.choice(["[" * 40_000, "x" * 300_000, '{"output": 5}', json.dumps({"a": [1] * 20_000})])
            await request(session, stats, "adversary", "POST", base + "/_dash-update-component",
                          data=payload, headers={"Content-Type": "application/json"})


def worker_rss_mb(master_pid: int) -> dict[int, float]:
    """Resident memory of each gunicorn worker (the master's children), from /proc."""
    out = {}
    for pid in subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split():
        try:
            with open(f"/proc/{pid}/status") as f:
                rss = next(line for line in f if line.startswith("VmRSS"))
            out[int(pid)] = int(rss.split()[1]) / 1024
        except (OSError, StopIteration):
            pass
    return out


def start_server(port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "app.py", "--classroom", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the classroom server did not start")


async def warm(base) -> tuple[dict, dict]:
    """One page per worker before measuring (the first request of a process builds its caches);
    returns the two page callbacks (see page_callbacks)."""
    async with aiohttp.ClientSession() as session:
        async with session.get(base + "/_dash-dependencies") as r:
            callbacks = page_callbacks(json.loads(await r.read()))
        for _ in range(4):
            body = callback_body(callbacks[0], "?lesson=adam", None)
            async with session.post(base + "/_dash-update-component", json=body) as r:
                await r.read()
    return callbacks


async def sample_memory(master: int, end: float, every: float, series: list) -> None:
    """Each worker's resident memory every ``every`` seconds: whether growth levels off or keeps going."""
    t0 = time.monotonic()
    while time.monotonic() < end:
        await asyncio.sleep(min(every, max(0.0, end - time.monotonic())))
        series.append((round(time.monotonic() - t0), {p: round(v, 1) for p, v in worker_rss_mb(master).items()}))


async def run(args) -> dict:
    port = args.port or 8800 + os.getpid() % 100
    process = None if args.url else start_server(port)
    base = args.url or f"http://127.0.0.1:{port}"
    try:
        callbacks = await warm(base)
        master = process.pid if process else args.server_pid
        before = worker_rss_mb(master) if master else {}
        stats, rng = Stats(), random.Random(args.seed)
        end = time.monotonic() + args.seconds + 60 * args.minutes
        tasks = [student(base, stats, random.Random(rng.random()), end, args.big_share, callbacks, args.inspector_share)
                 for _ in range(args.students)]
        tasks += [adversary(base, stats, random.Random(rng.random()), end, callbacks) for _ in range(args.adversaries)]
        series: list = []
        if master:
            tasks.append(sample_memory(master, end, args.memory_every, series))
        t0 = time.monotonic()
        await asyncio.gather(*tasks)
        after = worker_rss_mb(master) if master else {}
    finally:
        if process:
            process.terminate()
            process.wait(timeout=30)
    growth = {pid: round(after.get(pid, float("nan")) - mb, 1) for pid, mb in before.items()}
    warm_at = next(((t, rss) for t, rss in series if t >= 60), None)  # after the first minute: the caches filled
    later = ({pid: round(after.get(pid, float("nan")) - mb, 1) for pid, mb in warm_at[1].items()}
             if warm_at and series and series[-1][0] > warm_at[0] else {})
    return {
        "students": args.students, "adversaries": args.adversaries, "seconds": round(time.monotonic() - t0),
        "requests": {k: len(v) for k, v in stats.times.items()}, "errors": len(stats.errors),
        "errors_by_kind": {k: sum(e.startswith(k + " ") for e in stats.errors) for k in stats.times},
        "error_examples": stats.errors[:5],
        "p50_ms": {k: round(stats.p(k, 0.5) * 1000) for k in stats.times if stats.times[k]},
        "p95_ms": {k: round(stats.p(k, 0.95) * 1000) for k in stats.times if stats.times[k]},
        "max_ms": {k: round(max(v) * 1000) for k, v in stats.times.items() if v},
        "worker_rss_mb_before": {p: round(v) for p, v in before.items()},
        "worker_rss_growth_mb": growth,
        "worker_rss_growth_after_first_minute_mb": later,
        "worker_rss_mb_series": series,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=0)
    parser.add_argument("--seconds", type=float, default=0)
    parser.add_argument("--adversaries", type=int, default=0)
    parser.add_argument("--big-share", type=float, default=0.1, help="share of changes that are 100,000-step scenes")
    parser.add_argument("--url", help="an already running server (memory is then read only with --server-pid)")
    parser.add_argument("--server-pid", type=int)
    parser.add_argument("--port", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inspector-share", type=float, default=0.25,
                        help="share of students whose step inspector is open (each change then asks it too)")
    parser.add_argument("--memory-every", type=float, default=30.0, help="seconds between memory samples")
    args = parser.parse_args(argv)
    if not args.minutes and not args.seconds:
        args.minutes = 10
    result = asyncio.run(run(args))
    print(json.dumps(result, indent=1))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
