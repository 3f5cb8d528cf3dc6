internal import CSQLiteTuning
internal import GRDB

/// The projection's state on SQLite: customers, orders, the outbox, projector checkpoints and the
/// delivery ledger, in one file that can be deleted and rebuilt from the journal at any time.
///
/// One GRDB `DatabasePool` in WAL mode: one writer connection, serialised by GRDB, and readers that
/// never block it nor are blocked by it. Every method is synchronous and blocking; each runs one
/// transaction to completion on the calling thread and never spans an `await`. The class is `Sendable`:
/// share one instance per process. The progress of each projector (its checkpoint) commits in the same
/// transaction as the rows it produced (``commit(_:projector:)``), so a crash keeps whole batches only.
package final class StateStore: Sendable {
    /// The database file's path.
    package let path: String
    let pool: DatabasePool

    /// Opens the store at `path`, creating the file and its tables when missing.
    ///
    /// The parent directory must exist. Migrations run on every open and do nothing when the file is up
    /// to date. Throws ``StoreError/Code/schema`` for a file written by a newer logfold,
    /// ``StoreError/Code/notADatabase`` for a file that is not SQLite.
    package init(path: String) throws(StoreError) {
        self.path = path
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration())
        } catch {
            throw StoreError.wrapping(error, doing: "opening", path: path)
        }
        try migrate()
    }

    /// Turns off SQLite's memory statistics for this process; `false` when SQLite was already in use
    /// (it keeps them then, and works the same).
    ///
    /// With them on, each of SQLite's allocations and frees takes a process-wide mutex: Debian builds
    /// SQLite without its lookaside allocator, so every bound text, record and statement is a `malloc`, and
    /// the mutex and counters were about a tenth of a replay's committing thread (docs/performance.md).
    /// logfold reads none of the statistics. The command line calls it first thing: SQLite takes the
    /// setting only before its first use, and only while no other thread is using it.
    @discardableResult
    package static func tuneSQLiteForThisProcess() -> Bool {
        logfold_sqlite_disable_memory_statistics() == 0
    }

    /// Closes every connection; later calls throw.
    ///
    /// Optional: the store also closes when released.
    package func close() throws(StoreError) {
        do {
            try pool.close()
        } catch {
            throw StoreError.wrapping(error, doing: "closing", path: path)
        }
    }

    /// The seq up to which `projector` has committed, 0 when it never has.
    package func checkpoint(_ projector: String) throws(StoreError) -> UInt64 {
        try read("reading the checkpoint of projector \(projector)") { db in
            try Self.checkpoint(projector, in: db, path: path)
        }
    }

    /// The identity of the record `projector`'s checkpoint folded last, `nil` when it has none (never
    /// committed, or committed by a build before schema v7).
    package func checkpointIdentity(_ projector: String) throws(StoreError) -> RecordIdentity? {
        try read("reading the checkpoint of projector \(projector)") { db in
            let statement = try RawStatement(db, "SELECT last_id, last_crc FROM checkpoints WHERE name = ?")
            statement.bind(1, projector)
            var identity: RecordIdentity?
            try statement.forEachRow(path: path, { "reading the checkpoint of projector \(projector)" }) { row in
                guard !row.isNull(0), !row.isNull(1) else { return }
                identity = RecordIdentity(
                    platformID: UInt64(bitPattern: row.int64(0)), checksum: UInt32(truncatingIfNeeded: row.int64(1)))
            }
            return identity
        }
    }

    // MARK: - Access helpers

    /// Runs `body` in a read transaction (a consistent snapshot), mapping every error to `StoreError`.
    func read<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read { db in try body(db) }
        } catch {
            throw StoreError.wrapping(error, doing: operation(), path: path)
        }
    }

    /// Runs `body` in one IMMEDIATE write transaction, rolled back when it throws.
    func write<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write { db in try body(db) }
        } catch {
            throw StoreError.wrapping(error, doing: operation(), path: path)
        }
    }

    /// The checkpoint of `projector` inside an open transaction.
    static func checkpoint(_ projector: String, in db: Database, path: String) throws -> UInt64 {
        let statement = try RawStatement(db, "SELECT seq FROM checkpoints WHERE name = ?")
        statement.bind(1, projector)
        var seq: UInt64 = 0
        try statement.forEachRow(path: path, { "reading the checkpoint of projector \(projector)" }) { row in
            seq = row.uint64(0)
        }
        return seq
    }

    private func migrate() throws(StoreError) {
        do {
            let migrator = StoreSchema.migrator
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            guard !superseded else {
                throw StoreError(
                    code: .schema,
                    message: "The state store at \(path) was written by a newer logfold (unknown migrations); "
                        + "use that version, or delete the file and rebuild it with `logfold replay`."
                )
            }
            try migrator.migrate(pool)
        } catch {
            throw StoreError.wrapping(error, doing: "migrating the schema", path: path)
        }
    }

    /// SQLite's page cache for the writing connection, in KiB, outside a bulk load.
    static let writerCacheKiB = 64 * 1024
    /// The writer's page cache while a bulk load runs (``beginBulkLoad()``), in KiB.
    ///
    /// With the indexes deferred a load appends, and the pages it rewrites (customers, orders) stay in the
    /// operating system's cache: 64 MiB held 50 MiB more at a replay's peak, for CPU within the noise
    /// (docs/performance.md, issue 16's fifth session).
    static let bulkLoadCacheKiB = 16 * 1024

    /// The page size of a new store, in bytes: 8 KiB instead of SQLite's 4 KiB.
    ///
    /// A replay writes every page twice (the WAL, then the checkpoint) a page per system call: on the
    /// synthetic year 6.9 million `pwrite64` and `pread64` calls, 15.6 s of system time. With 8 KiB pages
    /// that fell to 10.0 s, the replay's CPU by 6%, and the sender's CPU per row did not move (four
    /// interleaved pairs); 16 KiB wrote more and saved less (docs/performance.md, fifteenth session).
    static let pageSize = 8192

    /// Per-connection settings: a 64 MiB page cache, temporary tables in memory, a busy timeout, and on
    /// the writer `synchronous = NORMAL` (safe in WAL for a store rebuildable from the journal) and a
    /// checkpoint every 10,000 WAL pages instead of 1,000 (ADR 0003).
    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.label = "logfold.store"
        configuration.busyMode = .timeout(10)
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            let cacheKiB = db.configuration.readonly ? 16 * 1024 : writerCacheKiB
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            if !db.configuration.readonly {
                // Takes effect only on a new, empty file (before GRDB turns WAL on); an existing store keeps
                // the page size it was made with.
                try db.execute(sql: "PRAGMA page_size = \(pageSize)")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            }
        }
        return configuration
    }
}
