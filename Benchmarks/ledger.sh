#!/usr/bin/env bash
# Throughput over a shared PostgreSQL ledger against the SQLite single process, on the same inputs.
# Figures only; the one check is that every run's records are byte-identical to the SQLite run's.
#
#   Benchmarks/ledger.sh                 # COPIES=6 copies of each release in Inbox/, best of REPEAT=2
#   COPIES=12 REPEAT=3 Benchmarks/ledger.sh
#   LEDGER_URL=postgres://u@host:5432/db Benchmarks/ledger.sh   # an existing server (a database per run is
#                                                               # created next to db; the user needs CREATEDB)
#
# Without LEDGER_URL a throwaway server is started on loopback (scripts/pg-throwaway) and stopped at the end.
# Runs, each into a new Outbox (and a new database):
#   sqlite       sluice run --workers 2                                 (the reference)
#   pg run       sluice run --ledger URL --workers 2                    (one process: enqueue, then work)
#   pg P procs   sluice run --enqueue-only, then P x sluice worker --exit-when-idle, P = 1, 2, 4
#                (--workers 2 for one process, 1 each for more: two cores in all)
# Coordination cost per unit = (pg run - sqlite) / units: what the shared ledger adds to each release
# (claims, heartbeats, item rows over the network instead of into a file); enqueue per unit likewise.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
bench=${BENCH_DIR:-/tmp/sluice-bench-ledger}
copies=${COPIES:-6}
repeat=${REPEAT:-2}

echo "building sluice (release)..." >&2
(cd "$repo" && swift build -c release --static-swift-stdlib --scratch-path .build-release --product sluice >/dev/null)
sluice="$repo/.build-release/release/sluice"

rm -rf "$bench" && mkdir -p "$bench/inbox"
for n in $(seq 1 "$copies"); do
    for f in "$repo"/Inbox/*; do
        name=$(basename "$f")
        case "$name" in README*) continue ;; esac
        cp "$f" "$bench/inbox/c$n-$name"
    done
done
units=$(ls "$bench/inbox" | wc -l)

if [ -n "${LEDGER_URL:-}" ]; then
    url=$LEDGER_URL
else
    url=$("$repo/scripts/pg-throwaway" start "$bench/pg")
    trap '"$repo/scripts/pg-throwaway" stop "$bench/pg" >/dev/null 2>&1 || true' EXIT
fi
newdb() {
    local name="bench_$(date +%s%N)"
    psql "$url" -qAt -c "CREATE DATABASE $name" >/dev/null
    echo "${url%/*}/$name"
}
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }

records_of() { cat "$1"/records/*.ndjson 2>/dev/null | wc -l; }
check() {
    diff -r "$bench/sqlite/records" "$1/records" >/dev/null || { echo "records of $1 differ from the SQLite run" >&2; exit 1; }
}

best() { sort -n | head -1; }

echo "inputs: $units releases ($(du -sh "$bench/inbox" | cut -f1)), $(nproc) cores; best of $repeat" >&2
t_sqlite=$(for r in $(seq 1 "$repeat"); do
    rm -rf "$bench/sqlite"
    s=$(now); "$sluice" run --quiet --workers 2 --inbox "$bench/inbox" --outbox "$bench/sqlite" || [ $? -eq 1 ]; e=$(now)
    secs "$s" "$e"
done | best)
docs=$(records_of "$bench/sqlite")

t_pg=$(for r in $(seq 1 "$repeat"); do
    db=$(newdb); rm -rf "$bench/pg-run"
    s=$(now); "$sluice" run --quiet --workers 2 --ledger "$db" --inbox "$bench/inbox" --outbox "$bench/pg-run" || [ $? -eq 1 ]; e=$(now)
    check "$bench/pg-run"
    secs "$s" "$e"
done | best)

declare -A t_procs
t_enqueue=""
for procs in 1 2 4; do
    w=$(( procs == 1 ? 2 : 1 ))
    t_procs[$procs]=$(for r in $(seq 1 "$repeat"); do
        db=$(newdb); out="$bench/pg-$procs"; rm -rf "$out"
        s=$(now)
        "$sluice" run --quiet --enqueue-only --ledger "$db" --inbox "$bench/inbox" --outbox "$out"
        q=$(now)
        pids=""
        for p in $(seq 1 "$procs"); do
            "$sluice" worker --quiet --exit-when-idle --workers "$w" --ledger "$db" --inbox "$bench/inbox" --outbox "$out" &
            pids="$pids $!"
        done
        for pid in $pids; do wait "$pid" || [ $? -eq 1 ]; done
        e=$(now)
        check "$out"
        echo "$(secs "$s" "$e") $(secs "$s" "$q")"
    done | sort -n | head -1)
done

printf '\n%-34s %8s %10s %8s\n' "run" "seconds" "records/s" "vs sqlite"
row() { printf '%-34s %8s %10s %8s\n' "$1" "$2" "$(python3 -c "print(f'{$docs / $2:.1f}')")" "$(python3 -c "print(f'{$t_sqlite / $2:.2f}')")"; }
row "sqlite, 1 process, --workers 2" "$t_sqlite"
row "postgres run, 1 process, --workers 2" "$t_pg"
for procs in 1 2 4; do
    w=$(( procs == 1 ? 2 : 1 ))
    row "postgres, $procs worker process(es) x $w" "${t_procs[$procs]%% *}"
done
echo
echo "records: $docs from $units units (releases); every run's records byte-identical to the SQLite run's"
python3 -c "print(f'coordination cost per unit (pg run - sqlite) / units: {($t_pg - $t_sqlite) / $units * 1000:.1f} ms')"
python3 -c "print(f'enqueue per unit (hash the release, begin it, queue it): {${t_procs[1]##* } / $units * 1000:.1f} ms')"
