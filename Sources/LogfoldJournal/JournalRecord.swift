/// One journaled record, copied out of the map so it may outlive the read transaction.
///
/// Use ``Journal/forEach(from:through:_:)`` and ``JournalRecordView`` instead when scanning many
/// records and copies would dominate.
package struct JournalRecord: Sendable, Hashable {
    /// The record's position in the journal (dense, from 1).
    package var seq: UInt64
    /// The platform id the record was appended with.
    package var platformID: UInt64
    /// The original entry bytes, exactly as appended.
    package var entry: [UInt8]
    /// The caller's compact form, exactly as appended.
    package var compact: [UInt8]

    /// Creates a record value (mostly useful to tests comparing against what was appended).
    package init(seq: UInt64, platformID: UInt64, entry: [UInt8], compact: [UInt8]) {
        self.seq = seq
        self.platformID = platformID
        self.entry = entry
        self.compact = compact
    }
}
