#!/usr/bin/env bash
# Compares `unres search` with `rg -F` and SQLite FTS5 (trigram tokenizer) on the same
# synthetic corpus: for each query of a fixed list, every tool's median wall-clock time
# (process start to exit), its ratio to unres, its hit count and its recall against an
# exact scan of the parsed records; then index build time and size for unres and SQLite,
# and the peak memory of `unres index` and `unres search`.
#
# Talks to: cargo (builds target/release/unres and the generator unres-synth),
# `unres-synth`, `unres index | search | export`, rg, sqlite3, python3 (exact scan and the table), /usr/bin/time (peak memory).
# Everything it writes is under bench-data/ (git-ignored).
#
# Usage: bash benches/compare.sh [--smoke] [--count N] [--runs N] [--no-install]
#   --smoke       40 resolutions, 3 runs a query: a quick check that everything works (CI)
#   --count N     resolutions in the corpus (default 5000, about 98 MB)
#   --runs N      timed runs per query and tool, after one warm-up run (default 10)
#   --no-install  do not try to install missing ripgrep / sqlite3 with apt-get
# Exits 0 when everything that ran worked; tools that are missing are reported "skipped".
# Exits 1 when unres's hits differ from the exact scan's for any query.
set -euo pipefail
cd "$(dirname "$0")/.."

count=5000
runs=10
smoke=0
install=1
while (($#)); do
  case "$1" in
    --smoke) smoke=1; count=40; runs=3 ;;
    --count) count="${2:?--count needs a number}"; shift ;;
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --no-install) install=0 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
seed=46

say() { printf 'compare: %s\n' "$*" >&2; }

# ----------------------------------------------------------------------------------------
# Tools
if ! command -v python3 >/dev/null; then
  say "python3 is needed for the exact scan and the table; install it and run again"
  exit 2
fi
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if ((${#missing[@]})) && ((install)); then
  sudo=()
  can_install=1
  command -v apt-get >/dev/null || can_install=0
  if [[ $(id -u) != 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else can_install=0; fi
  fi
  if ((can_install)); then
    say "installing ${missing[*]} with apt-get"
    {
      "${sudo[@]}" apt-get install -y -qq "${missing[@]}" ||
        { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${missing[@]}"; }
    } >/dev/null 2>&1 || say "could not install ${missing[*]}"
  else
    say "cannot install ${missing[*]} here (no apt-get, or not root and no sudo)"
  fi
fi
have_rg=0
have_sqlite=0
command -v rg >/dev/null && have_rg=1
if command -v sqlite3 >/dev/null; then
  if sqlite3 :memory: "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram');" >/dev/null 2>&1; then
    have_sqlite=1
  else
    say "this sqlite3 ($(sqlite3 --version | cut -d' ' -f1)) lacks FTS5 with the trigram tokenizer (3.34+); SQLite skipped"
  fi
fi
((have_rg)) || say "ripgrep (rg) not available: its column says skipped"
((have_sqlite)) || say "sqlite3 with FTS5 not available: its column says skipped"
have_time=0
[[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1 && have_time=1

# Wall-clock time without forking a `date` per sample when bash has EPOCHREALTIME.
now_us() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    local t=${EPOCHREALTIME/[.,]/}
    echo "$t"
  else
    echo $(($(date +%s%N) / 1000))
  fi
}

# ----------------------------------------------------------------------------------------
# Data: bench-data/corpus is shared with `cargo bench` (same count and seed).
if ((smoke)); then work=bench-data/smoke; else work=bench-data/compare; fi
if ((count == 5000)); then corpus=bench-data/corpus; else corpus=$work/corpus-$count; fi
mkdir -p "$work"
work=$(cd "$work" && pwd)

say "building the release binaries"
cargo build --release --quiet --bin unres --bin unres-synth
bin=${CARGO_TARGET_DIR:-target}/release/unres
synth=${CARGO_TARGET_DIR:-target}/release/unres-synth
for b in "$bin" "$synth"; do
  [[ -x $b ]] || { say "no binary at $b after cargo build --release"; exit 2; }
done

# Regenerate into a scratch folder and keep the existing corpus when it is byte-identical
# (its files then keep their times, and the cargo bench index stays current).
say "generating $count resolutions (seed $seed)"
rm -rf "$work/corpus.new"
"$synth" "$work/corpus.new" --count "$count" --seed "$seed" >/dev/null
if [[ -d $corpus ]] && diff -rq "$work/corpus.new" "$corpus" >/dev/null 2>&1; then
  rm -rf "$work/corpus.new"
else
  say "corpus $corpus missing or out of date: replaced"
  rm -rf "$corpus"
  mkdir -p "$(dirname "$corpus")"
  mv "$work/corpus.new" "$corpus"
fi
corpus_bytes=$(du -sb "$corpus" | cut -f1)
corpus_files=$(find "$corpus" -type f | wc -l)

# ----------------------------------------------------------------------------------------
# unres: index from scratch (timed), records for the exact scan and for SQLite.
index=$work/index
rm -rf "$index"
say "unres index $corpus"
t0=$(now_us)
if ((have_time)); then
  /usr/bin/time -v -o "$work/time-index.txt" "$bin" index "$corpus" --index "$index" >"$work/index.log"
else
  "$bin" index "$corpus" --index "$index" >"$work/index.log"
fi
t1=$(now_us)
unres_build_ms=$(((t1 - t0) / 1000))
unres_index_bytes=$(du -sb "$index" | cut -f1)
say "unres export $corpus"
"$bin" export "$corpus" >"$work/records.jsonl"
records=$(wc -l <"$work/records.jsonl")

peak_kb() { sed -n 's/.*Maximum resident set size (kbytes): *//p' "$1"; }
index_peak_kb=""
search_peak_kb=""
if ((have_time)); then
  index_peak_kb=$(peak_kb "$work/time-index.txt")
  /usr/bin/time -v -o "$work/time-search.txt" "$bin" search --index "$index" 小武器 --limit 10 >/dev/null || true
  search_peak_kb=$(peak_kb "$work/time-search.txt")
fi

# ----------------------------------------------------------------------------------------
# SQLite FTS5 with the trigram tokenizer over the same records.
db=$work/fts.sqlite
sqlite_build_ms=""
sqlite_bytes=""
if ((have_sqlite)); then
  rm -f "$db"
  say "sqlite3: loading $records records into FTS5 (trigram)"
  t0=$(now_us)
  sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TEMP TABLE staging(line TEXT);
.mode ascii
.separator "\037" "\n"
.import '$work/records.jsonl' staging
CREATE VIRTUAL TABLE records USING fts5(
  key UNINDEXED, symbol UNINDEXED, kind UNINDEXED, para UNINDEXED, text,
  tokenize = 'trigram'
);
INSERT INTO records(key, symbol, kind, para, text)
  SELECT json_extract(line, '$.file') || '|' || ifnull(json_extract(line, '$.part'), '') || '|' ||
         json_extract(line, '$.kind') || '|' || json_extract(line, '$.para'),
         json_extract(line, '$.symbol'), json_extract(line, '$.kind'),
         json_extract(line, '$.para'), json_extract(line, '$.text')
  FROM staging;
INSERT INTO records(records) VALUES('optimize');
SQL
  t1=$(now_us)
  sqlite_build_ms=$(((t1 - t0) / 1000))
  sqlite_bytes=$(stat -c %s "$db")
fi

# ----------------------------------------------------------------------------------------
# Queries: name, then the query (space-separated terms are all required).
queries=(
  "1 char|器"
  "2 chars|妇女"
  "2 chars|武器"
  "long phrase (21 chars)|国际追查文书对于维护国际和平与安全的重要性"
  "broken across line wraps|行动纲领执行支助系统"
  "symbol|A/CONF.192/15"
  "several terms|小武器 妇女 行动纲领"
)

median_ms() { # median of the timings (µs) given on stdin, printed in ms
  sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m / 1000}'
}

# Runs "$@" once to warm up and $runs times timed, output to a file (never /dev/null:
# ripgrep stops at the first match when it writes there). Prints the median in ms.
time_cmd() {
  local i t0 t1 st
  "$@" >"$work/out.tmp" 2>&1 || { st=$?; ((st == 1)) || { say "failed ($st): $*"; cat "$work/out.tmp" >&2; return "$st"; }; }
  for ((i = 0; i < runs; i++)); do
    t0=$(now_us)
    "$@" >"$work/out.tmp" 2>&1 || { st=$?; ((st == 1)) || { say "failed ($st): $*"; return "$st"; }; }
    t1=$(now_us)
    echo $((t1 - t0))
  done | median_ms
}

unres_q() { # unres search with the terms as arguments, first page
  "$bin" search --index "$index" --limit 10 --color never -- "$@"
}

rg_q() { # files containing every term (rg has no AND: each further term filters the list)
  local files t st
  files=$(rg -F -l -e "$1" -- "$corpus") || { st=$?; return "$st"; }
  shift
  for t in "$@"; do
    # xargs exits 123 when an rg it ran found nothing (status 1).
    files=$(printf '%s\n' "$files" | xargs -d '\n' rg -F -l -e "$t" --) || { st=$?; ((st == 123)) || return "$st"; }
    [[ -n $files ]] || return 1
  done
  printf '%s\n' "$files"
}

fts_expr() { # every term as an FTS5 string, joined with AND
  local out="" t
  for t in "$@"; do
    out+="${out:+ AND }\"${t//\"/\"\"}\""
  done
  printf '%s' "${out//\'/\'\'}"
}

sqlite_q() { # first page by rank with snippets, then the total
  local e
  e=$(fts_expr "$@")
  sqlite3 "$db" "SELECT symbol, kind, para, snippet(records, 4, '[', ']', '…', 20) FROM records
                 WHERE records MATCH '$e' ORDER BY rank LIMIT 10;
                 SELECT count(*) FROM records WHERE records MATCH '$e';"
}

results=$work/results.tsv
: >"$results"
n=0
for entry in "${queries[@]}"; do
  name=${entry%%|*}
  q=${entry#*|}
  read -r -a terms <<<"$q"
  n=$((n + 1))
  say "query $n: $q"
  # unres: timed first page; then every hit as JSON for the recall.
  unres_ms=$(time_cmd unres_q "${terms[@]}")
  "$bin" search --index "$index" --json --limit "$records" -- "${terms[@]}" >"$work/unres-$n.jsonl" || (($? == 1))
  rg_ms=skipped
  fts_ms=skipped
  if ((have_rg)); then
    rg_ms=$(time_cmd rg_q "${terms[@]}")
    rg_q "${terms[@]}" >"$work/rg-$n.txt" || (($? == 1))
  fi
  if ((have_sqlite)); then
    fts_ms=$(time_cmd sqlite_q "${terms[@]}")
    sqlite3 "$db" "SELECT key FROM records WHERE records MATCH '$(fts_expr "${terms[@]}")';" >"$work/fts-$n.txt"
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$q" "$unres_ms" "$rg_ms" "$fts_ms" >>"$results"
done

# ----------------------------------------------------------------------------------------
# The table: hit counts and recall against the exact scan, and the build figures.
python3 - "$work" "$results" "$runs" <<'PY'
import json, os, re, sys
work, results, runs = sys.argv[1:4]
ws = re.compile(r"\s+")

def key(r):
    return "|".join([r["file"], r["part"] or "", r["kind"], str(r["para"])])

records = []
clean_bytes = 0
with open(os.path.join(work, "records.jsonl"), encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        clean_bytes += len(r["text"].encode())
        records.append((key(r), os.path.basename(r["file"]), ws.sub("", r["text"])))

rows = [l.rstrip("\n").split("\t") for l in open(results, encoding="utf-8")]
out = []
def p(s=""):
    out.append(s)
    print(s)

def ratio(t, base):
    try:
        return f"{float(t) / float(base):.1f}×"
    except ValueError:
        return "–"

def recall(found, wanted):
    return f"{len(found & wanted) / len(wanted):.2f}" if wanted else "–"

warnings = []
p("| query | exact scan: records (files) | unres ms | unres hits | unres recall | rg -F ms | rg ÷ unres | rg files | rg recall (files) | FTS5 ms | FTS5 ÷ unres | FTS5 hits | FTS5 recall |")
p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n, (name, q, unres_ms, rg_ms, fts_ms) in enumerate(rows, 1):
    terms = [ws.sub("", t) for t in q.split()]
    exact = {k for k, _, t in records if all(x in t for x in terms)}
    exact_files = {b for k, b, t in records if k in exact}
    unres = set()
    with open(os.path.join(work, f"unres-{n}.jsonl"), encoding="utf-8") as f:
        for line in f:
            unres.add(key(json.loads(line)))
    if unres != exact:
        warnings.append(f"unres and the exact scan differ on {q!r}: {len(unres - exact)} extra, {len(exact - unres)} missing")
    cells = [f"{name}: `{q}`", f"{len(exact)} ({len(exact_files)})", unres_ms, str(len(unres)), recall(unres, exact)]
    if rg_ms == "skipped":
        cells += ["skipped"] * 4
    else:
        rg = {os.path.basename(l.strip()) for l in open(os.path.join(work, f"rg-{n}.txt"), encoding="utf-8") if l.strip()}
        cells += [rg_ms, ratio(rg_ms, unres_ms), str(len(rg)), recall(rg, exact_files)]
    if fts_ms == "skipped":
        cells += ["skipped"] * 4
    else:
        fts = {l.rstrip("\n") for l in open(os.path.join(work, f"fts-{n}.txt"), encoding="utf-8") if l.strip()}
        cells += [fts_ms, ratio(fts_ms, unres_ms), str(len(fts)), recall(fts, exact)]
    p("| " + " | ".join(cells) + " |")
p()
p(f"Times are medians of {runs} runs after one warm-up, process start to exit; ratios are the tool's time over unres's.")
p("unres and FTS5 hits are records (paragraphs and footnotes); rg counts files, so its recall is at file level.")
p("Exact scan: records of `unres export` whose text, all whitespace removed, contains every term.")
with open(os.path.join(work, "clean-bytes"), "w") as f:
    f.write(str(clean_bytes))
with open(os.path.join(work, "table.md"), "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
# unres promises every record holding the query: a count that differs is a failure.
for w in warnings:
    print(f"compare: ERROR: {w}", file=sys.stderr)
sys.exit(1 if warnings else 0)
PY

rm -f "$work"/unres-*.jsonl "$work/out.tmp" # every hit as JSON: large, only needed above
clean_bytes=$(cat "$work/clean-bytes")
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
times() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
{
  echo
  echo "Corpus: $corpus_files files, $(mb "$corpus_bytes") in the page layout; $records records, $(mb "$clean_bytes") of clean text."
  echo
  echo "| | build | index size | size ÷ clean text |"
  echo "|---|---:|---:|---:|"
  echo "| unres index (read, parse, index; default threads) | $(awk -v m="$unres_build_ms" 'BEGIN { printf "%.2f s", m / 1000 }') | $(mb "$unres_index_bytes") | $(times "$unres_index_bytes" "$clean_bytes") |"
  if ((have_sqlite)); then
    echo "| SQLite FTS5 trigram (load records JSON, index, optimize) | $(awk -v m="$sqlite_build_ms" 'BEGIN { printf "%.2f s", m / 1000 }') | $(mb "$sqlite_bytes") | $(times "$sqlite_bytes" "$clean_bytes") |"
  else
    echo "| SQLite FTS5 trigram | skipped | skipped | skipped |"
  fi
  if ((have_time)); then
    echo
    echo "Peak memory (maximum resident set size, /usr/bin/time -v): \`unres index\` $(mb $((index_peak_kb * 1024))), \`unres search 小武器 --limit 10\` $(mb $((search_peak_kb * 1024)))."
  fi
} | tee -a "$work/table.md"
say "table written to $work/table.md"
