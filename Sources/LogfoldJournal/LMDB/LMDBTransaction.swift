internal import CLMDB

/// An LMDB transaction that cannot be copied and ends exactly once: `commit()` consumes it, and
/// dropping it un-committed aborts it (so an early `throw` can never leak a transaction or the writer
/// lock LMDB holds for it).
///
/// Only ``LMDBEnvironment`` creates transactions, inside one synchronous closure, so a transaction never
/// spans an `await` or changes thread mid-way.
struct LMDBTransaction: ~Copyable {
    private let handle: OpaquePointer
    /// The journal directory, for error messages.
    let path: String
    /// Cleared by `commit()`, whose end runs `deinit`; `discard self` is not allowed for a type with a
    /// `String` field.
    private var needsAbort = true

    /// Begins a transaction (`MDB_RDONLY` when `readOnly`).
    init(environment: OpaquePointer, readOnly: Bool, path: String) throws(JournalError) {
        var handle: OpaquePointer?
        let rc = mdb_txn_begin(environment, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &handle)
        guard rc == MDB_SUCCESS, let handle else {
            throw .lmdb(rc, readOnly ? "Beginning a read transaction" : "Beginning a write transaction", path: path)
        }
        self.handle = handle
        self.path = path
    }

    deinit {
        if needsAbort { mdb_txn_abort(handle) }
    }

    /// Commits.
    ///
    /// LMDB frees the transaction whether or not the commit succeeds, so it must not be aborted
    /// afterwards.
    consuming func commit() throws(JournalError) {
        needsAbort = false
        let rc = mdb_txn_commit(handle)
        guard rc == MDB_SUCCESS else { throw .lmdb(rc, "Committing a write transaction", path: path) }
    }

    /// Opens (creating when `create`) a named database; only called once per name, while opening.
    func openDatabase(named name: String, create: Bool) throws(JournalError) -> MDB_dbi {
        var dbi = MDB_dbi()
        let rc = mdb_dbi_open(handle, name, create ? UInt32(MDB_CREATE) : 0, &dbi)
        guard rc == MDB_SUCCESS else { throw .lmdb(rc, "Opening the \"\(name)\" database", path: path) }
        return dbi
    }

    /// The value stored under `key`, or `nil`; the buffer points into the map (valid until the
    /// transaction ends or the next write).
    func get(_ dbi: MDB_dbi, key: UnsafeRawBufferPointer) throws(JournalError) -> UnsafeRawBufferPointer? {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var value = MDB_val()
        let rc = mdb_get(handle, dbi, &keyValue, &value)
        if rc == MDB_NOTFOUND { return nil }
        guard rc == MDB_SUCCESS else { throw .lmdb(rc, "Reading a key", path: path) }
        return UnsafeRawBufferPointer(value)
    }

    /// Stores `value` under `key`, replacing any previous value.
    func put(_ dbi: MDB_dbi, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(JournalError) {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let rc = mdb_put(handle, dbi, &keyValue, &dataValue, 0)
        guard rc == MDB_SUCCESS else { throw .lmdb(rc, "Writing a key", path: path) }
    }

    /// Stores `value` under `key` unless the key exists; returns the existing value in that case and
    /// `nil` after inserting (one B-tree descent for "look up, insert if absent").
    func insertIfAbsent(
        _ dbi: MDB_dbi,
        key: UnsafeRawBufferPointer,
        value: UnsafeRawBufferPointer
    ) throws(JournalError) -> UnsafeRawBufferPointer? {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let rc = mdb_put(handle, dbi, &keyValue, &dataValue, UInt32(MDB_NOOVERWRITE))
        // On MDB_KEYEXIST, LMDB points `dataValue` at the existing value.
        if rc == MDB_KEYEXIST { return UnsafeRawBufferPointer(dataValue) }
        guard rc == MDB_SUCCESS else { throw .lmdb(rc, "Indexing a platform id", path: path) }
        return nil
    }

    /// How many entries a database holds (O(1): LMDB keeps the count in the database header).
    func entryCount(_ dbi: MDB_dbi) throws(JournalError) -> UInt64 {
        var stat = MDB_stat()
        let rc = mdb_stat(handle, dbi, &stat)
        guard rc == MDB_SUCCESS else { throw .lmdb(rc, "Reading database statistics", path: path) }
        return UInt64(stat.ms_entries)
    }

    /// Runs `body` with a cursor on `dbi` that is closed before this call returns.
    func withCursor<R>(_ dbi: MDB_dbi, _ body: (borrowing LMDBCursor) throws(JournalError) -> R) throws(JournalError)
        -> R
    {
        var cursor: OpaquePointer?
        let rc = mdb_cursor_open(handle, dbi, &cursor)
        guard rc == MDB_SUCCESS, let cursor else { throw .lmdb(rc, "Opening a cursor", path: path) }
        let owned = LMDBCursor(handle: cursor, path: path)
        return try body(owned)
    }
}
