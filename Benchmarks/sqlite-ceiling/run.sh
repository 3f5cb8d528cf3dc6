#!/usr/bin/env bash
# The SQLite ceiling of logfold's state store, and the Swift store's commit path on the same rows.
#
# ceiling.c (gcc -O2, system libsqlite3) writes N entries, each one customer upsert plus one outbox row,
# on the store's exact schema and settings, 10,000 entries per transaction: per-entry (a customer write
# per entry) and per-batch (each touched customer written once per batch: hot state in memory), with
# the outbox's indexes live, then inside a bulk load (key and per-customer indexes rebuilt at the end),
# once with the key index live through the load (schema v1-v3), once more with profile keys that grow
# with time, and once with a replay's 50,000 entries per transaction. Then the same four runs through StateStore.commit (release
# build of the side package in swift/), and one through GRDB's StatementArguments (ADR 0003). Prints
# entries/s for each, and how long digest() takes on the result. The machine's other load shows:
# expect ±20% between runs on a shared machine.
#
# Usage: Benchmarks/sqlite-ceiling/run.sh [entries] [batch]     (defaults: 2500000 10000)
# Needs gcc and libsqlite3-dev; the Swift runs need the toolchain and take a release build (~3 min).
# SKIP_SWIFT=1 runs only the C ceiling.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
entries="${1:-2500000}"
batch="${2:-10000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

gcc -O2 -Wall -Wextra -o "$work/ceiling" "$here/ceiling.c" -lsqlite3
echo "== C ceiling (SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1), $entries entries, 20,000 customers)"
for bulk in 0 1; do
    for mode in per-entry per-batch; do
        "$work/ceiling" --entries "$entries" --batch "$batch" --mode "$mode" --bulk "$bulk" --db "$work/c.sqlite"
    done
done
# A bulk load as before schema v4, with the key index live (ADR 0003).
"$work/ceiling" --entries "$entries" --batch "$batch" --mode per-batch --bulk 1 --key-index live --db "$work/c.sqlite"
# What dedupe keys that grow with time would save with the key index live: profile keys with the seq first.
"$work/ceiling" --entries "$entries" --batch "$batch" --mode per-batch --bulk 1 --key-index live --keys seq-first \
    --db "$work/k.sqlite"
# A replay's transactions (50,000 entries).
"$work/ceiling" --entries "$entries" --batch 50000 --mode per-batch --bulk 1 --db "$work/c.sqlite"

[ "${SKIP_SWIFT:-0}" = 1 ] && exit 0
scratch="${TMPDIR:-/tmp}/logfold-sqlite-ceiling-build"
swift build -c release --package-path "$here/swift" --scratch-path "$scratch" >/dev/null
bench="$(swift build -c release --package-path "$here/swift" --scratch-path "$scratch" --show-bin-path)/StoreCommitBenchmark"

# The C program must write the store's schema: compare the two files' table and index definitions.
if command -v sqlite3 >/dev/null; then
    "$bench" --entries 1 --db "$work/swift.sqlite" >/dev/null
    # The tables ceiling.c writes, and their indexes (the sender's tables are not part of it).
    schema_of() {
        sqlite3 "$1" "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN
            ('customers', 'orders', 'outbox', 'checkpoints', 'delivery_ledger') ORDER BY name" | tr -d ' \n'
    }
    if [ "$(schema_of "$work/c.sqlite")" != "$(schema_of "$work/swift.sqlite")" ]; then
        echo "ceiling.c's schema differs from StoreSchema.swift: update ceiling.c" >&2
        exit 1
    fi
fi

echo "== Swift StateStore.commit (release), same rows"
for bulk in 0 1; do
    for mode in per-entry per-batch; do
        "$bench" --entries "$entries" --batch "$batch" --mode "$mode" --bulk "$bulk" --db "$work/swift.sqlite"
    done
done
"$bench" --entries "$entries" --batch "$batch" --mode grdb-arguments --bulk 1 --db "$work/swift.sqlite"
