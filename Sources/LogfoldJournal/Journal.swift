internal import CLMDB

/// An append-only journal of opaque entries over LMDB: dense sequence numbers from 1, one record per
/// platform id, checksummed records, group commit, and readers that never block the writer.
///
/// The journal knows nothing about JSON or the domain; the ingest engine appends entries and the
/// projector replays them. One instance owns the directory in this process (a second `init` on the same
/// directory throws ``JournalError/Code/alreadyOpen``); it is `Sendable`, so share it. All methods are
/// synchronous and blocking: each runs its LMDB transaction to completion on the calling thread.
package final class Journal: Sendable {
    /// The canonical path of the journal directory (it holds `data.mdb` and `lock.mdb`).
    package let directory: String
    /// The configuration the journal was opened with.
    package let configuration: JournalConfiguration
    let environment: LMDBEnvironment

    /// Opens the journal in `directory`, creating the directory and an empty journal if missing.
    ///
    /// Throws ``JournalError/Code/versionMismatch`` when the directory holds another format, and
    /// ``JournalError/Code/alreadyOpen`` when this process already has it open.
    package init(directory: String, configuration: JournalConfiguration = .init()) throws(JournalError) {
        environment = try LMDBEnvironment.open(directory: directory, configuration: configuration)
        self.directory = environment.path
        self.configuration = configuration
    }

    /// The last sequence number, 0 when the journal is empty.
    package func head() throws(JournalError) -> UInt64 {
        try environment.withRead { txn throws(JournalError) in try lastSeq(in: txn) }
    }

    /// The sequence number the platform id was journaled under, or `nil` if it never was.
    package func seq(forPlatformID platformID: UInt64) throws(JournalError) -> UInt64? {
        try environment.withRead { txn throws(JournalError) -> UInt64? in
            try BigEndianKey.with(platformID) { key throws(JournalError) -> UInt64? in
                guard let value = try txn.get(environment.ids, key: key) else { return nil }
                return try indexedSeq(value, platformID: platformID)
            }
        }
    }

    /// Head, record count, sizes and the map size, read in one transaction (all O(1)).
    package func statistics() throws(JournalError) -> JournalStatistics {
        var statistics = try environment.withRead { txn throws(JournalError) -> JournalStatistics in
            JournalStatistics(
                head: try lastSeq(in: txn),
                count: try txn.entryCount(environment.records),
                fileBytes: 0,
                mapSize: 0,
                recordBytes: try recordBytes(in: txn)
            )
        }
        statistics.fileBytes = try environment.fileBytes()
        statistics.mapSize = try environment.mapSize()
        return statistics
    }

    /// Forces every committed batch to disk.
    ///
    /// Needed only with ``JournalDurability/nosync``, e.g. at a checkpoint or before reporting an ingest
    /// as durable.
    package func sync() throws(JournalError) {
        try environment.sync()
    }

    // MARK: - Shared helpers

    /// The last key of "records" in `txn`, 0 when empty.
    func lastSeq(in txn: borrowing LMDBTransaction) throws(JournalError) -> UInt64 {
        try txn.withCursor(environment.records) { cursor throws(JournalError) in try lastSeq(cursor) }
    }

    /// The last key of "records" under `cursor`, 0 when empty.
    func lastSeq(_ cursor: borrowing LMDBCursor) throws(JournalError) -> UInt64 {
        guard let last = try cursor.move(to: .last) else { return 0 }
        guard let seq = BigEndianKey.decode(last.key) else { throw badKey(last.key.count) }
        return seq
    }

    /// Decodes a record found at a cursor while expecting `expected`: a missing seq (a gap in the dense
    /// sequence) is reported as a corrupt record, like a bad checksum.
    func decodeRecord(
        expected: UInt64,
        key: UnsafeRawBufferPointer,
        value: UnsafeRawBufferPointer
    ) throws(JournalError) -> JournalRecordView {
        guard let seq = BigEndianKey.decode(key) else { throw badKey(key.count) }
        guard seq == expected else { throw missingRecord(expected, foundNext: seq) }
        return try RecordFormat.decode(seq: seq, value: value, path: directory)
    }

    /// Decodes an "ids" value (the seq a platform id maps to).
    func indexedSeq(_ value: UnsafeRawBufferPointer, platformID: UInt64) throws(JournalError) -> UInt64 {
        guard let seq = BigEndianKey.decode(value) else {
            throw JournalError(
                code: .corruptDatabase,
                message: "The id index of the journal at \(directory) holds a \(value.count)-byte value for platform "
                    + "id \(platformID) (expected 8). Restore the journal from a backup or re-ingest."
            )
        }
        return seq
    }

    /// The running total of record value bytes kept in "meta".
    func recordBytes(in txn: borrowing LMDBTransaction) throws(JournalError) -> UInt64 {
        let key = Array(LMDBEnvironment.recordBytesKey.utf8)
        return try key.withBytes { key throws(JournalError) -> UInt64 in
            guard let value = try txn.get(environment.meta, key: key) else { return 0 }
            return BigEndianKey.decode(value) ?? 0
        }
    }

    func missingRecord(_ seq: UInt64, foundNext next: UInt64?) -> JournalError {
        let after = next.map { "; the next record is seq \($0)" } ?? ""
        return JournalError(
            code: .corruptRecord,
            message: "Record seq \(seq) is missing from the journal at \(directory)\(after). Sequence numbers are "
                + "dense, so the file is damaged; restore it from a backup or re-ingest.",
            seq: seq
        )
    }

    func badKey(_ count: Int) -> JournalError {
        JournalError(
            code: .corruptDatabase,
            message: "The journal at \(directory) holds a \(count)-byte record key (expected 8). Restore the journal "
                + "from a backup or re-ingest."
        )
    }
}
