#!/usr/bin/env bash
# PDFs in: `unres export` of a folder of PDFs against poppler's `pdftotext -layout` on the
# same files (one after another, and two at a time with xargs -P 2, as the machine has two
# cores), then `unres index` of the PDFs from nothing, with its time and peak memory.
#
# Talks to: cargo (builds target/release/unres and unres-synth), unres-synth, python3 and
# tests/fixtures/pdf/typeset.py with LibreOffice (soffice) to typeset the generated
# resolutions, pdftotext (poppler-utils), /usr/bin/time. Everything it writes is under
# bench-data/pdf/ (git-ignored); the PDFs are kept and reused.
#
# Usage: bash benches/pdf.sh [--count N] [--smoke]
#   --count N   generated resolutions (default 5000; typesetting them takes about 15 min)
#   --smoke     20 resolutions: checks that it all works
set -euo pipefail
cd "$(dirname "$0")/.."
count=5000
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --smoke) count=20; shift ;;
    *) echo "usage: bash benches/pdf.sh [--count N] [--smoke]" >&2; exit 2 ;;
  esac
done
for tool in soffice pdftotext python3; do
  command -v "$tool" >/dev/null || { echo "pdf.sh: $tool is not installed" >&2; exit 2; }
done
cargo build --release --quiet --bin unres --bin unres-synth
unres=target/release/unres
data=bench-data/pdf/$count
mkdir -p "$data"
if [ ! -d "$data/pdf" ] || [ "$(ls "$data/pdf" | wc -l)" -lt "$count" ]; then
  rm -rf "$data/txt" "$data/pdf"
  target/release/unres-synth "$data/txt" --count "$count" --seed 11 >/dev/null
  find "$data/txt" -name '*.txt' -print0 | xargs -0 python3 tests/fixtures/pdf/typeset.py "$data/pdf" --unres "$unres"
fi
files=$(ls "$data/pdf" | wc -l)
bytes=$(du -sb "$data/pdf" | cut -f1)
echo "$files PDFs, $((bytes / 1000000)) MB"
# Wall seconds of a command, its output thrown away.
t() { local TIMEFORMAT=%R; { time "$@" >/dev/null 2>&1 || true; } 2>&1; }
echo "process start (unres --version): $(t "$unres" --version) s"
echo "unres export (2 threads):        $(t "$unres" export "$data/pdf") s"
echo "pdftotext -layout, one by one:   $(t sh -c "for f in $data/pdf/*.pdf; do pdftotext -layout \"\$f\" -; done") s"
echo "pdftotext -layout, xargs -P 2:   $(t sh -c "ls $data/pdf/*.pdf | xargs -P 2 -I{} pdftotext -layout {} -") s"
rm -rf "$data/index"
/usr/bin/time -f "unres index of the PDFs from nothing: %e s, peak memory %M KB" \
  "$unres" index --index "$data/index" "$data/pdf" >/dev/null
