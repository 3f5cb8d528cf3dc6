#!/usr/bin/env bash
# End-to-end send benchmark: a synthetic log is ingested and projected, then `logfold send --once`
# drains its outbox into a release-built `logfold sandbox` over loopback, twice: at Klaviyo's default
# rate limits (client and sandbox both enforce them; the bulk budget is 150 requests × 1,000 events a
# minute ≈ 2,500 events/s) and with limits lifted on both sides (logfold's own ceiling).
# Prints events/s delivered, requests, and the sandbox's stats for each run.
# Usage: Benchmarks/send-sandbox.sh [customers] [days] [mode: default|lifted|both]
set -euo pipefail
cd "$(dirname "$0")/.."
customers="${1:-4000}"
days="${2:-365}"
mode="${3:-both}"
scripts/bootstrap
swift build -c release --product logfold >/dev/null
bin="$(swift build -c release --show-bin-path)/logfold"
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
    if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
"$bin" generate --seed 3 --customers "$customers" --days "$days" --out "$work/log.jsonl"
"$bin" ingest --data "$work/base" "$work/log.jsonl"
"$bin" project --data "$work/base"
events=$("$bin" outbox --data "$work/base" --status pending --json | grep -c '"kind":"event"' || true)
echo "outbox: $events events pending"

run() {
    local name="$1" sandbox_flags="$2" send_flags="$3"
    rm -rf "$work/data" "$work/sandbox"
    mkdir -p "$work/data"
    cp "$work/base"/state.sqlite* "$work/data/"
    ln -s "$work/base/journal" "$work/data/journal"
    "$bin" sandbox --port 0 --data "$work/sandbox" $sandbox_flags >"$work/sandbox.out" 2>"$work/sandbox.err" &
    sandbox_pid=$!
    for _ in $(seq 1 100); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
    url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/sandbox.out")
    start=$(date +%s.%N)
    /usr/bin/time -f "$name: send %e s wall, %U s user, %S s sys, peak RSS %M KiB" \
        env KLAVIYO_API_KEY=pk_bench "$bin" send --data "$work/data" --klaviyo-url "$url" --once $send_flags
    end=$(date +%s.%N)
    stats=$(curl -s "$url/sandbox/stats")
    accepted=$(echo "$stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accepted"])')
    echo "$name: $accepted events accepted in $(echo "$end - $start" | bc) s = $(echo "$accepted / ($end - $start)" | bc) events/s"
    echo "$name: sandbox stats $stats"
    kill "$sandbox_pid"
    wait "$sandbox_pid" 2>/dev/null || true
    sandbox_pid=""
}
if [ "$mode" = default ] || [ "$mode" = both ]; then run default "" ""; fi
if [ "$mode" = lifted ] || [ "$mode" = both ]; then run lifted "--no-rate-limits" "--no-rate-limits"; fi
