#!/usr/bin/env bash
# Fuzz campaigns and corpus replays for Sluice's readers of outside bytes (issue #12).
#
#   Fuzz/run.sh build               build every target with libFuzzer and AddressSanitizer
#                                   (FUZZ_CONFIG=release for campaigns: optimized, same checks)
#   Fuzz/run.sh TARGET SECONDS      one campaign (TARGET: zip, tar, gzip, unpack, xml, html, text, foia,
#                                   fedreg, cfr, billstatus, pipeline, json, query, mime)
#   Fuzz/run.sh all SECONDS         every target in turn, SECONDS each (JOBS=2 runs two at a time)
#   Fuzz/run.sh replay [TARGET...]  every committed corpus and regression input through its target once,
#                                   no exploration: what CI runs, so a fixed crash stays fixed
#
# A campaign reads the committed seeds (corpus/TARGET) and regressions (regressions/TARGET), writes
# what it learns to a work corpus outside git (.build/work/TARGET) and saves any crashing input under
# findings/TARGET/ (also outside git). It ends with one line: executions, coverage (cov: edges,
# ft: features), seconds and findings. Run it under `nice -n 19` on a shared machine.
set -uo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
# FUZZ_DIR: the Fuzz/ folder, for a copy of this script run from elsewhere (long campaigns run a
# copy, since bash reads a script as it goes and an edit under a running campaign would garble it).
cd "${FUZZ_DIR:-$(dirname "$SELF")}"
FUZZ="$PWD"
# Swift's own crash reporter would run inside the sanitizer after a trap and read freed memory on
# purpose, burying the real failure under an AddressSanitizer report: libFuzzer reports crashes.
export SWIFT_BACKTRACE=enable=no
TARGETS=(zip tar gzip unpack xml html text foia fedreg cfr billstatus pipeline json query mime)
# FUZZ_CONFIG=release builds optimized targets (many times the executions per second; Swift's
# overflow and bounds checks stay on at -O). Debug is the default: quicker to build, enough to replay.
CONFIG="${FUZZ_CONFIG:-debug}"
BIN="${FUZZ_BIN:-$FUZZ/.build/$CONFIG}"

build() {
    if [ "$CONFIG" = release ]; then
        # The harnesses reach internal readers with @testable import, which -O builds allow only with -enable-testing.
        swift build -c release -Xswiftc -enable-testing -Xswiftc -sanitize=fuzzer,address "$@"
    else
        swift build -Xswiftc -sanitize=fuzzer,address "$@"
    fi
}

dict_for() {
    case "$1" in
        zip|unpack) echo "-dict=$FUZZ/dict/zip.dict" ;;
        tar) echo "-dict=$FUZZ/dict/tar.dict" ;;
        xml|html|foia|fedreg|cfr|billstatus) echo "-dict=$FUZZ/dict/xml.dict" ;;
    esac
}

max_len_for() {
    case "$1" in
        query) echo 512 ;;
        text|pipeline|json|mime) echo 16384 ;;
        *) echo 65536 ;;
    esac
}

# libFuzzer's own options shared by campaigns and replays. Leak checking is off: the Swift runtime's
# caches (metadata, the shipped gazetteer) live until exit and are not leaks of one input.
common() {
    echo -rss_limit_mb=2048 -timeout=30 -detect_leaks=0 -print_final_stats=1 -max_len="$(max_len_for "$1")"
}

# Seeds the repository already keeps elsewhere (test fixtures, gold documents) are listed in
# corpus-from-repo.tsv rather than stored twice; this copies a target's into a folder outside git
# (libFuzzer skips symbolic links when it lists a corpus folder) and prints that folder.
repo_seeds() {
    local target="$1" dir="$FUZZ/.build/seeds/$1"
    rm -rf "$dir" && mkdir -p "$dir"
    local t name path
    while IFS=$'\t' read -r t name path; do
        [ "$t" = "$target" ] && cp "$FUZZ/../$path" "$dir/$name"
    done < <(grep -v '^#' "$FUZZ/corpus-from-repo.tsv")
    echo "$dir"
}

campaign() {
    local target="$1" seconds="$2"
    local exe="$BIN/fuzz-$target"
    [ -x "$exe" ] || { echo "no $exe: run '$SELF build' first" >&2; return 2; }
    local work="$FUZZ/.build/work/$target" findings="$FUZZ/findings/$target"
    mkdir -p "$work" "$findings" "$FUZZ/regressions/$target"
    local log; log="$(mktemp /tmp/fuzz-"$target".XXXXXX.log)"
    local start; start=$(date +%s)
    # -fork keeps the campaign going past a finding; each crash is saved under findings/.
    # shellcheck disable=SC2046
    "$exe" $(common "$target") $(dict_for "$target") -max_total_time="$seconds" -fork=1 -ignore_crashes=1 \
        -ignore_timeouts=1 -ignore_ooms=1 -artifact_prefix="$findings/" \
        "$work" "$FUZZ/corpus/$target" "$(repo_seeds "$target")" "$FUZZ/regressions/$target" >"$log" 2>&1
    local rc=$?
    local elapsed=$(( $(date +%s) - start ))
    summarize "$target" "$log" "$elapsed" "$findings" "$rc"
}

summarize() {
    local target="$1" log="$2" elapsed="$3" findings="$4" rc="$5"
    # Fork mode prints "#N: cov: C ft: F corp: ... exec/s: E ..."; take the last such line.
    local last; last="$(grep -E '^#[0-9]+' "$log" | tail -1)"
    local execs cov ft
    execs="$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")"
    cov="$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")"
    ft="$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$last")"
    local found; found=$(find "$findings" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    printf '%-11s execs=%-10s cov=%-6s ft=%-7s seconds=%-6s findings=%s rc=%s log=%s\n' \
        "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$elapsed" "$found" "$rc" "$log"
}

replay() {
    local status=0 target
    for target in "$@"; do
        local exe="$BIN/fuzz-$target"
        [ -x "$exe" ] || { echo "no $exe: run '$SELF build' first" >&2; return 2; }
        local inputs=("$FUZZ/corpus/$target" "$(repo_seeds "$target")")
        [ -d "$FUZZ/regressions/$target" ] && inputs+=("$FUZZ/regressions/$target")
        local log; log="$(mktemp /tmp/fuzz-replay-"$target".XXXXXX.log)"
        # -runs=0: read and run every input once (libFuzzer's INITED pass), then stop.
        # shellcheck disable=SC2046
        if "$exe" $(common "$target") -runs=0 "${inputs[@]}" >"$log" 2>&1; then
            printf 'replay %-11s ok   %s inputs\n' "$target" "$(find "${inputs[@]}" -type f | wc -l)"
        else
            printf 'replay %-11s FAIL (see %s)\n' "$target" "$log"
            grep -E 'INVARIANT|ERROR|Fatal error|SUMMARY' "$log" | head -5
            status=1
        fi
    done
    return $status
}

case "${1:-}" in
    build) shift; build "$@" ;;
    replay) shift; if [ $# -gt 0 ]; then replay "$@"; else replay "${TARGETS[@]}"; fi ;;
    all)
        seconds="${2:?usage: $SELF all SECONDS}"
        jobs="${JOBS:-1}"
        for target in "${TARGETS[@]}"; do
            while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
            campaign "$target" "$seconds" &
        done
        wait ;;
    ""|-h|--help) sed -n '2,18p' "$SELF" ;;
    *)
        [[ " ${TARGETS[*]} " == *" $1 "* ]] || { echo "unknown target $1 (one of: ${TARGETS[*]})" >&2; exit 2; }
        campaign "$1" "${2:?usage: $SELF TARGET SECONDS}" ;;
esac
