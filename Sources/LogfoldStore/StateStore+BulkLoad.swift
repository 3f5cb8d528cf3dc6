internal import GRDB

extension StateStore {
    /// Drops the outbox's per-customer index for a bulk load: a replay into a fresh store, or a
    /// projector far behind the journal's head.
    ///
    /// Every message inserts an entry into `outbox_by_customer` at a random place, so a large batch
    /// rewrites pages all over the index and the cost per message grows with the outbox: on the
    /// synthetic year it halved SQLite's rate (39,000 against 75,000 entries/s, ADR 0003). Building the
    /// index once at the end is a sort (4 s for 2.5 million messages). While the load runs everything works; per-customer outbox queries scan the
    /// table instead. Idempotent; the index stays away until ``endBulkLoad()``, even across restarts.
    package func beginBulkLoad() throws(StoreError) {
        try write("dropping the indexes for a bulk load") { db in
            for name in StoreSchema.bulkLoadIndexNames {
                try db.execute(sql: "DROP INDEX IF EXISTS \(name)")
            }
        }
    }

    /// Rebuilds the indexes ``beginBulkLoad()`` dropped; a no-op when they exist.
    ///
    /// Call it when the projector has caught up with the journal (and on start when not bulk loading),
    /// so an interrupted load's indexes come back. Takes a few seconds per million outbox rows, holding
    /// the write lock.
    package func endBulkLoad() throws(StoreError) {
        try write("rebuilding the indexes after a bulk load") { db in
            for statement in StoreSchema.bulkLoadIndexes {
                try db.execute(sql: statement)
            }
        }
    }

    /// Whether a bulk load dropped indexes that ``endBulkLoad()`` has not rebuilt yet.
    package func isBulkLoading() throws(StoreError) -> Bool {
        let operation = "reading the store's indexes"
        return try read(operation) { db in
            let statement = try RawStatement(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?")
            var missing = false
            for name in StoreSchema.bulkLoadIndexNames {
                statement.bind(1, name)
                try statement.forEachRow(path: path, { operation }) { missing = missing || $0.int64(0) == 0 }
            }
            return missing
        }
    }
}
