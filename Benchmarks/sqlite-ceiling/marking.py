#!/usr/bin/env python3
"""What marking delivered outbox rows costs SQLite, by statement shape (ADR 0005, the sender's side).

Copies a store (a `state.sqlite` whose Klaviyo events are pending, e.g. the send stage's) and marks every
event row as the sender does after each accepted request (171 rows per transaction, WAL,
synchronous=NORMAL, 64 MiB cache), in one of these shapes, printing the CPU per row:

  update        the UPDATE of the wide row (status, outcome, time, attempts), with the store's own indexes
  wholestatus   the same UPDATE with a status index of every row (schema v11 and before), moving its entry
  partial       the same UPDATE with schema v12's partial index of pending and dead rows
  nostatusidx   the same UPDATE with no status index at all
  ledger        today's delivery ledger insert (WITHOUT ROWID, primary key metric, unique_id, profile)
  ledger-rowid  the same facts appended to a rowid table with no key
  append        a settled record appended by ordinal (ADR 0005's `outbox_settled`)

Python's sqlite3 drives the statements (executemany), so each figure includes about 0.5 µs of Python per row.
Usage: Benchmarks/sqlite-ceiling/marking.py STATE.sqlite SHAPE [SHAPE ...]
"""
import os
import shutil
import sqlite3
import sys
import tempfile
import time


def run(source, shape, work):
    path = os.path.join(work, "m.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    shutil.copy(source, path)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=NORMAL")
    c.execute("PRAGMA cache_size=-65536")
    if shape in ("wholestatus", "partial", "nostatusidx"):
        c.execute("DROP INDEX IF EXISTS outbox_by_status")
        c.execute("DROP INDEX IF EXISTS outbox_unsettled")
    if shape == "wholestatus":
        c.execute("CREATE INDEX outbox_by_status ON outbox(status)")
    if shape == "partial":
        c.execute("CREATE INDEX outbox_unsettled ON outbox(status) WHERE status = 'pending' OR status = 'dead'")
    if shape == "ledger-rowid":
        c.execute("CREATE TABLE ledger_rows (metric TEXT, unique_id TEXT, profile_key TEXT, delivered_at INTEGER)")
    if shape == "append":
        c.execute("CREATE TABLE outbox_settled (ordinal INTEGER PRIMARY KEY, outcome TEXT, delivered_at INTEGER)")
    rows = c.execute(
        "SELECT ordinal, metric, unique_id, customer_id FROM outbox WHERE kind = 'event' AND status = 'pending' "
        "ORDER BY ordinal").fetchall()
    now = 1_700_000_000
    start = time.process_time()
    for first in range(0, len(rows), 171):
        chunk = rows[first:first + 171]
        c.execute("BEGIN")
        if shape in ("update", "wholestatus", "partial", "nostatusidx"):
            c.executemany(
                "UPDATE outbox SET status = 'delivered', outcome = ?, delivered_at = ?, attempts = attempts + 1 "
                "WHERE ordinal = ? AND status <> 'delivered'", [("accepted", now, r[0]) for r in chunk])
        elif shape == "ledger":
            c.executemany(
                "INSERT INTO delivery_ledger (metric, unique_id, profile_key, delivered_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING", [(r[1], r[2], r[3], now) for r in chunk])
        elif shape == "ledger-rowid":
            c.executemany("INSERT INTO ledger_rows VALUES (?, ?, ?, ?)", [(r[1], r[2], r[3], now) for r in chunk])
        elif shape == "append":
            c.executemany("INSERT OR IGNORE INTO outbox_settled VALUES (?, ?, ?)", [(r[0], "accepted", now) for r in chunk])
        else:
            sys.exit(f"marking: unknown shape {shape}")
        c.execute("COMMIT")
    cpu = time.process_time() - start
    c.close()
    print(f"{shape}: {len(rows):,} rows, {cpu / max(1, len(rows)) * 1e6:.2f} µs of CPU per row", flush=True)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as work:
        for shape in sys.argv[2:]:
            run(sys.argv[1], shape, work)


if __name__ == "__main__":
    main()
