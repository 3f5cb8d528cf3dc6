import Foundation
import LogfoldJournal
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fresh directory path under the system temp dir, removed (with everything in it) at scope end.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init(_ label: String = #function) {
        let safe = label.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "logfold-journal-\(safe.prefix(40))-\(UUID().uuidString)"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    var dataFile: String { path + "/data.mdb" }
}

/// Deterministic test entries: every byte depends on the index, so a swapped or shifted record is
/// caught by comparing against a recomputed copy.
enum Fixture {
    /// Unique, non-monotonic platform ids (odd multiplier: a bijection on UInt64).
    static func platformID(_ index: Int) -> UInt64 {
        UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ 17
    }

    /// `count` bytes that encode `index` (8-byte big-endian words `index + k`).
    static func entry(_ index: Int, count: Int = 72) -> [UInt8] {
        var bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: count)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset + 8 <= count {
                buffer.storeBytes(
                    of: (UInt64(index) &+ UInt64(offset)).bigEndian, toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
        }
        return bytes
    }

    /// A compact form distinct from the entry's bytes.
    static func compact(_ index: Int, count: Int = 16) -> [UInt8] {
        entry(index &* 31 &+ 7, count: count)
    }

    static func append(_ index: Int, entryCount: Int = 72, compactCount: Int = 16) -> JournalAppend {
        JournalAppend(
            platformID: platformID(index),
            entry: entry(index, count: entryCount),
            compact: compact(index, count: compactCount)
        )
    }

    /// Appends for indexes `range` (index `i` is expected at seq `i + 1` in an otherwise empty journal).
    static func batch(_ range: Range<Int>, entryCount: Int = 72) -> [JournalAppend] {
        range.map { append($0, entryCount: entryCount) }
    }

    /// Whether a viewed record is exactly what `append(index)` produced.
    static func matches(_ view: JournalRecordView, index: Int, entryCount: Int = 72, compactCount: Int = 16) -> Bool {
        view.platformID == platformID(index)
            && equal(view.entry, entry(index, count: entryCount))
            && equal(view.compact, compact(index, count: compactCount))
    }

    static func equal(_ buffer: UnsafeRawBufferPointer, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { expected in
            guard expected.count == buffer.count else { return false }
            guard let lhs = expected.baseAddress, let rhs = buffer.baseAddress else { return true }
            return memcmp(lhs, rhs, buffer.count) == 0
        }
    }
}

/// Byte-level surgery on a closed journal's data.mdb, for corruption and format tests.
enum DataFile {
    /// Every offset where `marker` occurs.
    ///
    /// LMDB is copy-on-write, so stale copies of a page may hold the same bytes; callers patch them all.
    static func offsets(of marker: [UInt8], in path: String) throws -> [Int] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard let first = marker.first, bytes.count >= marker.count else { return [] }
        var found: [Int] = []
        var index = 0
        while index <= bytes.count - marker.count {
            if bytes[index] == first && Array(bytes[index..<(index + marker.count)]) == marker {
                found.append(index)
            }
            index += 1
        }
        return found
    }

    /// Overwrites bytes at `offset`.
    static func write(_ bytes: [UInt8], at offset: Int, in path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data(bytes))
    }

    /// Reads one byte at `offset`.
    static func byte(at offset: Int, in path: String) throws -> UInt8 {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        return try handle.read(upToCount: 1)?.first ?? 0
    }
}

/// Asserts that `body` throws a `JournalError` with `code` and returns it for further checks.
@discardableResult
func expectJournalError<R>(
    _ code: JournalError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> R
) -> JournalError? {
    do {
        _ = try body()
        Issue.record("expected JournalError.\(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as JournalError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected JournalError.\(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
