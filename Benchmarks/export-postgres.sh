#!/usr/bin/env bash
# PostgreSQL search export throughput: a full export of the benchmark inputs' records, then an
# incremental export after one release changed. Figures only; nothing is asserted.
#
#   Benchmarks/export-postgres.sh              # release build, a throwaway server (scripts/pg-throwaway)
#   SLUICE=.build/debug/sluice Benchmarks/export-postgres.sh   # another binary
#   DATABASE=postgres://... Benchmarks/export-postgres.sh      # an existing server (the database is emptied)
#
# Inputs are the 1x inputs of Benchmarks/run.sh (the five FOIA.gov *-FOIASetFull.zip releases and one
# zip of the corpus's loose files, from ../shared/corpus), run once with `sluice run` into an Outbox.
# "One release changed": the first records file loses its last record and has another one edited, as a
# re-run of a replaced release leaves it. Records/s = records in the database / wall seconds.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
corpus=${SHARED:-$repo/../shared}/corpus
bench_dir=${BENCH_DIR:-/tmp/sluice-bench}
mkdir -p "$bench_dir"

if [ -z "${SLUICE:-}" ]; then
    echo "building sluice (release)..." >&2
    (cd "$repo" && swift build -c release --static-swift-stdlib --scratch-path .build-release --product sluice >/dev/null)
    SLUICE="$repo/.build-release/release/sluice"
fi

inbox="$bench_dir/pg-inputs/inbox"
if [ ! -f "$bench_dir/pg-inputs/done" ]; then
    echo "assembling inputs in $bench_dir/pg-inputs..." >&2
    rm -rf "$bench_dir/pg-inputs" && mkdir -p "$inbox"
    (cd "$corpus" && zip -q -r "$inbox/loose.zip" agency-feeds agency-html cfr-xml congress-xml federal-register-xml foia-annual-xml)
    cp "$corpus"/archives/foia-gov/*-FOIASetFull.zip "$inbox/"
    touch "$bench_dir/pg-inputs/done"
fi
outbox="$bench_dir/pg-outbox"
rm -rf "$outbox"
echo "sluice run over the inputs..." >&2
"$SLUICE" run --inbox "$inbox" --outbox "$outbox" --quiet || true

pg_dir=""
if [ -z "${DATABASE:-}" ]; then
    pg_dir=$(mktemp -d /tmp/sluice-bench-pg.XXXXXX)
    trap '"$repo/scripts/pg-throwaway" stop "$pg_dir" >/dev/null; rm -rf "$pg_dir"' EXIT
    server=$("$repo/scripts/pg-throwaway" start "$pg_dir")
    psql "$server" -X -q -c "CREATE DATABASE sluice_bench"
    DATABASE="${server%/*}/sluice_bench"
fi

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
records=$(cat "$outbox"/records/*.ndjson | grep -c . || true)

full=$(seconds "$SLUICE" export --format postgres --database "$DATABASE" --outbox "$outbox" --full)
echo "full export:        $records records in ${full}s = $(echo "$records / $full" | bc) records/s"

again=$(seconds "$SLUICE" export --format postgres --database "$DATABASE" --outbox "$outbox")
echo "nothing changed:    ${again}s"

first=$(ls "$outbox"/records/*.ndjson | head -1)
changed=$(grep -c . "$first")
python3 - "$first" <<'PY'
import json, sys
path = sys.argv[1]
lines = [l for l in open(path, encoding="utf-8").read().split("\n") if l.strip()]
lines.pop()                                   # a document removed
record = json.loads(lines[0])                 # a document changed
record["title"] = (record.get("title") or "") + " (revised)"
lines[0] = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
incremental=$(seconds "$SLUICE" export --format postgres --database "$DATABASE" --outbox "$outbox")
echo "one release changed ($(basename "$first"), $changed records): ${incremental}s = $(echo "$changed / $incremental" | bc) records/s of that release"
