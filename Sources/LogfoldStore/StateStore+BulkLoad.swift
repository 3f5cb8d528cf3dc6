internal import GRDB

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

extension StateStore {
    /// Drops the key and per-customer indexes of every outbox (Klaviyo's and ActiveCampaign's), and
    /// ActiveCampaign's queue index, for a bulk load: a replay into a fresh store.
    ///
    /// Every message inserts an entry into both indexes at a random place, so a large batch rewrites
    /// pages all over them and the cost per message grows with the outbox: on the synthetic year the
    /// per-customer index alone halved SQLite's rate (ADR 0003). Building an index once at the end is a
    /// sort. While the load runs, rows go in without a conflict clause (each batch commits whole with
    /// its checkpoint, so no row is written twice) and ``endBulkLoad()`` drops any row whose key repeats
    /// an earlier one before building the unique key index. Per-customer outbox queries scan the table
    /// meanwhile. Idempotent; the indexes stay away until ``endBulkLoad()``, even across restarts.
    ///
    /// The writer's page cache shrinks to ``bulkLoadCacheKiB`` until ``endBulkLoad()``.
    package func beginBulkLoad() throws(StoreError) {
        try write("dropping the indexes for a bulk load") { db in
            for name in StoreSchema.bulkLoadIndexNames {
                try db.execute(sql: "DROP INDEX IF EXISTS \(name)")
            }
            try db.execute(sql: "PRAGMA cache_size = -\(Self.bulkLoadCacheKiB)")
        }
    }

    /// Rebuilds the indexes ``beginBulkLoad()`` dropped and returns how many outbox rows repeated an
    /// earlier row's key; a no-op returning 0 when the indexes exist.
    ///
    /// A key can repeat when the journal holds the same event twice (a checkout logged twice in one
    /// second under two entry ids): the later rows go, keeping the first exactly as `ON CONFLICT(key) DO
    /// NOTHING` would have. Call it when the projector has caught up with the journal (and on start when
    /// not bulk loading), so an interrupted load's indexes come back. Takes a few seconds per million
    /// outbox rows, holding the write lock.
    @discardableResult
    package func endBulkLoad() throws(StoreError) -> Int {
        do {
            // The sorts behind CREATE INDEX spill to temporary files, not memory: sorting every key of the
            // outbox in memory would make the peak grow with the journal. A sort holds as much in memory as
            // the page cache may, and the cache is full from the load: both are cut to ``indexBuildCacheKiB``
            // meanwhile (64 → 16 MiB took the end of a replay of the synthetic year from 354 to 287 MiB;
            // docs/performance.md).
            // temp_store cannot change inside a transaction, hence one connection outside GRDB's.
            return try pool.writeWithoutTransaction { db -> Int in
                try db.execute(sql: "PRAGMA temp_store = FILE")
                try db.execute(sql: "PRAGMA cache_size = -\(Self.indexBuildCacheKiB)")
                try db.execute(sql: "PRAGMA threads = \(Self.indexSortThreads)")
                defer {
                    // Back to the writer's own cache, whatever the load had set.
                    try? db.execute(sql: "PRAGMA temp_store = MEMORY")
                    try? db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)")
                    try? db.execute(sql: "PRAGMA threads = 0")
                }
                var removed = 0
                try db.inTransaction {
                    removed = try Self.buildBulkLoadIndexes(db, path: path)
                    return .commit
                }
                return removed
            }
        } catch {
            throw StoreError.wrapping(error, doing: "rebuilding the indexes after a bulk load", path: path)
        }
    }

    /// The helper threads SQLite's sorter may use while ``endBulkLoad()`` builds the indexes: two with two
    /// cores or more, none with one.
    ///
    /// Nothing else runs then (the fold is over), so the idle core sorts. Each helper sorts in a cache of
    /// its own, hence the smaller ``indexBuildCacheKiB``.
    static var indexSortThreads: Int {
        sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 ? 2 : 0
    }

    /// The page cache, and so each sorter's memory, while ``endBulkLoad()`` builds the indexes: 4 MiB.
    ///
    /// Measured on the synthetic year's four outbox indexes (docs/performance.md): no helpers and 16 MiB,
    /// 13.8–15.4 s and 50 MB; two helpers and 16 MiB, 13.4–16.4 s and 83 MB; two helpers and 4 MiB,
    /// 9.6–13.0 s (mean 10.9) and 33 MB. A smaller cache makes more, shorter sorted runs, which the helpers
    /// merge in parallel.
    static let indexBuildCacheKiB = 4096

    /// Builds the dropped indexes inside an open transaction, first deleting rows whose key repeats.
    private static func buildBulkLoadIndexes(_ db: Database, path: String) throws -> Int {
        var removed = 0
        for indexes in StoreSchema.bulkLoadIndexes {
            if let key = indexes.key, try !hasIndex(key.name, db, path: path) {
                do {
                    try db.execute(sql: key.create)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    try db.execute(
                        sql: """
                            DELETE FROM \(indexes.table)
                            WHERE ordinal NOT IN (SELECT min(ordinal) FROM \(indexes.table) GROUP BY key)
                            """)
                    removed += db.changesCount
                    try db.execute(sql: key.create)
                }
            }
            try db.execute(sql: indexes.customer.create)
            if let queue = indexes.queue { try db.execute(sql: queue.create) }
        }
        return removed
    }

    /// Whether a bulk load dropped indexes that ``endBulkLoad()`` has not rebuilt yet.
    package func isBulkLoading() throws(StoreError) -> Bool {
        try read("reading the store's indexes") { db in
            try StoreSchema.bulkLoadIndexNames.contains { name in try !Self.hasIndex(name, db, path: path) }
        }
    }

    /// The writer's page cache in KiB as it is set now: ``bulkLoadCacheKiB`` during a bulk load,
    /// ``writerCacheKiB`` otherwise.
    func writerPageCacheKiB() throws(StoreError) -> Int {
        try write("reading the writer's page cache size") { db in
            -(try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0)
        }
    }

    /// The writer's `PRAGMA threads` as it is set now: 0 outside ``endBulkLoad()``.
    func writerSortThreads() throws(StoreError) -> Int {
        try write("reading the writer's sorter threads") { db in
            try Int.fetchOne(db, sql: "PRAGMA threads") ?? 0
        }
    }

    /// Whether the index `name` exists, inside an open transaction.
    static func hasIndex(_ name: String, _ db: Database, path: String) throws -> Bool {
        let statement = try RawStatement(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?")
        statement.bind(1, name)
        var found = false
        try statement.forEachRow(path: path, { "reading the index \(name)" }) { found = $0.int64(0) > 0 }
        return found
    }
}
