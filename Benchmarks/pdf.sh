#!/usr/bin/env bash
# PDF text throughput: Sluice's PDF path against pdftotext alone and pdfminer.six on the same
# files, and OCR pages per second. Figures only. Needs poppler-utils, tesseract-ocr and, from
# PyPI, reportlab, pdfminer.six, pillow and img2pdf.
#
#   Benchmarks/pdf.sh            # best of 3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
corpus=${CORPUS:-$repo/../shared/corpus}
work=${BENCH_DIR:-/tmp/sluice-bench}/pdf
repeat=${REPEAT:-3}
mkdir -p "$work"

(cd "$repo" && swift build -c release --product sluice >/dev/null)
(cd "$here" && swift build -c release --product pdf-bench >/dev/null)
bench="$here/.build/release/pdf-bench"
[ -f "$work/done" ] || { python3 "$here/make_pdfs.py" "$repo/.build/release/sluice" "$corpus" "$work/text" && touch "$work/done"; }
files=("$work"/text/*.pdf)
pages=$(for f in "${files[@]}"; do pdfinfo "$f" | awk '/^Pages:/ { print $2 }'; done | awk '{ s += $1 } END { print s }')
mb=$(du -cb "${files[@]}" | tail -1 | awk '{ printf "%.2f", $1 / 1e6 }')
best() { sort -g | head -1; }
now() { date +%s.%N; }

poppler=$(for _ in $(seq "$repeat"); do
    s=$(now); for f in "${files[@]}"; do pdftotext -enc UTF-8 "$f" - >/dev/null; done; e=$(now)
    awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'
done | best)
sluice=$(for _ in $(seq "$repeat"); do "$bench" "${files[@]}" | sed 's/.*seconds=\([0-9.]*\).*/\1/'; done | best)
pdfminer=$(python3 - "${files[@]}" <<'PY'
import sys, time
from pdfminer.high_level import extract_text
start = time.time()
for path in sys.argv[1:]:
    extract_text(path)
print(time.time() - start)
PY
)
echo "PDF text: ${#files[@]} documents, $pages pages, $mb MB (best of $repeat; pdfminer.six once)"
for row in "pdftotext alone:$poppler" "sluice PDF path:$sluice" "pdfminer.six:$pdfminer"; do
    name=${row%%:*}; secs=${row##*:}
    awk -v n="$name" -v s="$secs" -v p="$pages" -v m="$mb" 'BEGIN { printf "  %-18s %7.2f s  %8.1f pages/s  %6.2f MB/s\n", n, s, p / s, m / s }'
done
awk -v a="$poppler" -v b="$sluice" 'BEGIN { printf "  Sluice / pdftotext alone: %.2f\n", a / b }'

# OCR: the scanned fixture page, ten times.
scanned=()
for i in $(seq 10); do scanned+=("$repo/Tests/Fixtures/productions/scanned.pdf"); done
echo "OCR: $("$bench" --ocr "${scanned[@]}")"
