#!/usr/bin/env bash
# Parse throughput: Sluice's parse stage against `xmllint --stream --noout`
# (libxml2's own streaming reader, no output) on the same XML files.
#
#   Benchmarks/parse.sh [REPEAT]
#
# Uses every XML file in the shared corpus (not the hostile ones), each parsed
# REPEAT times (default 20, a few seconds each way), in ROUNDS (default 3)
# alternating pairs. Prints both throughputs and the ratio Sluice/xmllint.
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

# The machine is shared: run ROUNDS alternating pairs and report, per pair, the
# ratio of wall-clock throughputs and the ratio of CPU-time throughputs (user +
# system, steadier under load); the summary is the median of each.
rounds="${ROUNDS:-3}"
list=()
for _ in $(seq "$repeat"); do list+=("${files[@]}"); done
wall_ratios=()
cpu_ratios=()
for round in $(seq "$rounds"); do
    # Sluice: files are read into memory first; only parsing is timed (by parse-bench itself).
    line="$("$bench" --repeat "$repeat" "${files[@]}")"
    s_wall="$(sed -n 's/.* MB\/s=\([0-9.]*\).*/\1/p' <<<"$line")"
    s_cpu="$(sed -n 's/.*cpu_MB\/s=\([0-9.]*\).*/\1/p' <<<"$line")"
    echo "round $round sluice:  $line"
    # xmllint: the file list REPEAT times in one process, so start-up does not count against it.
    TIMEFORMAT='%R %U %S'
    times="$( { time xmllint --stream --noout "${list[@]}" >/dev/null 2>&1; } 2>&1 | tail -1)"
    read -r real user sys <<<"$times"
    x_wall="$(echo "$bytes * $repeat / 1000000 / $real" | bc -l)"
    x_cpu="$(echo "$bytes * $repeat / 1000000 / ($user + $sys)" | bc -l)"
    printf 'round %d xmllint: seconds=%.3f MB/s=%.1f cpu_seconds=%.3f cpu_MB/s=%.1f\n' "$round" "$real" "$x_wall" \
        "$(echo "$user + $sys" | bc -l)" "$x_cpu"
    wall_ratios+=("$(echo "$s_wall / $x_wall" | bc -l)")
    cpu_ratios+=("$(echo "$s_cpu / $x_cpu" | bc -l)")
    printf 'round %d ratio sluice/xmllint: wall %.2f  cpu %.2f\n' "$round" "${wall_ratios[-1]}" "${cpu_ratios[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
printf 'median ratio sluice/xmllint: wall %.2f  cpu %.2f  (%d rounds)\n' "$(median "${wall_ratios[@]}")" "$(median "${cpu_ratios[@]}")" "$rounds"
