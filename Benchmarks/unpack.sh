#!/usr/bin/env bash
# Unpack throughput: Sluice's unpack-bench against unzip -p / gzip -dc on the
# same archives, as MB/s of uncompressed output and the ratio Sluice/reference.
#
#   Benchmarks/unpack.sh            (ITERATIONS=N to change the pass count)
#
# Archives: the real FOIASetFull zips from the corpus, plus a tar.gz of the
# corpus XML/HTML folders and a .gz of the 2.4 MB Federal Register daily issue,
# assembled in a temp dir. Figures only; nothing is asserted.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
corpus=${CORPUS:-$repo/../shared/corpus}
iterations=${ITERATIONS:-10}

(cd "$here" && swift build -c release --scratch-path ../.build-bench --product unpack-bench >/dev/null)
bench="$repo/.build-bench/release/unpack-bench"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$corpus" -cf - foia-annual-xml federal-register-xml congress-xml cfr-xml agency-html | gzip -6 > "$tmp/corpus-docs.tar.gz"
gzip -6 -c "$corpus/federal-register-xml/daily-issue/FR-2024-02-12.xml" > "$tmp/FR-2024-02-12.xml.gz"

now() { date +%s.%N; }

# MB/s of a reference command run $iterations times, given its output size.
reference_rate() {
    local bytes=$1; shift
    local start end
    start=$(now)
    for _ in $(seq "$iterations"); do "$@" > /dev/null; done
    end=$(now)
    awk -v b="$bytes" -v n="$iterations" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", b * n / (e - s) / 1e6 }'
}

sluice_rate() {
    "$bench" --iterations "$iterations" "$1" | awk -F'\t' 'NR == 1 { split($4, f, " "); print f[1] }'
}

printf "%-28s %12s %12s %12s %8s\n" "archive" "MB out" "sluice MB/s" "ref MB/s" "ratio"
row() {
    local file=$1 label=$2; shift 2
    local bytes ref ours
    bytes=$("$@" | wc -c)
    ref=$(reference_rate "$bytes" "$@")
    ours=$(sluice_rate "$file")
    awk -v f="$(basename "$file")" -v l="$label" -v b="$bytes" -v o="$ours" -v r="$ref" \
        'BEGIN { printf "%-28s %12.1f %12.1f %12.1f %8.2f  (%s)\n", f, b / 1e6, o, r, o / r, l }'
}

for zip in "$corpus"/archives/foia-gov/*FOIASetFull.zip; do
    row "$zip" "unzip -p" unzip -p "$zip"
done
row "$tmp/corpus-docs.tar.gz" "gzip -dc" gzip -dc "$tmp/corpus-docs.tar.gz"
row "$tmp/FR-2024-02-12.xml.gz" "gzip -dc" gzip -dc "$tmp/FR-2024-02-12.xml.gz"
