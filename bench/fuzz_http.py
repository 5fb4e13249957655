"""HTTP fuzzer: hostile callback requests against a running server; no response may be a 5xx.

It reads ``/_dash-dependencies`` and, for every server-side callback, posts requests a browser
could send with junk values (None, text, booleans, NaN and Infinity literals, negatives, 1e308,
10**4000, huge strings, unknown names, nested lists) and broken envelopes (missing keys, wrong
output ids, deep nesting, 2 MB bodies, bad JSON). Seeded: the same seed sends the same bytes.

    python bench/fuzz_http.py --url http://127.0.0.1:8050 --count 20000 --seed 1

tests/test_fuzz_http.py runs 2,000 of these in CI. Standard library only (http.client, urllib), so the
fuzzer shares nothing with the server it tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

SLOW_S = 3.0
BIG = 10**4000

NAMES = ("gd", "adam", "valley", "regression", "formula", "adagrad-eruption", "nope", "__class__", "__import__",
         "../../etc/passwd", "os.system", "<script>alert(1)</script>", "constant", "warmup", "ALL", "2d", "3d")
QUERIES = (
    "?steps=100000&run=adam&run=gd&run=rmsprop&run=radam&run=momentum&run=adagrad&run=adam:lr=0.1&run=gd:lr=1",
    "?formula=sin(x*y)%2Bcos(x)&steps=100000&run=adam&run=radam",
    "?surface=regression&epochs=100000&run=gd:batch=1",
    "?lesson=adam&steps=99999999999999999999&seed=-1&view=nan,inf,1,1e308",
    "?run=adam:lr=NaN,beta1=Infinity,eps=-1,label=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "?formula=9^9^9&view=-1e308,1e308,-1e308,1e308", "?formula=" + "(" * 30 + "x" + ")" * 30,
    "?start=1e308,-1e308&steps=0", "javascript:alert(1)", "?" + "run=gd&" * 50, "?%00=%ff&&&==&run=:::",
)


def junk(rng: random.Random, depth: int = 0):
    """One hostile JSON value (a Python value; NaN, inf and BIG become their JSON literals)."""
    kind = rng.randrange(16 if depth < 3 else 12)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([float("nan"), float("inf"), float("-inf")])
    if kind == 3:
        return rng.choice([-1, 0, 1, -1e308, 1e308, 5e-324, 2**63, -(2**31), BIG, 100_000, 99999])
    if kind == 4:
        return rng.uniform(-1e6, 1e6)
    if kind == 5:
        return rng.choice(NAMES)
    if kind == 6:
        return rng.choice(QUERIES)
    if kind == 7:
        return rng.choice(["", " ", "1e-7", "-0", "0x10", "1_000", "１２", "nan", "inf", "\u202e", "\x00", "\ud800"])
    if kind == 8:
        return "x" * rng.choice([61, 1000, 20_001, 100_000])
    if kind == 9:
        return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 40)))
    if kind == 10:
        return {"points": [{"x": junk(rng, 3), "y": junk(rng, 3)}], "xvals": [junk(rng, 3)], "yvals": [junk(rng, 3)]}
    if kind == 11:
        return {"xaxis.range[0]": junk(rng, 3), "xaxis.range[1]": junk(rng, 3), "yaxis.autorange": junk(rng, 3)}
    if kind in (12, 13):
        return [junk(rng, depth + 1) for _ in range(rng.randrange(0, 5))]
    return {rng.choice(["query", "warnings", "key", "runs", "traces", "a"]): junk(rng, depth + 1) for _ in range(3)}


def dumps(value) -> str:
    """JSON with the literals a hostile client may send: NaN, Infinity and 4,001-digit integers."""
    return json.dumps(value, allow_nan=True)


@dataclass
class Callback:
    output: str
    outputs: list[dict]  # one spec per output: id (str or pattern dict), property
    inputs: list[dict]
    state: list[dict]


def _parse_id(text: str):
    return json.loads(text) if text.startswith("{") else text


def _output_specs(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    specs = []
    for part in parts:
        id_, _, prop = part.split("@")[0].rpartition(".")
        specs.append({"id": _parse_id(id_), "property": prop})
    return specs


def server_callbacks(dependencies: list[dict]) -> list[Callback]:
    """The callbacks the server runs (clientside ones never reach it)."""
    out = []
    for dep in dependencies:
        if dep.get("clientside_function"):
            continue
        specs = lambda items: [{"id": _parse_id(d["id"]), "property": d["property"]} for d in items]  # noqa: E731
        out.append(Callback(dep["output"], _output_specs(dep["output"]), specs(dep["inputs"]), specs(dep["state"])))
    return out


def _concrete(spec_id, index: int):
    """A concrete id for ``spec_id``: wildcards become ``index`` (or a parameter name)."""
    if not isinstance(spec_id, dict):
        return spec_id
    return {k: (index if k == "index" else "lr") if isinstance(v, list) else v for k, v in spec_id.items()}


def _items(specs: list[dict], rng: random.Random, n_pattern: int, with_value: bool) -> list:
    items = []
    for spec in specs:
        make = lambda i: {"id": _concrete(spec["id"], i), "property": spec["property"],  # noqa: E731
                          **({"value": junk(rng)} if with_value else {})}
        items.append([make(i) for i in range(n_pattern)] if isinstance(spec["id"], dict) else make(0))
    return items


def _prop_id(item: dict) -> str:
    id_ = item["id"]
    text = json.dumps(id_, sort_keys=True, separators=(",", ":")) if isinstance(id_, dict) else id_
    return f"{text}.{item['property']}"


def well_formed(callback: Callback, rng: random.Random) -> dict:
    """A request shaped exactly like the browser's for ``callback``, with junk values."""
    n = rng.choice([0, 1, 1, 2, 8])
    inputs = _items(callback.inputs, rng, n, True)
    flat = [i for item in inputs for i in (item if isinstance(item, list) else [item])]
    outputs = _items(callback.outputs, rng, n, False)
    return {
        "output": callback.output,
        "outputs": outputs if callback.output.startswith("..") else outputs[0],
        "inputs": inputs,
        "state": _items(callback.state, rng, n, True),
        "changedPropIds": [_prop_id(rng.choice(flat))] if flat else [],
    }


def broken(callback: Callback, rng: random.Random) -> str:
    """A request text whose envelope is wrong: what Dash itself would choke on."""
    body = well_formed(callback, rng)
    kind = rng.randrange(9)
    if kind == 0:
        body.pop(rng.choice(list(body)))
    elif kind == 1:
        body["output"] = rng.choice(["nope.children", "status.children", "..a.b...c.d..", "", 5])
    elif kind == 2:
        body["inputs"] = junk(rng)
    elif kind == 3:
        body["inputs"] = body["inputs"][:-1] + [{"id": "nope", "property": "value", "value": 1}]
    elif kind == 4:
        return "[" * 50_000 + "]" * 50_000
    elif kind == 5:
        return dumps({**body, "pad": "x" * 2_000_000})  # 2 MB: over the cap
    elif kind == 6:
        return rng.choice(["", "{", "null", "[]", '"text"', "NaN", "{'a': 1}", "\xff\xfe"])
    elif kind == 7:
        body["outputs"] = [{"id": "status", "property": "children"}] * 3
    else:
        body["changedPropIds"] = junk(rng)
    return dumps(body)


@dataclass
class Report:
    statuses: dict[int, int] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    failures: list[tuple[int, float, str]] = field(default_factory=list)  # status, seconds, payload

    def summary(self) -> str:
        t = sorted(self.times)
        p95 = t[int(0.95 * (len(t) - 1))] if t else 0.0
        return (f"{len(t)} requests, statuses {dict(sorted(self.statuses.items()))}, "
                f"median {statistics.median(t) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(t) * 1000:.0f} ms")


CLOSED = 0  # status recorded when the server closed the connection before the body was all sent


def post(base: str, text: str, timeout: float = 30.0) -> tuple[int, float, bytes]:
    """Post one callback request; (status, seconds, reply).

    A server may refuse an oversized body before reading it (413) and close the socket while the
    client is still writing: the reply is then read if it arrived, else the status is ``CLOSED``.
    """
    url = urllib.parse.urlsplit(base)
    data = text.encode("utf-8", "surrogatepass")
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    t0 = time.perf_counter()
    try:
        connection.putrequest("POST", "/_dash-update-component")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(len(data)))
        connection.endheaders()
        try:
            connection.send(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused early: the reply, if any, is already in the socket
        try:
            response = connection.getresponse()
            return response.status, time.perf_counter() - t0, response.read()
        except (ConnectionError, http.client.HTTPException):
            return CLOSED, time.perf_counter() - t0, b""
    finally:
        connection.close()


def get(base: str, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def payloads(callbacks: list[Callback], count: int, seed: int, broken_share: float = 0.2):
    """``count`` request texts: each callback in turn, a share of them with a broken envelope."""
    rng = random.Random(seed)
    for i in range(count):
        callback = callbacks[i % len(callbacks)]
        yield broken(callback, rng) if rng.random() < broken_share else dumps(well_formed(callback, rng))


def fuzz(base: str, count: int, seed: int, skip=()) -> Report:
    """Post ``count`` payloads to the server at ``base``; callbacks whose key contains any of ``skip``
    are left out (the CI run skips the image exports, which start a browser)."""
    status, text = get(base, "/_dash-dependencies")
    assert status == 200, f"/_dash-dependencies answered {status}"
    callbacks = [c for c in server_callbacks(json.loads(text)) if not any(s in c.output for s in skip)]
    report = Report()
    for payload in payloads(callbacks, count, seed):
        code, seconds, body = post(base, payload)
        report.statuses[code] = report.statuses.get(code, 0) + 1
        report.times.append(seconds)
        if code >= 500 or seconds > SLOW_S or b"Traceback" in body:
            report.failures.append((code, seconds, payload[:2000]))
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8050")
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    report = fuzz(args.url.rstrip("/"), args.count, args.seed)
    print(report.summary())
    for code, seconds, payload in report.failures[:20]:
        print(f"{code} in {seconds:.2f} s: {payload[:300]}")
    healthy = get(args.url.rstrip("/"), "/")[0] == 200
    print("healthy afterwards" if healthy else "NOT HEALTHY afterwards")
    return 0 if healthy and not any(code >= 500 for code, _, _ in report.failures) else 1


if __name__ == "__main__":
    sys.exit(main())
