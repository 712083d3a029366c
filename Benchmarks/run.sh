#!/usr/bin/env bash
# End to end: Sluice against the floor on the same real inputs, in one invocation.
# Figures only; nothing is asserted.
#
#   Benchmarks/run.sh                 # 1x and 10x, best of 3 (about 5 minutes on 2 busy cores)
#   SCALES=1 Benchmarks/run.sh        # 1x only
#   REPEAT=5 Benchmarks/run.sh        # best of 5
#   ISOLATION=1 Benchmarks/run.sh     # also parse.isolation: process against none, 1x, interleaved
#   EXTRACTION=1 Benchmarks/run.sh    # also the default pipeline against one with no extractors, 1x,
#                                     # interleaved: what extraction costs, and what the rest does
#
# The floor is ../shared/tools/floor/floor (zlib + libxml2 in one process, documents
# spread over --threads 2, nothing else: no extraction, no hashing, no output), the
# reference Sluice is judged against (its README). Inputs, as that README names them:
# the five FOIA.gov *-FOIASetFull.zip releases plus one zip of every loose file of
# agency-feeds, agency-html, cfr-xml, congress-xml, federal-register-xml and
# foia-annual-xml (669 documents, 75.2 MB uncompressed). 10x is ten copies of each
# release under other names. Sluice = `sluice run --workers 2 --quiet` into a new
# Outbox. Ratio = floor wall time / Sluice wall time, best of $REPEAT each. The floor and
# Sluice run by turns (floor, Sluice, floor, ...), so that a slower spell of the shared
# machine falls on both; each round's own ratio is printed too.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
shared=${SHARED:-$repo/../shared}
corpus=$shared/corpus
bench_dir=${BENCH_DIR:-/tmp/sluice-bench}
scales=${SCALES:-1 10}
repeat=${REPEAT:-3}

[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
echo "building sluice (release) and the floor..." >&2
(cd "$repo" && swift build -c release --static-swift-stdlib --scratch-path .build-release --product sluice >/dev/null)
sluice="$repo/.build-release/release/sluice"
mkdir -p "$bench_dir"
cc -O2 -pthread "$shared/tools/floor/floor.c" $(pkg-config --cflags --libs libxml-2.0 zlib) -o "$bench_dir/floor"

inputs() {
    local dir="$bench_dir/floor-inputs-x$1"
    if [ ! -f "$dir/done" ]; then
        echo "assembling ${1}x inputs in $dir..." >&2
        rm -rf "$dir" && mkdir -p "$dir/inbox"
        local loose="$dir/loose.zip"
        (cd "$corpus" && zip -q -r "$loose" agency-feeds agency-html cfr-xml congress-xml federal-register-xml foia-annual-xml)
        for copy in $(seq 1 "$1"); do
            local suffix=""
            [ "$1" -gt 1 ] && suffix="-copy$copy"
            for z in "$corpus"/archives/foia-gov/*-FOIASetFull.zip "$loose"; do
                local base
                base=$(basename "$z" .zip)
                cp "$z" "$dir/inbox/$base$suffix.zip"
            done
        done
        rm "$loose"
        touch "$dir/done"
    fi
    echo "$dir"
}

# "seconds peak_kb cpu_seconds"
timed() {
    local log="$bench_dir/time.log" status=0
    /usr/bin/time -f "%e %M %U %S" -o "$log" "$@" >/dev/null 2>&1 || status=$?
    [ "$status" -le 1 ] || echo "$* exited $status" >&2
    tail -1 "$log" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}

outboxes="$bench_dir/outboxes-$$"
mkdir -p "$outboxes"
trap 'rm -rf "$outboxes"' EXIT

sluice_once() {
    local dir=$1 pipeline=${2:-}
    local out
    out=$(mktemp -d "$outboxes/run-XXXXXX")
    local args=(run --inbox "$dir/inbox" --outbox "$out" --workers 2 --quiet)
    [ -n "$pipeline" ] && args+=(--pipeline "$pipeline")
    (cd "$repo" && timed "$sluice" "${args[@]}")
    rm -rf "$out"
}

best() { sort -g | head -1; }
peak() { awk '{ print $2 }' | sort -g | tail -1; }

echo
printf "%-5s %6s %9s | %8s %8s | %8s %8s %9s %6s | %6s\n" size docs "MB" "floor s" "MB/s" "sluice s" "MB/s" "peak RSS" cores ratio
for scale in $scales; do
    dir=$(inputs "$scale")
    summary=$("$bench_dir/floor" --threads 2 "$dir/inbox" 2>&1 | tail -1)
    floor_runs="" runs=""
    for _ in $(seq "$repeat"); do
        floor_runs+="$(timed "$bench_dir/floor" --threads 2 "$dir/inbox")"$'\n'
        runs+="$(sluice_once "$dir")"$'\n'
    done
    floor_runs=$(echo "$floor_runs" | awk 'NF')
    runs=$(echo "$runs" | awk 'NF')
    f=$(echo "$floor_runs" | awk '{ print $1 }' | best)
    read -r s _ c <<< "$(echo "$runs" | sort -g | head -1)"
    r=$(echo "$runs" | peak)
    docs=$(echo "$summary" | grep -oE 'documents=[0-9]+' | cut -d= -f2)
    mb=$(echo "$summary" | grep -oE ' bytes=[0-9]+' | cut -d= -f2 | awk '{ printf "%.1f", $1 / 1e6 }')
    awk -v sc="${scale}x" -v d="${docs:-0}" -v mb="${mb:-0}" -v f="$f" -v s="$s" -v c="$c" -v r="$r" 'BEGIN {
        printf "%-5s %6d %9.1f | %8.2f %8.1f | %8.2f %8.1f %6.0f MB %6.2f | %6.2f\n",
            sc, d, mb, f, mb / f, s, mb / s, r / 1024, c / s, f / s }'
    eval "secs_$scale=$s"
    echo "  floor: $summary" >&2
    echo "  rounds (floor s / Sluice s = ratio): $(paste <(echo "$floor_runs" | awk '{ print $1 }') <(echo "$runs" | awk '{ print $1 }') |
        awk '{ printf "%s/%s = %.2f  ", $1, $2, $1 / $2 }')"
done
if [ -n "${secs_1:-}" ] && [ -n "${secs_10:-}" ]; then
    echo "Growth: 10x input takes $(awk -v a="$secs_1" -v b="$secs_10" 'BEGIN { printf "%.2f", b / a }')x the time"
fi

if [ -n "${ISOLATION:-}" ]; then
    # parse.isolation: process (children) against none (in-process), 1x, the two modes' runs
    # interleaved so that the shared machine's load falls on both alike.
    dir=$(inputs 1)
    for mode in none process; do
        sed "s/^  isolation: .*/  isolation: $mode/" "$repo/Pipelines/default.yml" > "$bench_dir/isolation-$mode.yml"
        grep -q "^  isolation: $mode\$" "$bench_dir/isolation-$mode.yml" || { echo "Pipelines/default.yml has no isolation line" >&2; exit 1; }
    done
    none_runs="" process_runs=""
    for _ in $(seq "$repeat"); do
        none_runs+="$(sluice_once "$dir" "$bench_dir/isolation-none.yml")"$'\n'
        process_runs+="$(sluice_once "$dir" "$bench_dir/isolation-process.yml")"$'\n'
    done
    n=$(echo "$none_runs" | awk 'NF { print $1 }' | best)
    p=$(echo "$process_runs" | awk 'NF { print $1 }' | best)
    # CPU seconds (user + system, the children's included) suffer less from other jobs than wall time.
    nc=$(echo "$none_runs" | awk 'NF { print $3 }' | best)
    pc=$(echo "$process_runs" | awk 'NF { print $3 }' | best)
    echo
    for mode in none process; do
        runs=$none_runs
        [ "$mode" = process ] && runs=$process_runs
        printf "isolation: %-8s best %s s, %s s CPU, peak %s KB (largest process)  all: %s\n" "$mode" \
            "$(echo "$runs" | awk 'NF { print $1 }' | best)" "$(echo "$runs" | awk 'NF { print $3 }' | best)" \
            "$(echo "$runs" | awk 'NF' | peak)" "$(echo "$runs" | awk 'NF { printf "%s/%s ", $1, $3 }')"
    done
    awk -v n="$n" -v p="$p" -v nc="$nc" -v pc="$pc" 'BEGIN {
        printf "process isolation: %.3fx the wall time of none (%+.1f%% throughput), %.3fx the CPU time\n", p / n, (n / p - 1) * 100, pc / nc }'
fi

if [ -n "${EXTRACTION:-}" ]; then
    # The default pipeline against the same with no extractors (records still parsed, hashed,
    # ledgered and written), 1x, interleaved: the difference is what extraction costs.
    dir=$(inputs 1)
    sed "s/^  extractors: .*/  extractors: []/" "$repo/Pipelines/default.yml" > "$bench_dir/no-extractors.yml"
    grep -q "^  extractors: \[\]\$" "$bench_dir/no-extractors.yml" || { echo "Pipelines/default.yml has no extractors line" >&2; exit 1; }
    floor_runs="" bare_runs="" full_runs=""
    for _ in $(seq "$repeat"); do
        floor_runs+="$(timed "$bench_dir/floor" --threads 2 "$dir/inbox")"$'\n'
        bare_runs+="$(sluice_once "$dir" "$bench_dir/no-extractors.yml")"$'\n'
        full_runs+="$(sluice_once "$dir")"$'\n'
    done
    echo
    line() { printf "%-22s best %s s, %s s CPU\n" "$1" "$(echo "$2" | awk 'NF { print $1 }' | best)" "$(echo "$2" | awk 'NF { print $3 }' | best)"; }
    line "floor:" "$floor_runs"
    line "sluice, no extractors:" "$bare_runs"
    line "sluice, default:" "$full_runs"
    f=$(echo "$floor_runs" | awk 'NF { print $1 }' | best)
    b=$(echo "$bare_runs" | awk 'NF { print $1 }' | best)
    a=$(echo "$full_runs" | awk 'NF { print $1 }' | best)
    awk -v f="$f" -v b="$b" -v a="$a" 'BEGIN {
        printf "ratio without extractors %.2f, with %.2f; extraction is %.0f%% of the default run\n", f / b, f / a, (a - b) / a * 100 }'
fi
