#!/usr/bin/env python3
"""Two unres binaries side by side on one generated corpus, over every kind of answer.

Each binary builds its own index of the same files (wall time, peak resident set, index
size and its ratio to the clean text), then every command of a fixed list — first pages
under the three sorts, collapsed pages, counts, counts by session, listings by resolution,
stats — is run by both in turn (A B A B ...), whole process from start to exit, output to
/dev/null, after one warm-up each. `unres --version` (the process start) is timed in the
same rounds, and each median is also given as a multiple of it. Then each binary serves
its index (`unres serve`), and 48 two-word queries it has not seen are asked once each over
one kept-alive connection: the first page's time in the server, median and 90th
percentile, measured by the client.

Talks to: the two binaries (`index`, `search`, `stats`, `export`), `unres-synth` (the
corpus), `du`. Writes under bench-data/sidebyside/ (git-ignored).

Usage: python3 benches/sidebyside.py BEFORE AFTER [--count N] [--runs N] [--smoke]
  BEFORE, AFTER  paths of two unres binaries (for instance a build of an older commit)
  --count N      resolutions generated (default 5000, with 20 series)
  --runs N       timed runs of each command and binary (default 15)
  --smoke        40 resolutions, 2 runs: a check that everything works
Exits 0 when both binaries answered every command alike, 1 when an answer differs or a
command failed, 2 on bad arguments.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, time

COMMANDS = [
    ("--version", ["--version"]),
    ("search 妇女", ["search", "妇女"]),
    ("search 国际合作", ["search", "国际合作"]),
    ("search 发展中国家", ["search", "发展中国家"]),
    ("search 核武器 --sort newest", ["search", "核武器", "--sort", "newest"]),
    ("search 联合国 --sort oldest", ["search", "联合国", "--sort", "oldest"]),
    ("search 3D 打印", ["search", "3D 打印"]),
    ("search 核武器 妇女", ["search", "核武器 妇女"]),
    ("search 国际 合作 发展", ["search", "国际 合作 发展"]),
    ("search 的", ["search", "的"]),
    ("search 执行", ["search", "执行"]),
    ("search 国际 秘书长", ["search", "国际 秘书长"]),
    ("search 执行 --collapse", ["search", "执行", "--collapse"]),
    ("search 国际合作 --offset 20", ["search", "国际合作", "--offset", "20"]),
    ("search 国际合作 --json", ["search", "国际合作", "--json"]),
    ("search 国际合作 --collapse", ["search", "国际合作", "--collapse"]),
    ("search 妇女 --collapse --sort newest", ["search", "妇女", "--collapse", "--sort", "newest"]),
    ("search 妇女 --count", ["search", "妇女", "--count"]),
    ("search 联合国 --by-session", ["search", "联合国", "--by-session"]),
    ("search 妇女 --by-resolution", ["search", "妇女", "--by-resolution"]),
    ("stats", ["stats"]),
]


def say(m):
    print(f"sidebyside: {m}", file=sys.stderr, flush=True)


def run(args):
    return subprocess.run(args, capture_output=True, stdin=subprocess.DEVNULL)


def build(binary, corpus, index):
    """`unres index` into a new folder: wall time, peak resident set (from /usr/bin/time,
    whose own small process is what forks the build), index size."""
    shutil.rmtree(index, ignore_errors=True)
    t0 = time.perf_counter()
    timer = ["/usr/bin/time", "-f", "%M"] if os.access("/usr/bin/time", os.X_OK) else []
    p = subprocess.run(timer + [binary, "index", corpus, "--index", index],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    if p.returncode:
        raise SystemExit(f"sidebyside: {binary} index failed: {p.stderr.decode()[-400:]}")
    peak_kb = int(p.stderr.decode().split()[-1]) if timer else float("nan")
    size = int(subprocess.run(["du", "-sb", index], capture_output=True, text=True, check=True).stdout.split()[0])
    return {"build_s": wall, "peak_rss_mb": peak_kb / 1024, "index_bytes": size}


def clean_bytes(binary, corpus):
    p = subprocess.Popen([binary, "export", corpus], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    size = sum(len(json.loads(line)["text"].encode()) for line in p.stdout)
    p.wait()
    return size


WORDS = ["国际", "合作", "核武器", "妇女", "发展", "安全", "裁军", "条约", "区域", "会员国",
         "秘书长", "报告", "执行", "援助", "和平", "技术", "武器", "能力"]


def served(binary, index, queries):
    """Starts `unres serve` on `index`, asks each query once, returns the times (ms)."""
    import http.client, socket, urllib.parse
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    p = subprocess.Popen([binary, "serve", "--index", index, "--addr", f"127.0.0.1:{port}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/api/stats")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.05)
        times = []
        for q in queries:
            t0 = time.perf_counter()
            conn.request("GET", "/api/search?q=" + urllib.parse.quote(q))
            r = conn.getresponse()
            r.read()
            times.append((time.perf_counter() - t0) * 1000)
            if r.status != 200:
                raise SystemExit(f"sidebyside: {binary} serve answered {r.status} to {q}")
        return times
    finally:
        p.terminate()
        p.wait()


def main():
    ap = argparse.ArgumentParser(add_help=True)
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if a.smoke:
        a.count, a.runs = 40, 2
    bins = {"before": os.path.abspath(a.before), "after": os.path.abspath(a.after)}
    for b in bins.values():
        if not os.access(b, os.X_OK):
            say(f"no binary at {b}")
            return 2
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    work = os.path.join(root, "bench-data", "sidebyside")
    os.makedirs(work, exist_ok=True)
    corpus = os.path.join(work, f"corpus-{a.count}")
    if not os.path.isfile(corpus + ".done"):
        synth = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "unres-synth")
        shutil.rmtree(corpus, ignore_errors=True)
        say(f"generating {a.count} resolutions")
        subprocess.run([synth, corpus, "--count", str(a.count), "--series", "20"], check=True, stdout=subprocess.DEVNULL)
        open(corpus + ".done", "w").close()
    text = clean_bytes(bins["after"], corpus)
    builds = {k: build(b, corpus, os.path.join(work, f"index-{k}-{a.count}")) for k, b in bins.items()}
    # The first build of a corpus warms the page cache for the second: the first binary
    # builds again, so that each figure is a build from a warm cache.
    builds["before"] = build(bins["before"], corpus, os.path.join(work, f"index-before-{a.count}"))
    ok = True
    times = {k: {name: [] for name, _ in COMMANDS} for k in bins}
    for name, args in COMMANDS:
        outs = {}
        for k, b in bins.items():
            index = [] if args == ["--version"] else ["--index", os.path.join(work, f"index-{k}-{a.count}")]
            cmd = [b] + args + index
            warm = run(cmd)
            if warm.returncode not in (0, 1):
                say(f"{k}: {name} exited {warm.returncode}: {warm.stderr.decode()[:300]}")
                ok = False
            outs[k] = warm.stdout
        if name != "--version" and outs["before"] != outs["after"]:
            if "--json" in args:
                strip = lambda o: [{k: v for k, v in json.loads(l).items() if k != "took_ms"}
                                   for l in o.splitlines() if l.strip()]
                same = strip(outs["before"]) == strip(outs["after"])
            else:
                same = False
            if not same:
                say(f"{name}: the two answers differ")
                ok = False
    # Timed rounds: every command of both binaries in turn, so drift hits all alike.
    for _ in range(a.runs):
        for name, args in COMMANDS:
            for k, b in bins.items():
                index = [] if args == ["--version"] else ["--index", os.path.join(work, f"index-{k}-{a.count}")]
                t0 = time.perf_counter()
                subprocess.run([b] + args + index, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
                times[k][name].append((time.perf_counter() - t0) * 1000)
    med = {k: {n: statistics.median(v) for n, v in t.items()} for k, t in times.items()}
    print(f"{a.count} resolutions, clean text {text / 1e6:.1f} MB, {a.runs} runs, medians, whole process\n")
    print("| | before | after | before ÷ start | after ÷ start | after ÷ before |")
    print("|---|---:|---:|---:|---:|---:|")
    for k in ("build_s", "peak_rss_mb"):
        print(f"| index: {k} | {builds['before'][k]:.1f} | {builds['after'][k]:.1f} | | | {builds['after'][k] / builds['before'][k]:.2f} |")
    b, f = builds["before"]["index_bytes"], builds["after"]["index_bytes"]
    print(f"| index ÷ clean text | {b / text:.3f} | {f / text:.3f} | | | {f / b:.3f} |")
    for name, _ in COMMANDS:
        mb, ma = med["before"][name], med["after"][name]
        sb, sa = med["before"]["--version"], med["after"]["--version"]
        print(f"| `{name}` (ms) | {mb:.2f} | {ma:.2f} | {mb / sb:.2f} | {ma / sa:.2f} | {ma / mb:.2f} |")
    pairs = [f"{a} {b}" for i, a in enumerate(WORDS) for b in WORDS[i + 1:]][:48]
    serve = {k: served(b, os.path.join(work, f"index-{k}-{a.count}"), pairs) for k, b in bins.items()}
    print(f"\n{len(pairs)} new two-word queries, each asked once of `unres serve` (ms):\n")
    print("| | before | after | after ÷ before |")
    print("|---|---:|---:|---:|")
    for label, f in (("median", statistics.median), ("90th percentile", lambda v: statistics.quantiles(v, n=10)[-1])):
        b, f_ = f(serve["before"]), f(serve["after"])
        print(f"| {label} | {b:.2f} | {f_:.2f} | {f_ / b:.2f} |")
    with open(os.path.join(work, "results.json"), "w") as out:
        json.dump({"builds": builds, "clean_bytes": text, "times_ms": times, "serve_ms": serve}, out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
