"""The CI fuzzer: 2,000 hostile callback requests against the classroom server (gunicorn).

No response may be a 5xx or show a traceback, and afterwards the server still draws a page.
The image exports are left out here (each starts a browser: seconds, not milliseconds); the
long run in bench/fuzz_http.py includes them. Two requests are in flight at a time (one per core).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench import fuzz_http
from ui import server

REPO = Path(__file__).resolve().parents[1]
COUNT = 2000
SEED = 8
GENEROUS_S = 3.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """The classroom command on a free loopback port, one worker of 4 threads; its log to read after."""
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    env = {**os.environ, "LAB_WORKERS": "1", "LAB_THREADS": "4"}
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "app.py", "--classroom", "--host", "127.0.0.1",
                                    "--port", str(port)], cwd=REPO, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fuzz_http.get(base, "/")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"the classroom server did not start: {log.read_text()[-2000:]}")
    yield base, log
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def fuzzed(classroom):
    base, log = classroom
    _, text = fuzz_http.get(base, "/_dash-dependencies")
    callbacks = [c for c in fuzz_http.server_callbacks(json.loads(text)) if "download.data" not in c.output]
    bodies = list(fuzz_http.payloads(callbacks, COUNT, SEED))
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda body: (body, *fuzz_http.post(base, body)), bodies))
    return base, log, callbacks, results


def test_the_fuzzer_reaches_every_server_callback(fuzzed):
    _, _, callbacks, results = fuzzed
    assert len(results) >= 2000 and len(callbacks) >= 8
    answered = {json.loads(body)["output"] for body, code, *_ in results if code in (200, 204) and body.startswith('{"output"')}
    assert answered == {c.output for c in callbacks}  # each callback ran on junk (204: it chose no update)


def test_no_response_is_a_server_error_or_shows_internals(fuzzed):
    _, _, _, results = fuzzed
    bad = [(code, body[:300]) for body, code, _, reply in results if code >= 500 or b"Traceback" in reply]
    assert not bad, bad[:5]
    codes = {code for _, code, _, _ in results}
    assert codes <= {200, 204, 400, 413, fuzz_http.CLOSED}, codes
    closed_early = [len(body.encode("utf-8", "surrogatepass")) for body, code, _, _ in results if code == fuzz_http.CLOSED]
    assert all(size > server.MAX_BODY for size in closed_early), closed_early  # only oversized bodies are cut off


def test_every_response_comes_within_a_generous_bound(fuzzed):
    _, _, _, results = fuzzed
    times = sorted(seconds for _, _, seconds, _ in results)
    print(f"fuzz: {len(times)} requests, median {times[len(times) // 2] * 1000:.0f} ms, "
          f"p95 {times[int(0.95 * len(times))] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
    slow = [(round(s, 2), body[:200]) for body, _, s, _ in results if s > GENEROUS_S]
    assert not slow, slow[:3]


def test_the_server_is_healthy_afterwards(fuzzed):
    base, _, _, _ = fuzzed
    status, page = fuzz_http.get(base, "/?lesson=adam")
    assert status == 200 and b"_dash-renderer" in page or b"dash_renderer" in page
    _, deps = fuzz_http.get(base, "/_dash-dependencies")
    dep = next(d for d in json.loads(deps) if [i["id"] for i in d["inputs"]] == ["nav"])  # link -> page
    outputs = [o.rpartition(".") for o in dep["output"].strip(".").split("...")]
    body = json.dumps({
        "output": dep["output"],
        "outputs": [{"id": i, "property": p} for i, _, p in outputs],
        "inputs": [{"id": "nav", "property": "data", "value": "?lesson=adam"}],
        "state": [{"id": st["id"], "property": st["property"], "value": "2d" if st["id"] == "view-mode" else None}
                  for st in dep["state"]],
        "changedPropIds": ["nav.data"],
    })
    code, _, reply = fuzz_http.post(base, body)
    assert code == 200 and b"surface-graph" in reply


def test_no_callback_fails_on_junk_values(fuzzed):
    _, log, _, _ = fuzzed
    failures = log.read_text().count("callback failed")
    assert failures == 0, f"{failures} callbacks failed (each showed the page's message instead)"
