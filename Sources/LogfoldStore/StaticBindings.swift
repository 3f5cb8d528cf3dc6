internal import GRDBSQLite

/// SQLite's `SQLITE_STATIC`: bind keeps the pointer; the bytes must stay as they are until the statement
/// has run.
private let staticDestructor = unsafeBitCast(0, to: sqlite3_destructor_type.self)

/// Binds one row's texts and blobs without SQLite copying each (`SQLITE_STATIC`): the row's bytes are
/// copied once into memory this owns, and every value is bound as a pointer into it.
///
/// Bound the usual way (`SQLITE_TRANSIENT`), SQLite allocates, copies and later frees every text and blob
/// (Debian's SQLite has no lookaside allocator): about 470 instructions a text, a tenth of a replay's
/// committing thread for the outbox rows alone. Use: ``begin(bytes:)`` with the row's total size, bind
/// its values, run the statement, then the next row. The memory a statement points into stays valid and
/// unchanged until the next ``begin(bytes:)``, and every step binds all of its values again first, so a
/// statement never reads a pointer from an earlier row.
final class StaticBindings {
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private var used = 0

    /// Bindings with room for rows of `capacity` bytes before it grows.
    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        storage = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 8)
    }

    deinit { storage.deallocate() }

    /// Starts a row whose texts and blobs take `bytes` in all: the previous row's values are gone.
    func begin(bytes: Int) {
        used = 0
        guard bytes > capacity else { return }
        storage.deallocate()
        capacity = max(bytes, 2 * capacity)
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    }

    /// Unbinds every value of `statement` (``RawStatement`` takes statements from GRDB's cache): call it
    /// before these bindings go away, so that no cached statement keeps a pointer into freed memory.
    func clear(_ statement: RawStatement) { sqlite3_clear_bindings(statement.handle) }

    /// The bytes `text` takes here (its UTF-8), for ``begin(bytes:)``.
    static func size(of text: String?) -> Int { text?.utf8.count ?? 0 }

    /// Binds text, or NULL for `nil`, as ``RawStatement/bind(_:_:)-(Int32,String?)`` does.
    func bind(_ statement: RawStatement, _ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(statement.handle, index)
            return
        }
        let start = used
        text.withUTF8 { copy(UnsafeRawBufferPointer($0)) }
        sqlite3_bind_text(
            statement.handle, index, (storage + start).assumingMemoryBound(to: CChar.self),
            Int32(used - start), staticDestructor)
    }

    /// Binds text that `write` puts in place: it gets room for `capacity` bytes (counted in
    /// ``begin(bytes:)``) and returns how many it wrote, which must be valid UTF-8.
    func bindText(
        _ statement: RawStatement, _ index: Int32, capacity: Int,
        _ write: (UnsafeMutableBufferPointer<UInt8>) -> Int
    ) {
        // ``begin(bytes:)`` was given the row's size: room past it would be another value's, or not ours.
        precondition(used + capacity <= self.capacity, "a row's values outgrew the size given to begin(bytes:)")
        let start = used
        let room = UnsafeMutableBufferPointer(
            start: (storage + start).assumingMemoryBound(to: UInt8.self), count: capacity)
        let written = write(room)
        precondition(written >= 0 && written <= capacity, "a text wrote past the room it was given")
        used += written
        sqlite3_bind_text(
            statement.handle, index, (storage + start).assumingMemoryBound(to: CChar.self), Int32(written),
            staticDestructor)
    }

    /// Binds a blob (an empty one as a zero-length blob), as ``RawStatement/bind(_:_:)-(Int32,[UInt8])`` does.
    func bind(_ statement: RawStatement, _ index: Int32, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else {
            sqlite3_bind_zeroblob(statement.handle, index, 0)
            return
        }
        let start = used
        bytes.withUnsafeBytes { copy($0) }
        sqlite3_bind_blob(statement.handle, index, storage + start, Int32(used - start), staticDestructor)
    }

    private func copy(_ bytes: UnsafeRawBufferPointer) {
        // ``begin(bytes:)`` was given the row's size: writing past it would corrupt memory.
        precondition(used + bytes.count <= capacity, "a row's values outgrew the size given to begin(bytes:)")
        if let base = bytes.baseAddress, bytes.count > 0 {
            (storage + used).copyMemory(from: base, byteCount: bytes.count)
        }
        used += bytes.count
    }
}
