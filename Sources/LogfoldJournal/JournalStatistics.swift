/// Size and progress figures for one journal, read in one transaction so they agree with each other.
///
/// All figures are O(1) to read (the byte total is a counter kept in the "meta" database), so status
/// commands and metrics can poll them freely.
package struct JournalStatistics: Sendable, Hashable {
    /// The last sequence number (0 when empty).
    package var head: UInt64
    /// How many records the journal holds (equals `head`, since sequence numbers are dense).
    package var count: UInt64
    /// The current size of `data.mdb` on disk, in bytes.
    package var fileBytes: UInt64
    /// The current memory-map size, in bytes (the most the file can grow to before the map grows).
    package var mapSize: Int
    /// The sum of every record value's encoded size, in bytes (header, entry, compact, checksum).
    package var recordBytes: UInt64

    /// Creates a statistics value.
    package init(head: UInt64, count: UInt64, fileBytes: UInt64, mapSize: Int, recordBytes: UInt64) {
        self.head = head
        self.count = count
        self.fileBytes = fileBytes
        self.mapSize = mapSize
        self.recordBytes = recordBytes
    }
}
