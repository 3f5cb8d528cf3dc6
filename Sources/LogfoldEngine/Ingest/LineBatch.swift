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

    /// The bytes of line `i`.
    package func bytes(of line: Line) -> ArraySlice<UInt8> { storage[line.range] }

    /// Whether the batch holds no line.
    package var isEmpty: Bool { lines.isEmpty }
}
