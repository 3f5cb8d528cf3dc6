/// One entry to journal: its platform id, its original bytes, and the caller's compact form of it.
///
/// The journal treats both byte arrays as opaque: it never parses them, it only stores them, checksums
/// them and compares compact forms to tell a harmless re-ingest from a conflicting one.
package struct JournalAppend: Sendable, Hashable {
    /// The platform's id for the entry; the journal keeps at most one record per id.
    package var platformID: UInt64
    /// The exact bytes of the input line (without its newline), kept byte for byte for audits.
    package var entry: [UInt8]
    /// The validated entry in the caller's binary form, so replay never parses the original again.
    package var compact: [UInt8]

    /// Creates an append request.
    package init(platformID: UInt64, entry: [UInt8], compact: [UInt8]) {
        self.platformID = platformID
        self.entry = entry
        self.compact = compact
    }
}
