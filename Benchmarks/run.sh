#!/usr/bin/env bash
# End to end: Sluice against the floor (inflate + libxml2 parse) on the same real
# inputs, 1 vs 2 workers, and 1x vs 10x size. Figures only; nothing is asserted.
#
#   Benchmarks/run.sh                 # everything (about 10 minutes on 2 busy cores)
#   SCALES=1 Benchmarks/run.sh        # 1x only
#   REPEAT=5 Benchmarks/run.sh        # best of 5 instead of 3
#
# Inputs (built once, cached in $BENCH_DIR, default /tmp/sluice-bench): at 1x a
# tar.gz of the corpus's XML/HTML folders and a zip of the FOIA.gov FOIASetFull
# XML members, ~150 MB uncompressed; 10x holds the same content ten times over
# in two releases ten times as large. See make_inputs.py.
#
# Floor = gzip -dc + unzip -p of the archives, xmllint --stream --noout on every
# XML document, html-floor (htmlReadMemory) on every HTML document; the documents
# are extracted first, untimed. Sluice = `sluice run --quiet` on a fresh Outbox.
# Every time is the best of $REPEAT wall-clock runs, measured in this one
# invocation, since the machine is shared.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
corpus=${CORPUS:-$repo/../shared/corpus}
bench_dir=${BENCH_DIR:-/tmp/sluice-bench}
scales=${SCALES:-1 10}
repeat=${REPEAT:-3}

need() { command -v "$1" >/dev/null 2>&1; }
if ! need xmllint || ! need pkg-config || ! pkg-config --exists libxml-2.0 || [ ! -x /usr/bin/time ]; then
    apt-get install -y libxml2-utils libxml2-dev pkg-config time >/dev/null
fi

echo "building sluice (release)..." >&2
(cd "$repo" && swift build -c release --scratch-path .build-release --product sluice >/dev/null)
sluice="$repo/.build-release/release/sluice"
mkdir -p "$bench_dir"
cc -O2 "$here/html-floor.c" $(pkg-config --cflags --libs libxml-2.0) -o "$bench_dir/html-floor"

# Inputs are rebuilt only when the builder changes.
stamp=$(sha256sum "$here/make_inputs.py" | cut -c1-12)
inputs() {
    local dir="$bench_dir/x$1-$stamp"
    if [ ! -f "$dir/manifest.txt" ]; then
        echo "assembling ${1}x inputs in $dir..." >&2
        rm -rf "$dir"
        python3 "$here/make_inputs.py" "$corpus" "$dir" "$1"
    fi
    echo "$dir"
}

now() { date +%s.%N; }

floor_once() {
    local dir=$1 start end
    start=$(now)
    gzip -dc "$dir/inbox/corpus-docs.tar.gz" > /dev/null
    unzip -p "$dir/inbox/foia-sets.zip" > /dev/null
    find "$dir/docs/xml" -type f -print0 | xargs -0 -n 100 xmllint --stream --noout 2> /dev/null || true
    find "$dir/docs/html" -type f -print0 | xargs -0 -n 100 "$bench_dir/html-floor"
    end=$(now)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}

best() { sort -g | head -1; }

# One fresh-Outbox run: prints "seconds peak_kb records cpu_seconds". Exit status 1 (some
# documents failed: the corpus has a few malformed files) is a finished run.
# PIN=cpu-list runs it under taskset.
#
# Each run gets a new Outbox, and all are deleted when the script ends: deleting the last
# run's thousands of work-area files just before the next run makes ext4 scan its recently
# deleted inodes on every file the next run creates (recently_deleted() was 17% of a run's
# CPU samples), a cost of the benchmark's clean-up, not of a nightly run.
sluice_once() {
    local dir=$1 workers=$2 out
    out=$(mktemp -d "$outboxes/run-XXXXXX")
    local log="$bench_dir/time.log" pin=()
    [ -n "${PIN:-}" ] && pin=(taskset -c "$PIN")
    local status=0
    (cd "$repo" && "${pin[@]}" /usr/bin/time -f "%e %M %U %S" -o "$log" "$sluice" run --inbox "$dir/inbox" \
        --outbox "$out" --workers "$workers" --quiet) || status=$?
    [ "$status" -le 1 ] || echo "sluice run exited $status" >&2
    local records
    records=$(cat "$out"/records/*.ndjson | wc -l)
    tail -1 "$log" | awk -v n="$records" '{ printf "%s %s %d %.2f\n", $1, $2, n, $3 + $4 }'
}

outboxes="$bench_dir/outboxes-$$"
mkdir -p "$outboxes"
trap 'rm -rf "$outboxes"' EXIT

declare -A docs bytes floor secs rss records cpu
for scale in $scales; do
    dir=$(inputs "$scale")
    docs[$scale]=$(awk '$1 == "documents" { print $2 }' "$dir/manifest.txt")
    bytes[$scale]=$(awk '$1 == "bytes" { print $2 }' "$dir/manifest.txt")
    n=$repeat
    echo "${scale}x: floor, best of $n..." >&2
    floor[$scale]=$(for _ in $(seq "$n"); do floor_once "$dir"; echo; done | best)
    workers_list="2"
    [ "$scale" = 1 ] && workers_list="2 1 1core"
    for w in $workers_list; do
        echo "${scale}x: sluice --workers $w, best of $n..." >&2
        if [ "$w" = 1core ]; then
            runs=$(for _ in $(seq "$n"); do PIN=0 sluice_once "$dir" 1; done)
        else
            runs=$(for _ in $(seq "$n"); do sluice_once "$dir" "$w"; done)
        fi
        read -r s _ _ c <<< "$(echo "$runs" | sort -g | head -1)"
        peak=$(echo "$runs" | awk '{ print $2 }' | sort -g | tail -1)
        secs[$scale,$w]=$s
        cpu[$scale,$w]=$c
        rss[$scale,$w]=$peak
        records[$scale,$w]=$(echo "$runs" | awk '{ print $3 }' | head -1)
    done
done

echo
echo "Sluice end to end vs the floor (best of $repeat wall-clock runs; peak RSS is the highest of them)"
printf "%-5s %7s %9s | %8s %9s | %8s %8s %9s %9s %8s | %6s\n" \
    "size" "docs" "MB" "floor s" "floor MB/s" "sluice s" "docs/s" "MB/s" "peak RSS" "records" "ratio"
for scale in $scales; do
    awk -v sc="${scale}x" -v d="${docs[$scale]}" -v b="${bytes[$scale]}" -v f="${floor[$scale]}" \
        -v s="${secs[$scale,2]}" -v r="${rss[$scale,2]}" -v n="${records[$scale,2]}" 'BEGIN {
        mb = b / 1e6
        printf "%-5s %7d %9.1f | %8.2f %9.1f | %8.2f %8.1f %9.1f %6.0f MB %8d | %6.2f\n",
            sc, d, mb, f, mb / f, s, d / s, mb / s, r / 1024, n, f / s }'
done
if [ -n "${secs[1,1]:-}" ]; then
    echo
    echo "Scaling at 1x (--workers N: N parse and N extract workers, and at most N items in work at"
    echo "once across all four stages; cores = CPU seconds / wall seconds)"
    line() {
        awk -v l="$1" -v s="$2" -v c="$3" -v r="$4" -v base="$5" 'BEGIN {
            printf "  %-34s %6.2f s  cpu %6.2f s  cores %4.2f  peak RSS %4.0f MB  speed-up %5.2fx\n", l, s, c, c / s, r / 1024, base / s }'
    }
    line "--workers 1" "${secs[1,1]}" "${cpu[1,1]}" "${rss[1,1]}" "${secs[1,1]}"
    line "--workers 2" "${secs[1,2]}" "${cpu[1,2]}" "${rss[1,2]}" "${secs[1,1]}"
    echo "  against one core (taskset -c 0):"
    line "--workers 1, one core" "${secs[1,1core]}" "${cpu[1,1core]}" "${rss[1,1core]}" "${secs[1,1core]}"
    line "--workers 2, two cores" "${secs[1,2]}" "${cpu[1,2]}" "${rss[1,2]}" "${secs[1,1core]}"
fi
if [ -n "${secs[10,2]:-}" ] && [ -n "${secs[1,2]:-}" ]; then
    echo
    echo "Growth (2 workers): 10x input takes $(awk -v a="${secs[1,2]}" -v b="${secs[10,2]}" 'BEGIN { printf "%.2f", b / a }')x the time;" \
        "peak RSS $(awk -v r="${rss[1,2]}" 'BEGIN { printf "%.0f", r / 1024 }') MB at 1x, $(awk -v r="${rss[10,2]}" 'BEGIN { printf "%.0f", r / 1024 }') MB at 10x"
fi
