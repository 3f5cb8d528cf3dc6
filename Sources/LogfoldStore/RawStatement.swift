internal import GRDB
internal import GRDBSQLite

/// SQLite's `SQLITE_TRANSIENT`: bind copies the bytes, so the Swift buffer may go away after the call.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement from GRDB's per-connection cache, bound and stepped through the C API.
///
/// The hot write path binds a dozen columns per row, millions of times per replay; going through
/// `StatementArguments` boxes every value and copies every blob into `Data` first, which the ADR
/// (`docs/adr/0003-state-store-sqlite.md`) measured as the dominant cost. GRDB still owns the
/// connection, the statement cache, the transaction and the migrations; this type only binds, steps and
/// reads columns, and always leaves the statement reset. It lives only inside one database access
/// closure and never escapes it.
struct RawStatement {
    /// GRDB's statement, held so its handle cannot be finalized while this value is in use.
    private let statement: Statement
    let handle: OpaquePointer
    let connection: OpaquePointer?

    /// Takes `sql` from the connection's statement cache (compiling it on first use).
    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    // MARK: - Binding (1-based indexes, as in SQLite)

    /// Binds text, or NULL for `nil`; an empty string stays an empty string.
    func bind(_ index: Int32, _ value: String?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        let count = Int32(value.utf8.count)
        _ = value.withCString { sqlite3_bind_text(handle, index, $0, count, transient) }
    }

    /// Binds a 64-bit integer.
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds an unsigned value the caller checked fits in `Int64` (``StateStore`` validates batches first).
    func bind(_ index: Int32, _ value: UInt64) {
        sqlite3_bind_int64(handle, index, Int64(truncatingIfNeeded: value))
    }

    /// Binds an optional unsigned value, NULL for `nil`.
    func bind(_ index: Int32, _ value: UInt64?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        bind(index, value)
    }

    /// Binds an optional 64-bit integer, NULL for `nil`.
    func bind(_ index: Int32, _ value: Int64?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds an optional 32-bit integer, NULL for `nil`.
    func bind(_ index: Int32, _ value: Int32?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    /// Binds a flag as 0 or 1.
    func bind(_ index: Int32, _ value: Bool) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    /// Binds an optional flag as 0, 1 or NULL.
    func bind(_ index: Int32, _ value: Bool?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        bind(index, value)
    }

    /// Binds bytes as a blob; an empty array is an empty blob, never NULL.
    func bind(_ index: Int32, _ value: [UInt8]) {
        value.withUnsafeBytes { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 {
                _ = sqlite3_bind_blob(handle, index, base, Int32(buffer.count), transient)
            } else {
                _ = sqlite3_bind_zeroblob(handle, index, 0)
            }
        }
    }

    // MARK: - Stepping

    /// Runs a statement that returns no rows, then resets it.
    ///
    /// `describe` builds the failure's message (what was being written, with its key or seq) only when
    /// there is a failure.
    func execute(path: String, _ describe: () -> String) throws(StoreError) {
        defer { sqlite3_reset(handle) }
        let rc = sqlite3_step(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw failure(rc, path: path, describe) }
    }

    /// Runs a statement that returns no rows, then resets it: `false`, with nothing it did kept, when it
    /// broke a constraint (SQLite backs the statement out; the transaction goes on).
    func executeUnlessConstraintFails(path: String, _ describe: () -> String) throws(StoreError) -> Bool {
        defer { sqlite3_reset(handle) }
        let rc = sqlite3_step(handle)
        if rc == SQLITE_DONE || rc == SQLITE_ROW { return true }
        if rc & 0xFF == SQLITE_CONSTRAINT { return false }
        throw failure(rc, path: path, describe)
    }

    /// Steps through every result row, calling `body` for each, then resets the statement.
    func forEachRow(
        path: String,
        _ describe: () -> String,
        _ body: (RawStatement) throws -> Void
    ) throws {
        try forEachRowWhile(path: path, describe) { row in
            try body(row)
            return true
        }
    }

    /// Steps through the result rows while `body` returns true; resets the statement either way.
    func forEachRowWhile(
        path: String,
        _ describe: () -> String,
        _ body: (RawStatement) throws -> Bool
    ) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw failure(rc, path: path, describe) }
            if try !body(self) { return }
        }
    }

    /// Steps to the next result row: `true` on a row, `false` when there are no more.
    ///
    /// The caller resets the statement (``reset()``): it reads a second cursor beside another's
    /// ``forEachRowWhile(path:_:_:)``.
    func step(path: String, _ describe: () -> String) throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_DONE { return false }
        guard rc == SQLITE_ROW else { throw failure(rc, path: path, describe) }
        return true
    }

    /// Resets a statement stepped by ``step(path:_:)``.
    func reset() {
        sqlite3_reset(handle)
    }

    /// The rows changed by the last statement run on this connection.
    var changes: Int {
        Int(sqlite3_changes(connection))
    }

    private func failure(_ rc: Int32, path: String, _ describe: () -> String) -> StoreError {
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? rc
        let reason = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "SQLite error \(rc)"
        return StoreError.sqlite(extended, reason: reason, doing: describe(), path: path)
    }

    // MARK: - Reading the current row (0-based columns, as in SQLite)

    /// Whether the column is NULL.
    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    /// The column as text, `nil` when NULL.
    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The column as text, `nil` when NULL, shared with an equal string of `recent` when there is one: a
    /// column of few distinct values (metric names, lists) then costs a comparison per row, not a string
    /// allocated, validated and freed.
    func text(_ column: Int32, reusing recent: inout RecentTexts) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let bytes = UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
        return recent.string(equalTo: bytes)
    }

    /// The column as text, `""` when NULL (for NOT NULL columns).
    func string(_ column: Int32) -> String {
        text(column) ?? ""
    }

    /// The column as a 64-bit integer (0 when NULL).
    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The column as an unsigned integer (values are stored from `UInt64`s that fit in `Int64`).
    func uint64(_ column: Int32) -> UInt64 {
        UInt64(truncatingIfNeeded: sqlite3_column_int64(handle, column))
    }

    /// The column as an optional unsigned integer.
    func optionalUInt64(_ column: Int32) -> UInt64? {
        isNull(column) ? nil : uint64(column)
    }

    /// The column as an optional 32-bit integer (values are stored from `Int32`s).
    func optionalInt32(_ column: Int32) -> Int32? {
        isNull(column) ? nil : Int32(truncatingIfNeeded: sqlite3_column_int64(handle, column))
    }

    /// The column as a flag (any non-zero integer is `true`).
    func bool(_ column: Int32) -> Bool {
        sqlite3_column_int64(handle, column) != 0
    }

    /// The column as an optional flag.
    func optionalBool(_ column: Int32) -> Bool? {
        isNull(column) ? nil : bool(column)
    }

    /// The column as bytes (`[]` when NULL or empty).
    func bytes(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        // One copy of the bytes: initialising from the raw buffer as a collection walked it generically.
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: count))
            initialized = count
        }
    }

    /// The column's storage class and raw bytes, for the digest: `body(type, bytes, integer)`.
    ///
    /// Text and blobs are handed over without copying; the buffer is valid only inside `body`.
    func withColumn<T>(_ column: Int32, _ body: (Int32, UnsafeRawBufferPointer, Int64) throws -> T) rethrows -> T {
        let type = sqlite3_column_type(handle, column)
        switch type {
        case SQLITE_INTEGER:
            return try body(type, UnsafeRawBufferPointer(start: nil, count: 0), sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            let bits = Int64(bitPattern: sqlite3_column_double(handle, column).bitPattern)
            return try body(type, UnsafeRawBufferPointer(start: nil, count: 0), bits)
        case SQLITE_TEXT:
            let pointer = UnsafeRawPointer(sqlite3_column_text(handle, column))
            let count = Int(sqlite3_column_bytes(handle, column))
            return try body(type, UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: count), 0)
        case SQLITE_BLOB:
            let pointer = sqlite3_column_blob(handle, column)
            let count = Int(sqlite3_column_bytes(handle, column))
            return try body(type, UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: count), 0)
        default:
            return try body(SQLITE_NULL, UnsafeRawBufferPointer(start: nil, count: 0), 0)
        }
    }

    /// How many columns the statement returns.
    var columnCount: Int32 {
        sqlite3_column_count(handle)
    }
}

/// The last distinct texts a column gave, for ``RawStatement/text(_:reusing:)``.
struct RecentTexts {
    /// At most this many are kept: a column of many distinct values stops looking after them.
    private static let capacity = 16
    private var strings: [String] = []

    init() {}

    /// A string of `bytes`: one of the kept ones when equal, otherwise a new one (kept while there is room).
    mutating func string(equalTo bytes: UnsafeBufferPointer<UInt8>) -> String {
        for index in strings.indices {
            let same = strings[index].utf8.withContiguousStorageIfAvailable { kept in
                kept.count == bytes.count && kept.elementsEqual(bytes)
            }
            if same == true { return strings[index] }
        }
        let string = String(decoding: bytes, as: UTF8.self)
        if strings.count < Self.capacity { strings.append(string) }
        return string
    }
}
