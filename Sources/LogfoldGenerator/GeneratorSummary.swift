/// What a generation run wrote: how many entries and bytes, and how many of each type.
package struct GeneratorSummary: Sendable {
    /// Lines written (one entry each).
    package var entries: Int
    /// Bytes written, newlines included.
    package var bytes: Int
    /// Entries per type, sorted by type name; types that did not occur are absent.
    package var countsByType: [(String, Int)]

    /// The mean line length in bytes (newline included), 0 for an empty run.
    package var meanBytesPerEntry: Double {
        entries == 0 ? 0 : Double(bytes) / Double(entries)
    }

    /// How many entries of `type` were written.
    package func count(of type: String) -> Int {
        countsByType.first { $0.0 == type }?.1 ?? 0
    }
}
