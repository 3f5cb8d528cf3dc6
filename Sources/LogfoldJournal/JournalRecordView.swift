/// A zero-copy, checksum-verified view of one record inside a read transaction.
///
/// `entry` and `compact` point straight into LMDB's memory map, which is what makes replay cheap. They
/// are valid **only during the `forEach` callback that received the view**: do not store the view or
/// its buffers, and copy what must outlive the callback (``copy()`` does it for the whole record).
package struct JournalRecordView {
    /// The record's position in the journal.
    package let seq: UInt64
    /// The platform id the record was appended with.
    package let platformID: UInt64
    /// The original entry bytes; valid only inside the callback.
    package let entry: UnsafeRawBufferPointer
    /// The caller's compact form; valid only inside the callback.
    package let compact: UnsafeRawBufferPointer

    init(seq: UInt64, platformID: UInt64, entry: UnsafeRawBufferPointer, compact: UnsafeRawBufferPointer) {
        self.seq = seq
        self.platformID = platformID
        self.entry = entry
        self.compact = compact
    }

    /// Copies the record out of the map so it can outlive the callback.
    package func copy() -> JournalRecord {
        JournalRecord(seq: seq, platformID: platformID, entry: [UInt8](entry), compact: [UInt8](compact))
    }
}
