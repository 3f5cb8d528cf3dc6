internal import CLMDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LMDBEnvironment {
    /// How often a transaction is retried after another process grew the map under it.
    private static let resizedRetries = 16

    /// Runs `body` in a read transaction that ends when `body` returns.
    ///
    /// Readers never wait for the writer (LMDB MVCC); they wait only while this process resizes the map.
    func withRead<R>(_ body: (borrowing LMDBTransaction) throws(JournalError) -> R) throws(JournalError) -> R {
        var attempts = 0
        while true {
            do throws(JournalError) {
                return try gate.withShared { () throws(JournalError) -> R in
                    let txn = try LMDBTransaction(environment: handle, readOnly: true, path: path)
                    return try body(txn)
                }
            } catch {
                guard error.code == .mapResized, attempts < Self.resizedRetries else { throw error }
                attempts += 1
                try adoptResizedMap()
            }
        }
    }

    /// Runs `body` in the one write transaction of this process and commits it.
    ///
    /// When the map is full, the transaction is aborted, the map grows and `body` runs again from
    /// scratch, so `body` must derive everything it writes from the transaction it is given.
    func withWrite<R: Sendable>(_ body: (borrowing LMDBTransaction) throws(JournalError) -> R) throws(JournalError) -> R
    {
        try writer.withLock { _ throws(JournalError) -> R in
            var attempts = 0
            while true {
                do throws(JournalError) {
                    return try gate.withShared { () throws(JournalError) -> R in
                        let txn = try LMDBTransaction(environment: handle, readOnly: false, path: path)
                        let result = try body(txn)
                        try txn.commit()
                        return result
                    }
                } catch {
                    switch error.code {
                    case .mapFull:
                        try grow()
                    case .mapResized where attempts < Self.resizedRetries:
                        attempts += 1
                        try adoptResizedMap()
                    default:
                        throw error
                    }
                }
            }
        }
    }

    /// The current map size in bytes.
    func mapSize() throws(JournalError) -> Int {
        try gate.withShared { () throws(JournalError) -> Int in try unguardedMapSize() }
    }

    /// The size of `data.mdb` on disk.
    func fileBytes() throws(JournalError) -> UInt64 {
        var status = stat()
        guard stat(path + "/data.mdb", &status) == 0 else {
            throw .lmdb(errno, "Reading the size of data.mdb", path: path)
        }
        return UInt64(status.st_size)
    }

    /// Flushes every committed transaction to disk (needed only with `.nosync`).
    func sync() throws(JournalError) {
        let rc = gate.withShared { mdb_env_sync(handle, 1) }
        guard rc == MDB_SUCCESS else { throw .lmdb(rc, "Syncing to disk", path: path) }
    }

    private func unguardedMapSize() throws(JournalError) -> Int {
        var info = MDB_envinfo()
        let rc = mdb_env_info(handle, &info)
        guard rc == MDB_SUCCESS else { throw .lmdb(rc, "Reading the map size", path: path) }
        return info.me_mapsize
    }

    /// Doubles the map (capped by the maximum).
    ///
    /// Called by the writer after aborting its transaction.
    private func grow() throws(JournalError) {
        try gate.withExclusive(
            { () throws(JournalError) in
                let current = try unguardedMapSize()
                var target = current > Int.max / 2 ? Int.max : current * 2
                if let maximumMapSize { target = min(target, maximumMapSize) }
                guard target > current else {
                    throw JournalError(
                        code: .mapFull,
                        message: "The journal at \(path) is full: its map reached maximumMapSize (\(current) bytes). "
                            + "Raise maximumMapSize or remove the cap; the batch was not appended.",
                        lmdbCode: MDB_MAP_FULL
                    )
                }
                let rc = mdb_env_set_mapsize(handle, target)
                guard rc == MDB_SUCCESS else {
                    throw .lmdb(rc, "Growing the map from \(current) to \(target) bytes", path: path)
                }
            }, ifHeld: { busy("grow its map") })
    }

    /// Adopts the larger map another process committed (`mdb_env_set_mapsize(env, 0)`).
    private func adoptResizedMap() throws(JournalError) {
        try gate.withExclusive(
            { () throws(JournalError) in
                let rc = mdb_env_set_mapsize(handle, 0)
                guard rc == MDB_SUCCESS else {
                    throw .lmdb(rc, "Adopting the map size another process set", path: path)
                }
            }, ifHeld: { busy("adopt the map size another process set") })
    }

    private func busy(_ action: String) -> JournalError {
        JournalError(
            code: .busy,
            message: "The journal at \(path) must \(action), which needs every transaction of this process to "
                + "end, but this thread is still inside a read (a forEach callback). Append or read outside forEach."
        )
    }
}
