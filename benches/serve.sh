#!/usr/bin/env bash
# Load benchmark of `unres serve`: wrk keeps N connections busy for D seconds with a mixed
# set of /api/search requests (benches/serve.lua: typed queries, filters, date order,
# collapsed pages, the session chart, a second page), against the release binary serving a
# generated corpus. Prints requests/s, latency percentiles and errors, the CPU time the
# server and wrk used (they share the machine's cores), and the size of the page and its
# assets.
#
# Talks to: cargo (builds target/release/unres and unres-synth), unres-synth, `unres index`,
# `unres serve`, wrk, curl. Everything it writes is under bench-data/serve/ (git-ignored).
#
# Usage: bash benches/serve.sh [--smoke] [--count N] [--series K] [--duration S]
#                              [--connections N] [--threads N] [--no-install]
#   --smoke         40 resolutions, 2 series, 3 s with 8 connections: checks that it all works (CI)
#   --count N       resolutions in the corpus (default 5000)
#   --series K      series of 20 sessions beside them (default 20)
#   --duration S    seconds of load (default 10)
#   --connections N concurrent connections (default 32)
#   --threads N     wrk threads (default 2)
#   --no-install    do not try to install a missing wrk with apt-get
# Exits 0 when every request was answered with a 2xx, 1 when some were not, 2 when it could
# not run (in --smoke mode a missing wrk is reported and skipped instead).
set -euo pipefail
cd "$(dirname "$0")/.."

count=5000
series=20
duration=10
connections=32
threads=2
smoke=0
install=1
while (($#)); do
  case "$1" in
    --smoke) smoke=1; count=40; series=2; duration=3; connections=8 ;;
    --count) count="${2:?--count needs a number}"; shift ;;
    --series) series="${2:?--series needs a number}"; shift ;;
    --duration) duration="${2:?--duration needs a number}"; shift ;;
    --connections) connections="${2:?--connections needs a number}"; shift ;;
    --threads) threads="${2:?--threads needs a number}"; shift ;;
    --no-install) install=0 ;;
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve-bench: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
seed=46

say() { printf 'serve-bench: %s\n' "$*" >&2; }

# ----------------------------------------------------------------------------------------
# Tools
if ! command -v wrk >/dev/null && ((install)) && command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
  say "installing wrk with apt-get"
  { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; } >/dev/null 2>&1 ||
    say "could not install wrk"
fi
if ! command -v wrk >/dev/null; then
  say "wrk is needed (apt-get install wrk)"
  if ((smoke)); then say "skipped"; exit 0; fi
  exit 2
fi
command -v curl >/dev/null || { say "curl is needed"; exit 2; }

say "building the release binaries"
cargo build --release --quiet --bin unres --bin unres-synth
bin=${CARGO_TARGET_DIR:-target}/release/unres
synth=${CARGO_TARGET_DIR:-target}/release/unres-synth

# ----------------------------------------------------------------------------------------
# Data: generated once per size, indexed (an unchanged corpus is not read again).
work=bench-data/serve
corpus=$work/corpus-$count-s$series
index=$work/index-$count-s$series
mkdir -p "$work"
if [[ ! -f $corpus/.complete ]]; then
  say "generating $count resolutions and $series series (seed $seed)"
  rm -rf "$corpus"
  "$synth" "$corpus" --count "$count" --seed "$seed" --series "$series" >/dev/null
  touch "$corpus/.complete"
fi
say "indexing $corpus"
"$bin" index --index "$index" "$corpus" >/dev/null

# ----------------------------------------------------------------------------------------
# The server, on a free port.
log=$work/server.log
"$bin" serve --index "$index" --addr 127.0.0.1:0 >"$log" 2>&1 &
server=$!
stop() { kill -INT "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap stop EXIT
url=""
for _ in $(seq 1 200); do
  url=$(grep -o 'http://[0-9.:]*/' "$log" | head -n 1 || true)
  [[ -n $url ]] && break
  sleep 0.05
done
[[ -n $url ]] || { say "the server did not start:"; cat "$log" >&2; exit 2; }
url=${url%/}

page=0
for asset in / /app.js /style.css; do
  n=$(curl -s -o /dev/null -w '%{size_download}' "$url$asset")
  page=$((page + n))
done
gz=0
for asset in / /app.js /style.css; do
  n=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$url$asset")
  gz=$((gz + n))
done

cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks=$(getconf CLK_TCK)

say "warming up (2 s)"
wrk -t"$threads" -c"$connections" -d2s -s benches/serve.lua "$url" >/dev/null

say "$connections connections, $threads wrk threads, ${duration} s"
before=$(cpu_of "$server")
start=$(date +%s.%N)
out=$( { /usr/bin/time -f 'WRKCPU %U %S' wrk -t"$threads" -c"$connections" -d"${duration}s" --latency \
  -s benches/serve.lua "$url"; } 2>&1)
end=$(date +%s.%N)
after=$(cpu_of "$server")
result=$(grep '^RESULT' <<<"$out" || true)
[[ -n $result ]] || { say "wrk gave no result:"; echo "$out" >&2; exit 2; }
wrk_cpu=$(grep '^WRKCPU' <<<"$out" | awk '{print $2 + $3}')
server_cpu=$(awk -v a="$before" -v b="$after" -v t="$ticks" 'BEGIN {printf "%.1f", (b - a) / t}')
wall=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}')

field() { grep -o "$1=[0-9.]*" <<<"$result" | cut -d= -f2; }
errors=$(($(field connect) + $(field read) + $(field write) + $(field status) + $(field timeout)))

records=$(curl -s "$url/api/stats" | grep -o '"records":[0-9]*' | cut -d: -f2)
cat <<EOF
unres serve under load: $count resolutions + $series series ($records records), $(nproc) cores shared by server and client
  $connections connections, $threads wrk threads, ${duration} s, $(field queries) requests in the mix (benches/serve.lua)
  requests:   $(field requests) in $(field seconds) s = $(field rps) requests/s
  latency:    p50 $(field p50_ms) ms, p90 $(field p90_ms) ms, p99 $(field p99_ms) ms, p99.9 $(field p999_ms) ms, max $(field max_ms) ms (mean $(field mean_ms) ms)
  errors:     $errors (connect $(field connect), read $(field read), write $(field write), non-2xx $(field status), timeout $(field timeout))
  CPU:        server $server_cpu s, wrk ${wrk_cpu} s, over ${wall} s of wall time on $(nproc) cores
  page:       $page bytes with its assets ($gz bytes gzipped)
EOF
echo "$result" >"$work/result.txt"
if ((errors > 0)); then
  say "some requests failed; the server said:"
  tail -n 20 "$log" >&2
  exit 1
fi
