#!/usr/bin/env bash
# The sender's allocations and CPU per outbox row on the send stage's store (seed 2, CUSTOMERS customers'
# year, Klaviyo only, about 133,000 rows for 800), against the local Klaviyo with limits lifted.
#
# Allocations are counted by an LD_PRELOAD malloc counter (Benchmarks/malloc-count): deterministic to a
# few hundred calls, so a change shows at once. CPU per row is user + system time over RUNS sends of a
# fresh copy of the store: compare builds in interleaved pairs, the same hour (docs/performance.md).
# Usage: Benchmarks/send-allocations.sh [customers] [runs] [logfold binary]
set -euo pipefail
cd "$(dirname "$0")/.."
customers="${1:-800}"
runs="${2:-3}"
if [ -n "${3:-}" ]; then
    bin="$3"
else
    source Benchmarks/common.sh  # installs what is missing, builds the release binary, sets $bin
fi
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
    if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
cc -O2 -shared -fPIC -o "$work/malloc_count.so" Benchmarks/malloc-count/malloc_count.c
"$bin" generate --seed 2 --customers "$customers" --days 365 --out "$work/log.jsonl" >/dev/null 2>&1
"$bin" ingest --data "$work/base" --durability nosync "$work/log.jsonl" >/dev/null
"$bin" project --data "$work/base" >/dev/null
rows=$("$bin" status --data "$work/base" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["outbox"]["pending"])')
"$bin" sandbox --port 0 --data "$work/sandbox" --no-rate-limits >"$work/sandbox.out" 2>/dev/null &
sandbox_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/sandbox.out")

send() {  # send PRELOAD: one send of a fresh copy of the store; prints its stderr
    rm -rf "$work/data" && cp -r "$work/base" "$work/data"
    /usr/bin/time -f "cpu %U %S" env KLAVIYO_API_KEY=pk_bench LD_PRELOAD="$1" \
        "$bin" send --data "$work/data" --klaviyo-url "$url" --once --no-rate-limits 2>&1 >/dev/null
}
echo "outbox: $rows rows pending"
send "$work/malloc_count.so" | awk -v rows="$rows" '/^mallocs/ { printf "allocations: %d, %.2f per row\n", $2, $2 / rows }'
for run in $(seq 1 "$runs"); do
    send "" | awk -v rows="$rows" -v run="$run" \
        '/^cpu/ { printf "run %d: %.2f µs of CPU per row (%s s user, %s s system)\n", run, ($2 + $3) * 1e6 / rows, $2, $3 }'
done
