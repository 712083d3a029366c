#!/usr/bin/env bash
# Parse throughput: Sluice's parse stage against `xmllint --stream --noout`
# (libxml2's own streaming reader, no output) on the same XML files.
#
#   Benchmarks/parse.sh [REPEAT]
#
# Uses every XML file in the shared corpus (not the hostile ones), each parsed
# REPEAT times (default 20, a few seconds each way), best of ROUNDS (default 3)
# alternating runs. Prints both throughputs and the ratio Sluice/xmllint.
# Installs libxml2-utils if xmllint is missing.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
corpus="${SLUICE_CORPUS:-$repo/../shared/corpus}"
repeat="${1:-20}"

if ! command -v xmllint >/dev/null 2>&1; then
    echo "xmllint not found; installing libxml2-utils" >&2
    apt-get update -qq && apt-get install -y libxml2-utils >/dev/null
fi

(cd "$here" && swift build -c release --scratch-path "$repo/.build-bench" --product parse-bench >&2)
bench="$repo/.build-bench/release/parse-bench"

mapfile -d '' files < <(find "$corpus" -type f -iname '*.xml' -not -path '*/hostile/*' -print0 | sort -z)
bytes=0
for f in "${files[@]}"; do bytes=$((bytes + $(stat -c %s "$f"))); done
echo "files: ${#files[@]} XML, $bytes bytes, x$repeat"

# Warm the page cache so both sides read from memory.
cat "${files[@]}" >/dev/null

# The machine is shared: run each side ROUNDS times, alternating, and keep the best of each.
rounds="${ROUNDS:-3}"
list=()
for _ in $(seq "$repeat"); do list+=("${files[@]}"); done
best_sluice=0
best_xmllint=0
for round in $(seq "$rounds"); do
    # Sluice: files are read into memory first; only parsing is timed (by parse-bench itself).
    line="$("$bench" --repeat "$repeat" "${files[@]}")"
    mbs="$(sed -n 's/.*MB\/s=\([0-9.]*\).*/\1/p' <<<"$line")"
    echo "round $round sluice:  $line"
    if (( $(echo "$mbs > $best_sluice" | bc -l) )); then best_sluice="$mbs"; fi
    # xmllint: the file list REPEAT times in one process, so start-up does not count against it.
    start=$(date +%s.%N)
    xmllint --stream --noout "${list[@]}" 2>/dev/null || true
    end=$(date +%s.%N)
    mbs="$(echo "$bytes * $repeat / 1000000 / ($end - $start)" | bc -l)"
    printf 'round %d xmllint: seconds=%.3f MB/s=%.1f\n' "$round" "$(echo "$end - $start" | bc -l)" "$mbs"
    if (( $(echo "$mbs > $best_xmllint" | bc -l) )); then best_xmllint="$mbs"; fi
done
printf 'best sluice: %.1f MB/s   best xmllint --stream: %.1f MB/s\n' "$best_sluice" "$best_xmllint"
printf 'ratio sluice/xmllint: %.2f\n' "$(echo "$best_sluice / $best_xmllint" | bc -l)"
