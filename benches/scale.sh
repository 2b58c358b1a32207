#!/usr/bin/env bash
# Scaling table of `unres` on generated corpora of several sizes: for each resolution count,
# the corpus (files, records, clean text), the index build (wall time, peak anonymous
# memory and peak resident set, index size and its ratio to the clean text), and the
# median and fastest whole-process times (start to exit) of a fixed list of commands:
# search (plain, one character, collapsed, newest first, by resolution, by session),
# stats, and diff and history on the newest member of a series found in the corpus.
#
# Talks to: cargo (builds target/release/unres and the generator unres-synth), `unres-synth`,
# `unres export | index | search | stats | diff | history`, python3 (memory sampling,
# timing, the table). Everything it writes is under bench-data/scale/ (git-ignored).
#
# Usage: bash benches/scale.sh [--counts 1000,5000,20000,50000] [--runs N] [--no-build] [--smoke]
#   --counts LIST  comma-separated resolution counts (default 1000,5000,20000,50000); each
#                  corpus also holds 20 series of 20 sessions
#   --runs N       timed runs per command, after one warm-up run (default 7); medians quoted
#   --no-build     use the release binaries as they are, without cargo build
#   --smoke        count 40 and 2 runs: a quick check that everything works
# A corpus is generated once (deterministic) and kept; the index is built anew on every run.
# The table goes to stdout and bench-data/scale/table.md, raw figures to results.json there.
# Exits 0 when everything ran, 1 when a command failed, 2 on bad arguments or missing tools.
set -euo pipefail
cd "$(dirname "$0")/.."

counts=1000,5000,20000,50000
runs=7
build=1
say() { printf 'scale: %s\n' "$*" >&2; }
usage_error() { say "$1 (try --help)"; exit 2; }
while (($#)); do
  case "$1" in
    --smoke) counts=40; runs=2 ;;
    --counts) (($# > 1)) || usage_error "--counts needs a list"; counts=$2; shift ;;
    --runs) (($# > 1)) || usage_error "--runs needs a number"; runs=$2; shift ;;
    --no-build) build=0 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "unknown argument $1" ;;
  esac
  shift
done
[[ $counts =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || usage_error "--counts wants numbers separated by commas, not '$counts'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || usage_error "--runs wants a positive number, not '$runs'"
IFS=, read -r -a count_list <<<"$counts"

for tool in python3 du; do
  command -v "$tool" >/dev/null || { say "$tool is needed; install it and run again"; exit 2; }
done
if ((build)); then
  command -v cargo >/dev/null || { say "cargo is needed (or pass --no-build)"; exit 2; }
  say "building the release binaries"
  cargo build --release -q --bins || { say "cargo build failed"; exit 1; }
fi
bin=${CARGO_TARGET_DIR:-target}/release/unres
synth=${CARGO_TARGET_DIR:-target}/release/unres-synth
for b in "$bin" "$synth"; do
  [[ -x $b ]] || { say "no binary at $b (run without --no-build)"; exit 2; }
done

# Corpora: generated once; the stamp says the generation finished.
work=bench-data/scale
mkdir -p "$work"
for n in "${count_list[@]}"; do
  if [[ ! -f $work/corpus-$n.done || ! -d $work/corpus-$n ]]; then
    say "generating corpus-$n ($n resolutions and 20 series)"
    rm -rf "$work/corpus-$n" "$work/corpus-$n.done"
    "$synth" "$work/corpus-$n" --count "$n" --series 20 >/dev/null || { say "unres-synth failed"; exit 1; }
    touch "$work/corpus-$n.done"
  fi
done

# Measurements and the table. An explicit --index folder is opened as it is (the corpus is
# never checked for changes), so the timed commands only read the index.
python3 - "$bin" "$work" "$runs" "${count_list[@]}" <<'PY'
import json, os, re, shutil, statistics, subprocess, sys, time

bin, work, runs, counts = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
say = lambda m: print(f"scale: {m}", file=sys.stderr, flush=True)
MB = 1e6

def clean_text(corpus):
    """Records and UTF-8 bytes of their text, from `unres export`."""
    p = subprocess.Popen([bin, "export", corpus], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    records = size = 0
    for line in p.stdout:
        records += 1
        size += len(json.loads(line)["text"].encode())
    if p.wait():
        raise RuntimeError(f"unres export {corpus} exited {p.returncode}")
    return records, size

def status_kb(pid):
    """RssAnon and VmHWM (kB) of a running process, or {} once it has exited."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return {k: int(v.split()[0]) for k, v in (l.split(":", 1) for l in f) if k in ("RssAnon", "VmHWM")}
    except (OSError, ValueError):
        return {}

def build(corpus, index, log):
    """Runs `unres index --rebuild`, sampling its memory every 20 ms. The folder is removed
    first: a rebuild keeps the previous commit's manifest and links files, which would
    count in the index size."""
    shutil.rmtree(index, ignore_errors=True)
    with open(log, "w") as out:
        t0 = time.perf_counter()
        p = subprocess.Popen([bin, "index", corpus, "--index", index, "--rebuild"],
                             stdout=out, stderr=out, stdin=subprocess.DEVNULL)
        anon = hwm = 0
        while True:
            s = status_kb(p.pid)
            anon, hwm = max(anon, s.get("RssAnon", 0)), max(hwm, s.get("VmHWM", 0))
            pid, st, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(st)
    if p.returncode:
        raise RuntimeError(f"unres index exited {p.returncode}: " + open(log).read()[-500:])
    # ru_maxrss (kB) is the exact peak resident set; sampling can miss the last 20 ms.
    return {"build_s": wall, "peak_anon_bytes": anon * 1024, "peak_rss_bytes": max(hwm, usage.ru_maxrss) * 1024}

def series_symbol(corpus):
    """The newest member of the longest series: file names give the candidates (a number
    present in the newest session and the one before), and a member belongs to the chain
    while its text recalls the same number in the session before (`第 79/500 号决议`)."""
    files = {}
    for name in os.listdir(corpus):
        m = re.fullmatch(r"A-RES-(\d+)-(\d+)\.zh\.txt", name)
        if m:
            files[int(m[1]), int(m[2])] = name
    if not files:
        return None, 0
    newest = max(s for s, _ in files)
    def recalls(s, n):
        with open(os.path.join(corpus, files[s, n]), encoding="utf-8", errors="replace") as f:
            return f"第{s - 1}/{n}号决议" in re.sub(r"\s+", "", f.read(4096))
    best = (1, None)
    for n in sorted(n for s, n in files if s == newest and (s - 1, n) in files):
        length, s = 1, newest
        while (s - 1, n) in files and recalls(s, n):
            length, s = length + 1, s - 1
        if length > best[0]:
            best = (length, n)
    return (f"A/RES/{newest}/{best[1]}", best[0]) if best[1] else (None, 0)

def timed(args):
    """One warm-up run (must exit 0), then `runs` timed runs, output to /dev/null."""
    warm = subprocess.run(args, capture_output=True, stdin=subprocess.DEVNULL)
    if warm.returncode:
        return {"failed": f"exit {warm.returncode}: " + warm.stderr.decode(errors="replace").strip()}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        rc = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL).returncode
        times.append((time.perf_counter() - t0) * 1000)
        if rc:
            return {"failed": f"exit {rc} in a timed run"}
    return {"median_ms": statistics.median(times), "min_ms": min(times), "runs_ms": times,
            "lines": warm.stdout.count(b"\n")}

COMMANDS = [  # name, arguments (SYMBOL is replaced by the series member)
    ("search 妇女", ["search", "妇女"]),
    ("search 的", ["search", "的"]),
    ("search 的 --collapse", ["search", "的", "--collapse"]),
    ("search 核 --collapse", ["search", "核", "--collapse"]),
    # A character not among the frequent ones the index keeps a term for, yet in about a
    # third of the records: its matches are a union of every bigram starting with it.
    ("search 合 --collapse", ["search", "合", "--collapse"]),
    # A phrase in about one record in eight, a word of its own (联合国大会 starts with it):
    # a first page, and all its matches counted by session.
    ("search 联合国", ["search", "联合国"]),
    ("search 联合国 --by-session", ["search", "联合国", "--by-session"]),
    # A phrase found mostly inside longer words (不扩散核武器条约, 禁止核武器条约).
    ("search 核武器 --by-session", ["search", "核武器", "--by-session"]),
    ("search 武器 --sort newest", ["search", "武器", "--sort", "newest"]),
    ("search 妇女 --by-resolution", ["search", "妇女", "--by-resolution"]),
    ("search 妇女 --by-session", ["search", "妇女", "--by-session"]),
    ("search 的 --by-session", ["search", "的", "--by-session"]),
    ("stats", ["stats"]),
    ("diff SYMBOL", ["diff", "SYMBOL"]),
    ("history SYMBOL op.1", ["history", "SYMBOL", "op.1"]),
]

results = {"runs": runs, "counts": {}}
for n in counts:
    corpus, index = f"{work}/corpus-{n}", f"{work}/index-{n}"
    r = results["counts"][n] = {"files": len(os.listdir(corpus)), "commands": {}}
    try:
        say(f"{n}: clean text of {r['files']} files")
        r["records"], r["clean_bytes"] = clean_text(corpus)
        say(f"{n}: building the index")
        r.update(build(corpus, index, f"{work}/index-{n}.log"))
    except RuntimeError as e:
        r["build_failed"] = str(e)
        say(f"{n}: build failed: {e}")
        continue
    r["index_bytes"] = int(subprocess.run(["du", "-sb", index], capture_output=True, text=True, check=True).stdout.split()[0])
    symbol, length = series_symbol(corpus)
    r["symbol"], r["series_length"] = symbol, length
    say(f"{n}: diff and history use {symbol} (newest member of a series of {length} sessions linked by recalls)"
        if symbol else f"{n}: no series found in the corpus: diff and history fail")
    for name, args in COMMANDS:
        if "SYMBOL" in args and not symbol:
            r["commands"][name] = {"failed": "no series member found in the corpus"}
            continue
        args = [bin] + [symbol if a == "SYMBOL" else a for a in args] + ["--index", index]
        say(f"{n}: {name.replace('SYMBOL', symbol or 'SYMBOL')}")
        r["commands"][name] = timed(args)

# The table: one column per count.
cols = [results["counts"][n] for n in counts]
def row(label, cell):
    cells = []
    for c in cols:
        try:
            cells.append(cell(c))
        except (KeyError, TypeError, ZeroDivisionError):
            cells.append("failed" if "build_failed" in c else "–")
    return f"| {label} | " + " | ".join(cells) + " |"
def ms(name):
    def cell(c):
        t = c["commands"][name]
        return "failed" if "failed" in t else f"{t['median_ms']:.1f} ({t['min_ms']:.1f})"
    return cell
lines = ["| | " + " | ".join(counts) + " |", "|---|" + "---:|" * len(counts),
         row("files", lambda c: str(c["files"])),
         row("records", lambda c: str(c["records"])),
         row("clean text MB", lambda c: f"{c['clean_bytes'] / MB:.1f}"),
         row("build s", lambda c: f"{c['build_s']:.2f}"),
         row("peak anonymous MB", lambda c: f"{c['peak_anon_bytes'] / MB:.1f}"),
         row("peak RSS MB", lambda c: f"{c['peak_rss_bytes'] / MB:.1f}"),
         row("index MB", lambda c: f"{c['index_bytes'] / MB:.1f}"),
         row("index ÷ clean text", lambda c: f"{c['index_bytes'] / c['clean_bytes']:.2f}")]
lines += [row(f"`{name}` ms", ms(name)) for name, _ in COMMANDS]
lines += [row("`search 妇女 --by-resolution` lines", lambda c: str(c["commands"]["search 妇女 --by-resolution"]["lines"]))]
lines += ["", f"Times: median (fastest) of {runs} runs after one warm-up, process start to exit, output to /dev/null.",
          "MB are 10⁶ bytes. Peak anonymous memory is the highest RssAnon sampled every 20 ms during the build;",
          "peak RSS is the build's maximum resident set (VmHWM / ru_maxrss), which also counts mapped index files.",
          "SYMBOL: " + ", ".join(f"{n}: {c.get('symbol') or 'none'}" for n, c in zip(counts, cols)) + "."]
failures = [f"{n}: {c['build_failed']}" for n, c in zip(counts, cols) if "build_failed" in c]
failures += [f"{n}: `{name}`: {t['failed']}" for n, c in zip(counts, cols)
             for name, t in c["commands"].items() if "failed" in t]
if failures:
    lines += ["", "Failed:"] + [f"- {f}" for f in failures]
table = "\n".join(lines) + "\n"
print(table, end="")
with open(f"{work}/table.md", "w", encoding="utf-8") as f:
    f.write(table)
with open(f"{work}/results.json", "w", encoding="utf-8") as f:
    json.dump(results, f, ensure_ascii=False, indent=1)
say(f"table written to {work}/table.md, raw figures to {work}/results.json")
sys.exit(1 if failures else 0)
PY
