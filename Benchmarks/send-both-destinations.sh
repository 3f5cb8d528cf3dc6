#!/usr/bin/env bash
# Both destinations at their default limits (issue 14): a synthetic log is ingested and projected with
# ActiveCampaign added, then `logfold run` (no sources: projecting and sending) sends to the local
# Klaviyo and the local ActiveCampaign at once, each sandbox enforcing its API's default limits and
# logfold pacing itself to them. Both sandboxes' stats are polled every second for the window; prints
# per destination the events accepted, the requests, and events/s while it was sending (up to its last
# accepted event, so a destination that drains before the window ends is not under-counted).
# Usage: Benchmarks/send-both-destinations.sh [customers] [days] [window seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
customers="${1:-2000}"
days="${2:-365}"
window="${3:-60}"
# shellcheck source=Benchmarks/common.sh
source Benchmarks/common.sh
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
"$bin" generate --seed 5 --customers "$customers" --days "$days" --out "$work/log.jsonl" >/dev/null
"$bin" ingest --data "$work/data" --durability nosync "$work/log.jsonl"
"$bin" project --data "$work/data"
"$bin" destination add activecampaign --data "$work/data"
"$bin" status --data "$work/data"

listening_url() { # FILE: the URL a process printed once listening
    for _ in $(seq 1 100); do grep -q "http://" "$1" 2>/dev/null && break; sleep 0.1; done
    sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$1" | head -1
}
export ACTIVECAMPAIGN_API_TOKEN=bench-token ACTIVECAMPAIGN_EVENT_ACTID=1 ACTIVECAMPAIGN_EVENT_KEY=bench-key
# Started here, not in a command substitution, so their pids reach the cleanup.
"$bin" sandbox --port 0 --data "$work/klaviyo" >"$work/klaviyo.out" 2>"$work/klaviyo.err" &
pids+=($!)
"$bin" sandbox --api activecampaign --port 0 --data "$work/ac" >"$work/ac.out" 2>"$work/ac.err" &
pids+=($!)
klaviyo=$(listening_url "$work/klaviyo.out")
activecampaign=$(listening_url "$work/ac.out")
export ACTIVECAMPAIGN_URL="$activecampaign" ACTIVECAMPAIGN_EVENT_URL="$activecampaign/event"
KLAVIYO_API_KEY=pk_bench "$bin" run --data "$work/data" --klaviyo-url "$klaviyo" >"$work/run.out" 2>"$work/run.err" &
run_pid=$!
pids+=("$run_pid")
python3 - "$klaviyo" "$activecampaign" "$window" <<'EOF'
import json, sys, time, urllib.request
klaviyo, activecampaign, window = sys.argv[1], sys.argv[2], float(sys.argv[3])
def stats(url):
    with urllib.request.urlopen(url + "/sandbox/stats", timeout=5) as answer:
        return json.load(answer)
start = time.monotonic()
series = {"klaviyo": [], "activecampaign": []}
while time.monotonic() - start < window:
    now = time.monotonic() - start
    series["klaviyo"].append((now, stats(klaviyo)))
    series["activecampaign"].append((now, stats(activecampaign)))
    time.sleep(1)
print(f"{'destination':<16}{'events':>10}{'requests':>10}{'sending s':>11}{'events/s':>10}")
for name, key in (("klaviyo", "accepted"), ("activecampaign", "events_accepted")):
    points = series[name]
    final = points[-1][1]
    events = final.get(key, 0)
    last = next((t for t, s in points if s.get(key, 0) == events), points[-1][0])
    seconds = max(last, 1.0)
    print(f"{name:<16}{events:>10}{final.get('requests', 0):>10}{seconds:>11.1f}{events / seconds:>10.1f}")
EOF
kill -TERM "$run_pid"
wait "$run_pid" || true
tail -3 "$work/run.out"
