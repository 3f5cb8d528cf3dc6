/// Record format v1: the byte layout of one value in the "records" database (see
/// docs/adr/0001-journal-record-format.md).
///
/// ```
/// offset 0  UInt8   format version = 1
/// offset 1  UInt8   flags (0; reserved)
/// offset 2  UInt16  reserved (0)
/// offset 4  UInt64  platform id, big-endian
/// offset 12 UInt32  entry length E, big-endian
/// offset 16 UInt32  compact length C, big-endian
/// offset 20 E bytes entry, then C bytes compact form
/// last 4    UInt32  CRC-32C of every byte before it, big-endian
/// ```
enum RecordFormat {
    static let version: UInt8 = 1
    static let headerSize = 20
    static let checksumSize = 4
    /// Bytes a record takes beyond its entry and compact form.
    static let overhead = headerSize + checksumSize

    /// The encoded size of a record, or `nil` when a length does not fit the format's `UInt32`.
    static func encodedSize(entryCount: Int, compactCount: Int) -> Int? {
        guard entryCount <= Int(UInt32.max), compactCount <= Int(UInt32.max) else { return nil }
        return overhead + entryCount + compactCount
    }

    /// Writes a record into `buffer`, which must be exactly ``encodedSize(entryCount:compactCount:)``
    /// bytes (LMDB hands us that space with `MDB_RESERVE`, so the record is built in place).
    static func encode(_ append: JournalAppend, into buffer: UnsafeMutableRawBufferPointer) {
        let entryCount = append.entry.count
        let compactCount = append.compact.count
        buffer.storeBytes(of: version, toByteOffset: 0, as: UInt8.self)
        buffer.storeBytes(of: 0, toByteOffset: 1, as: UInt8.self)
        buffer.storeBytes(of: 0, toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: append.platformID.bigEndian, toByteOffset: 4, as: UInt64.self)
        buffer.storeBytes(of: UInt32(entryCount).bigEndian, toByteOffset: 12, as: UInt32.self)
        buffer.storeBytes(of: UInt32(compactCount).bigEndian, toByteOffset: 16, as: UInt32.self)
        let body = UnsafeMutableRawBufferPointer(rebasing: buffer[headerSize...])
        append.entry.withUnsafeBytes { body.copyMemory(from: $0) }
        let compactStart = headerSize + entryCount
        append.compact.withUnsafeBytes {
            UnsafeMutableRawBufferPointer(rebasing: buffer[compactStart...]).copyMemory(from: $0)
        }
        let checksummed = buffer.count - checksumSize
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[..<checksummed]))
        buffer.storeBytes(of: crc.bigEndian, toByteOffset: checksummed, as: UInt32.self)
    }

    /// Checks a stored record and returns a view of it; any structural or checksum failure throws
    /// ``JournalError/Code/corruptRecord`` naming `seq`, so damaged bytes are never handed out as data.
    static func decode(seq: UInt64, value: UnsafeRawBufferPointer, path: String) throws(JournalError)
        -> JournalRecordView
    {
        func corrupt(_ what: String) -> JournalError {
            JournalError(
                code: .corruptRecord,
                message: "Record seq \(seq) in the journal at \(path) is corrupt: \(what). Restore the journal from "
                    + "a backup or re-ingest from the source; run `logfold journal verify` to list every bad record.",
                seq: seq
            )
        }
        guard value.count >= overhead else {
            throw corrupt("its value is \(value.count) bytes, shorter than the \(overhead)-byte minimum")
        }
        let checksummed = value.count - checksumSize
        let stored = UInt32(bigEndian: value.loadUnaligned(fromByteOffset: checksummed, as: UInt32.self))
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: value[..<checksummed]))
        guard stored == computed else {
            throw corrupt("checksum mismatch (stored \(hex(stored)), computed \(hex(computed)))")
        }
        // A valid checksum over a wrong layout means a bug, not a disk fault; still never return it.
        guard value[0] == version else {
            throw corrupt("unknown record format version \(value[0])")
        }
        let platformID = UInt64(bigEndian: value.loadUnaligned(fromByteOffset: 4, as: UInt64.self))
        let entryCount = Int(UInt32(bigEndian: value.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
        let compactCount = Int(UInt32(bigEndian: value.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
        guard overhead + entryCount + compactCount == value.count else {
            throw corrupt(
                "lengths (entry \(entryCount), compact \(compactCount)) do not match its \(value.count) bytes")
        }
        let entryEnd = headerSize + entryCount
        return JournalRecordView(
            seq: seq,
            platformID: platformID,
            entry: UnsafeRawBufferPointer(rebasing: value[headerSize..<entryEnd]),
            compact: UnsafeRawBufferPointer(rebasing: value[entryEnd..<(entryEnd + compactCount)])
        )
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
