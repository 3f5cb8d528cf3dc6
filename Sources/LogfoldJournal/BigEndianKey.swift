/// Helpers for the 8-byte big-endian keys of the "records" and "ids" databases.
///
/// Big-endian keys sort numerically under LMDB's default `memcmp` ordering, which is what makes
/// `MDB_APPEND` and range scans by sequence number work.
enum BigEndianKey {
    /// Calls `body` with the 8 big-endian bytes of `value`.
    static func with<R, E: Error>(_ value: UInt64, _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var bigEndian = value.bigEndian
        return try withUnsafeBytes(of: &bigEndian) { bytes throws(E) in try body(bytes) }
    }

    /// Reads an 8-byte big-endian key or value; `nil` if it is not exactly 8 bytes.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
    }
}
