#!/usr/bin/env bash
# Destinations benchmark (issue 14): the synthetic year ingested and projected for Klaviyo, then
# ActiveCampaign added (`destination add`: the whole year folded for it alone), then `replay` of the
# directory with both destinations beside a replay with Klaviyo alone. Prints wall time, entries/s and
# peak resident memory of each, the rows each destination got, and checks that the replay with both
# gives the live directory's digest, whole and per destination.
# Usage: Benchmarks/replay-year-destinations.sh [customers] [days]
set -euo pipefail
cd "$(dirname "$0")/.."
customers="${1:-20000}"
days="${2:-365}"
# shellcheck source=Benchmarks/common.sh
source Benchmarks/common.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$(synthetic_log "$customers" "$days")"
"$bin" ingest --data "$work/data" --durability nosync "$log" >/dev/null
entries=$("$bin" journal stat --data "$work/data" --json | sed -E 's/.*"head":([0-9]+).*/\1/')
echo "journal: $entries entries"

timed() { # LABEL COMMAND...
    local label="$1"; shift
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "$label: %e s wall, %U s user, %S s sys" Benchmarks/measure-rss.sh "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$label: $(echo "$entries / ($end - $start)" | bc) entries/s"
}

timed "replay, Klaviyo alone" "$bin" replay --data "$work/data" --into "$work/klaviyo-only"
"$bin" project --data "$work/data" >/dev/null
timed "destination add activecampaign (the year folded for it alone)" \
    "$bin" destination add activecampaign --data "$work/data"
timed "replay, Klaviyo and ActiveCampaign" "$bin" replay --data "$work/data" --into "$work/both"
for destination in "" klaviyo activecampaign; do
    flag=()
    [ -n "$destination" ] && flag=(--destination "$destination")
    live="$("$bin" digest --data "$work/data" "${flag[@]}")"
    replayed="$("$bin" digest --data "$work/both" "${flag[@]}")"
    [ "$live" = "$replayed" ] || { echo "digest ${destination:-whole} differs: $live vs $replayed" >&2; exit 1; }
    echo "digest ${destination:-whole}: $live (live = replay)"
done
"$bin" destination list --data "$work/both"
echo "ActiveCampaign rows by kind:"
"$bin" outbox --data "$work/both" --destination activecampaign | cut -f3 | sort | uniq -c
echo "ActiveCampaign's drain estimate (coalesced, bulk imports for new contacts; 5 requests/s):"
"$bin" status --data "$work/both" | grep '^activecampaign'
"$bin" status --data "$work/both" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)["destinations"]["activecampaign"]
print("drain calls", d["drain_calls"], "seconds", d["drain_seconds"], "=", round(d["drain_seconds"] / 86400, 2), "days")'
