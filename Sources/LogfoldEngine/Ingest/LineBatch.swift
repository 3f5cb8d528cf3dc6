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
    }

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
