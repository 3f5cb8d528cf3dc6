/// A run of complete input lines held in one contiguous buffer.
///
/// Lines are views (offset ranges) into ``storage`` so that splitting a 2.5-million-line file costs no
/// allocation per line; only entries that reach the journal are copied out.
package struct LineBatch: Sendable {
    /// One line: its bytes in ``LineBatch/storage`` (without the newline or a trailing CR) and its
    /// 1-based number in the source.
    package struct Line: Sendable {
        package var range: Range<Int>
        package var number: Int
        /// Set for a line longer than the limit: ``range`` then holds only its first bytes.
        package var oversize: Oversize?
    }

    /// What is kept of a line longer than the limit: its length and checksum (the bytes past the prefix
    /// are skipped while looking for the newline, never held).
    package struct Oversize: Sendable, Hashable {
        /// The whole line's length in bytes.
        package var length: Int
        /// CRC-32C of the whole line.
        package var checksum: UInt32

        /// Creates the record of an oversized line.
        package init(length: Int, checksum: UInt32) {
            self.length = length
            self.checksum = checksum
        }
    }

    /// How many leading bytes of an oversized line are kept for the rejects file.
    package static let oversizePrefix = 4_096

    package var storage: [UInt8] = []
    package var lines: [Line] = []
    /// Where the source stands once this batch is committed, for sources that keep a position.
    package var endPosition: SourcePosition?

    /// The bytes of line `i`.
    package func bytes(of line: Line) -> ArraySlice<UInt8> { storage[line.range] }

    /// Whether the batch holds no line.
    package var isEmpty: Bool { lines.isEmpty }
}

extension LineBatch {
    /// The lines of `bytes` (a request body), numbered from 1: split at LF, a trailing CR dropped, blank
    /// lines skipped as the file reader skips them, and a last line without a newline kept.
    package init(splitting bytes: [UInt8]) {
        storage.reserveCapacity(bytes.count)
        var start = 0
        var number = 1
        while start <= bytes.count {
            let newline = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            var end = newline
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            if bytes[start..<end].contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                let lower = storage.count
                storage.append(contentsOf: bytes[start..<end])
                lines.append(Line(range: lower..<storage.count, number: number))
            }
            number += 1
            start = newline + 1
        }
    }
}
