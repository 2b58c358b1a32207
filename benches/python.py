#!/usr/bin/env python3
"""Benchmark of the Python package: a first page and an exact count asked from Python in
process, against the whole command-line process and the HTTP API (`unres serve`, one
kept-alive connection), with the process start (`unres --version`) measured in the same
run; then a batch of searches from 4 threads sharing one `unres.Index` against the same
batch one after another.

Talks to: target/release/unres and unres-synth (build them first: `cargo build --release
--bin unres --bin unres-synth`), the `unres` package installed in this Python
(`pip install ./python`). Everything it writes is under bench-data/python/ (git-ignored).

Usage: python benches/python.py [--smoke] [--count N] [--runs N]
  --smoke     40 resolutions, 3 runs: checks that it all works (CI)
  --count N   resolutions in the generated corpus (default 5000)
  --runs N    timed runs of each figure, after one warm-up (default 30)
Prints one line per figure: the median and the quartiles in milliseconds, and each median
as a multiple of the process start.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import unres

ROOT = Path(__file__).resolve().parents[1]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release"
QUERIES = ["妇女", "国际合作", "发展中国家", "核武器", "小武器 kind:operative"]


def timed(f, runs: int) -> list[float]:
    f()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        out.append((time.perf_counter() - t) * 1e3)
    return out


def line(name: str, ms: list[float], start: float | None) -> None:
    q = statistics.quantiles(ms, n=4) if len(ms) > 1 else [ms[0]] * 3
    ratio = f"  {statistics.median(ms) / start:5.2f}× start" if start else ""
    print(f"{name:<44} median {statistics.median(ms):8.3f} ms  (q1 {q[0]:.3f}, q3 {q[2]:.3f}){ratio}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=30)
    a = ap.parse_args()
    count, runs = (40, 3) if a.smoke else (a.count, a.runs)
    binary, synth = TARGET / "unres", TARGET / "unres-synth"
    for b in (binary, synth):
        if not b.exists():
            print(f"python.py: no {b}; run `cargo build --release --bin unres --bin unres-synth`", file=sys.stderr)
            return 2
    data = ROOT / "bench-data" / "python"
    corpus, index = data / f"corpus-{count}", data / f"index-{count}"
    if not corpus.exists():
        subprocess.run([synth, corpus, "--count", str(count), "--series", "20"], check=True, capture_output=True)
    if not index.exists():
        subprocess.run([binary, "index", "--index", index, corpus], check=True, capture_output=True)
    print(f"{count} resolutions; {runs} runs a figure; unres {unres.__version__}, Python {sys.version.split()[0]}")

    def cli(*args: str):
        return lambda: subprocess.run([binary, *args], stdout=subprocess.DEVNULL, check=False)

    start_ms = timed(cli("--version"), runs)
    start = statistics.median(start_ms)
    line("process start (unres --version)", start_ms, start)
    idx = unres.Index(index)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--index", index, "--addr", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn = None
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port)
                conn.request("GET", "/api/stats")
                conn.getresponse().read()
                break
            except OSError:
                conn = None
                time.sleep(0.05)
        assert conn is not None, "unres serve did not start"

        def api(q: str, extra: str = ""):
            def ask():
                conn.request("GET", "/api/search?q=" + urllib.parse.quote(q) + extra)
                r = conn.getresponse()
                json.loads(r.read())
            return ask

        for q in QUERIES:
            line(f"first page `{q}`: Python", timed(lambda: idx.search(q, limit=10), runs), start)
            line(f"first page `{q}`: HTTP API", timed(api(q), runs), start)
            line(f"first page `{q}`: command line", timed(cli("search", q, "--index", str(index)), runs), start)
            line(f"count `{q}`: Python", timed(lambda: idx.count(q), runs), start)
            line(f"count `{q}`: HTTP API", timed(api(q, "&limit=0&exact=true"), runs), start)
            line(f"count `{q}`: command line", timed(cli("search", q, "--count", "--index", str(index)), runs), start)
    finally:
        server.terminate()
        server.wait()

    # Threads: the same batch of first pages and counts, alone and from 4 threads.
    words = ["妇女", "国际合作", "发展中国家", "核武器", "小武器", "弹药", "裁军", "武器贸易", "和平", "安全"]
    batch = [(w, kind) for w in words for kind in ("page", "count")] * (1 if a.smoke else 4)

    def one(job):
        q, kind = job
        return idx.search(q, limit=10, exact=True).total if kind == "page" else idx.count(q)

    serial = timed(lambda: [one(j) for j in batch], max(3, runs // 3))
    with ThreadPoolExecutor(4) as pool:
        threaded = timed(lambda: list(pool.map(one, batch)), max(3, runs // 3))
    line(f"{len(batch)} searches one after another", serial, None)
    line(f"{len(batch)} searches from 4 threads", threaded, None)
    print(f"4 threads: {statistics.median(serial) / statistics.median(threaded):.2f}× faster than one after another"
          f" on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
