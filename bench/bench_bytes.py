"""Benchmark: the bytes of a first visit's scripts and style sheets, plain and as each encoding sends them.

Asks the app (Flask's test client, no server) for every script and style sheet the explorer's page
names, as a machine on the classroom's network would (REMOTE_ADDR 192.168.1.23) with each
Accept-Encoding a browser may send, and as the teacher's own computer (127.0.0.1). Also times the
first (compressing) and second (cached) request of the largest file.

    ./install.sh && python bench/bench_bytes.py
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import app as app_module  # noqa: E402

LAN = {"REMOTE_ADDR": "192.168.1.23"}
ENCODINGS = ("identity", "gzip", "br", "zstd", "gzip, deflate, br, zstd")


def main() -> None:
    client = app_module.build_app().server.test_client()
    html = client.get("/").get_data(as_text=True)
    files = re.findall(r'src="([^"]+\.js[^"]*)"', html) + re.findall(r'href="([^"]+\.css[^"]*)"', html)
    largest = max(files, key=lambda url: len(client.get(url).get_data()))
    print(f"{len(files)} scripts and style sheets on the explorer's first visit\n")
    print("| asked with Accept-Encoding | sent as | MB over the network | MB to 127.0.0.1 |")
    print("|---|---|---|---|")
    for accept in ENCODINGS:
        sent, lan_bytes, local_bytes = set(), 0, 0
        for url in files:
            lan = client.get(url, headers={"Accept-Encoding": accept}, environ_base=LAN)
            sent.add(lan.headers.get("Content-Encoding", "plain"))
            lan_bytes += len(lan.get_data())
            local_bytes += len(client.get(url, headers={"Accept-Encoding": accept}).get_data())
        print(f"| `{accept}` | {', '.join(sorted(sent))} | {lan_bytes / 1e6:.2f} | {local_bytes / 1e6:.2f} |")
    fresh = app_module.build_app.__wrapped__().server.test_client()  # a new app: an empty cache
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        fresh.get(largest, headers={"Accept-Encoding": "gzip, deflate, br, zstd"}, environ_base=LAN)
        timings.append((time.perf_counter() - start) * 1000)
    print(f"\n{largest.split('?')[0]}: {timings[0]:.0f} ms the first time (compressing), {timings[1]:.0f} ms from the cache")


if __name__ == "__main__":
    main()
