#!/usr/bin/env bash
# End-to-end replay benchmark: the synthetic year (~2.5 million entries, 20,000 customers) ingested
# once, then `logfold replay` into a fresh store, with the outbox indexes live and deferred, RUNS times
# each. Prints wall time, entries/s and peak resident memory of each run, and checks that every run's
# digest is the same.
# Usage: Benchmarks/replay-year.sh [runs] [customers] [days]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
customers="${2:-20000}"
days="${3:-365}"
# shellcheck source=Benchmarks/common.sh
source Benchmarks/common.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$(synthetic_log "$customers" "$days")"
"$bin" ingest --data "$work/data" --durability nosync "$log" >/dev/null
entries=$("$bin" journal stat --data "$work/data" --json | sed -E 's/.*"head":([0-9]+).*/\1/')
echo "journal: $entries entries"
digests=()
for run in $(seq 1 "$runs"); do
    for indexes in live deferred; do
        rm -rf "$work/replay"
        sync
        start=$(date +%s.%N)
        /usr/bin/time -f "$indexes #$run: %e s wall, %U s user, %S s sys" \
            Benchmarks/measure-rss.sh "$bin" replay --data "$work/data" --into "$work/replay" --indexes "$indexes" \
            >/dev/null
        end=$(date +%s.%N)
        echo "$indexes #$run: $(echo "$entries / ($end - $start)" | bc) entries/s"
        digests+=("$("$bin" digest --data "$work/replay")")
    done
done
if [ "$(printf '%s\n' "${digests[@]}" | sort -u | wc -l)" -ne 1 ]; then
    echo "digests differ between runs: ${digests[*]}" >&2
    exit 1
fi
echo "digest (every run): ${digests[0]}"
