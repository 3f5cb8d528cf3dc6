internal import CLMDB

/// An LMDB cursor, closed when it goes out of scope.
///
/// Only ``LMDBTransaction/withCursor(_:_:)`` creates one, and it never outlives that call, so it is
/// always closed before its transaction ends (closing a write cursor after its transaction is a
/// use-after-free in LMDB).
struct LMDBCursor: ~Copyable {
    private let handle: OpaquePointer
    private let path: String

    init(handle: OpaquePointer, path: String) {
        self.handle = handle
        self.path = path
    }

    deinit {
        mdb_cursor_close(handle)
    }

    /// Where to move the cursor.
    enum Position {
        case first
        case last
        case next
        /// The first key at or after the given one.
        case atOrAfter(UnsafeRawBufferPointer)
    }

    /// Moves the cursor and returns the key and value there, or `nil` past either end.
    ///
    /// The buffers point into the map and are valid until the transaction ends or the next write.
    func move(to position: Position) throws(JournalError) -> (
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer
    )? {
        var key = MDB_val()
        var value = MDB_val()
        let op: MDB_cursor_op
        switch position {
        case .first: op = MDB_FIRST
        case .last: op = MDB_LAST
        case .next: op = MDB_NEXT
        case .atOrAfter(let start):
            op = MDB_SET_RANGE
            key = MDB_val(mv_size: start.count, mv_data: UnsafeMutableRawPointer(mutating: start.baseAddress))
        }
        let rc = mdb_cursor_get(handle, &key, &value, op)
        if rc == MDB_NOTFOUND { return nil }
        guard rc == MDB_SUCCESS else { throw .lmdb(rc, "Moving a cursor", path: path) }
        return (UnsafeRawBufferPointer(key), UnsafeRawBufferPointer(value))
    }

    /// Appends `key` (which must sort after every existing key) with `size` bytes of value space that
    /// `fill` writes in place (`MDB_APPEND | MDB_RESERVE`: no intermediate copy, no B-tree search).
    func appendReserved(
        key: UnsafeRawBufferPointer,
        size: Int,
        seq: UInt64,
        _ fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(JournalError) {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var value = MDB_val(mv_size: size, mv_data: nil)
        let rc = mdb_cursor_put(handle, &keyValue, &value, UInt32(MDB_APPEND | MDB_RESERVE))
        guard rc == MDB_SUCCESS else { throw .lmdb(rc, "Appending a record", path: path, seq: seq) }
        fill(UnsafeMutableRawBufferPointer(start: value.mv_data, count: size))
    }
}

extension UnsafeRawBufferPointer {
    /// Views an `MDB_val` (valid only as long as LMDB keeps the memory it points at).
    init(_ value: MDB_val) {
        self.init(start: value.mv_data, count: value.mv_size)
    }
}
