internal import GRDBSQLite

/// Serialises query results unambiguously into SHA-256, for ``StateStore/digest()``.
///
/// Every value is written as a type tag, then its content: nothing for NULL, 8 bytes big-endian for an
/// integer (and a float's bits), a 4-byte big-endian length and the bytes for text and blobs. A row starts
/// with `R`, a table with `T` and its name, and ends with `E` and its row count, so no two different
/// contents serialise to the same bytes. Bytes are buffered and hashed 64 KiB at a time.
struct CanonicalHasher {
    private var hasher = SHA256Hasher()
    private var buffer: [UInt8] = []
    private let flushAt = 64 * 1024

    init(format: String) {
        buffer.reserveCapacity(flushAt + 4096)
        bytes(tag: 0x46, Array(format.utf8))  // "F": the serialisation's version
    }

    /// Starts a table's section.
    mutating func beginTable(_ name: String) {
        bytes(tag: 0x54, Array(name.utf8))  // "T"
    }

    /// Ends a table's section with its row count.
    mutating func endTable(rows: Int64) {
        buffer.append(0x45)  // "E"
        integer(rows)
    }

    /// Appends the current row of `statement`: every column in the query's order, except that the
    /// column `replaced`, when given, is appended as the blob `replacement` instead of what it holds.
    mutating func row(_ statement: RawStatement, replacing replaced: Int32? = nil, with replacement: [UInt8] = []) {
        buffer.append(0x52)  // "R"
        for column in 0..<statement.columnCount {
            if column == replaced {
                bytes(tag: 0x04, replacement)
                continue
            }
            statement.withColumn(column) { type, content, value in
                switch type {
                case SQLITE_INTEGER:
                    buffer.append(0x01)
                    integer(value)
                case SQLITE_FLOAT:
                    buffer.append(0x02)
                    integer(value)
                case SQLITE_TEXT:
                    bytes(tag: 0x03, content)
                case SQLITE_BLOB:
                    bytes(tag: 0x04, content)
                default:
                    buffer.append(0x00)
                }
            }
        }
        if buffer.count >= flushAt { flush() }
    }

    /// The hex SHA-256 of everything appended.
    mutating func finish() -> String {
        flush()
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in hasher.finalize() {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private mutating func integer(_ value: Int64) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) {
            buffer.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
    }

    private mutating func bytes(tag: UInt8, _ content: some Collection<UInt8>) {
        buffer.append(tag)
        let count = UInt32(truncatingIfNeeded: content.count)
        for shift in stride(from: 24, through: 0, by: -8) {
            buffer.append(UInt8(truncatingIfNeeded: count >> UInt32(shift)))
        }
        buffer.append(contentsOf: content)
    }

    private mutating func flush() {
        buffer.withUnsafeBytes { hasher.update($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
