#!/usr/bin/env bash
# End-to-end ingest benchmark: one synthetic year of a medium company (~2.5 million entries, 20,000
# customers), ingested by the release binary with fsync and with nosync; prints entries/s and the
# peak resident memory, anonymous and file-backed (the journal's memory map).
# Usage: Benchmarks/ingest-year.sh [customers] [days]
set -euo pipefail
cd "$(dirname "$0")/.."
customers="${1:-20000}"
days="${2:-365}"
# shellcheck source=Benchmarks/common.sh
source Benchmarks/common.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$(synthetic_log "$customers" "$days")"
entries=$(wc -l <"$log")
bytes=$(stat -c %s "$log")
echo "input: $entries entries, $bytes bytes ($((bytes / entries)) bytes/entry)"
for durability in fsync nosync; do
    rm -rf "$work/data"
    sync
    start=$(date +%s.%N)
    /usr/bin/time -f "$durability: %e s wall, %U s user, %S s sys" \
        Benchmarks/measure-rss.sh "$bin" ingest --data "$work/data" --durability "$durability" "$log"
    end=$(date +%s.%N)
    echo "$durability: $(echo "$entries / ($end - $start)" | bc) entries/s"
done
# Re-ingest: every entry is a duplicate (the idempotency path's speed).
start=$(date +%s.%N)
/usr/bin/time -f "re-ingest: %e s wall" Benchmarks/measure-rss.sh "$bin" ingest --data "$work/data" "$log"
end=$(date +%s.%N)
echo "re-ingest: $(echo "$entries / ($end - $start)" | bc) entries/s"
"$bin" journal stat --data "$work/data"
