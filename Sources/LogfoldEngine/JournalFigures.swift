package import LogfoldDomain
package import LogfoldJournal

/// What `logfold journal stat` reports: head, count, bytes, and the first and last entry times.
package struct JournalFigures: Sendable {
    package var head: UInt64
    package var count: UInt64
    /// Bytes of stored records (original entries, compact forms and headers).
    package var recordBytes: UInt64
    /// Size of the LMDB data file on disk.
    package var fileBytes: UInt64
    package var mapSize: Int
    package var firstAt: Timestamp?
    package var lastAt: Timestamp?

    /// Reads the figures; the first and last `at` come from the records' compact forms.
    package static func read(from journal: Journal) throws(EngineError) -> JournalFigures {
        do {
            let statistics = try journal.statistics()
            var figures = JournalFigures(
                head: statistics.head, count: statistics.count, recordBytes: statistics.recordBytes,
                fileBytes: statistics.fileBytes, mapSize: statistics.mapSize)
            if statistics.head > 0 {
                figures.firstAt = try journal.record(at: 1).map { try decode($0).at }
                figures.lastAt = try journal.record(at: statistics.head).map { try decode($0).at }
            }
            return figures
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(
                .journal, "\(error)", remedy: "run `logfold journal verify` to find damaged records", cause: error)
        }
    }

    /// Decodes a record's compact form, naming the seq when it is damaged.
    ///
    /// A record written by an earlier build (compact form version 1) is parsed again from its original
    /// line, which keeps what that version's form dropped (members sent as `null`, item brands).
    package static func decode(_ record: JournalRecord) throws(EngineError) -> LogEntry {
        let current = record.compact.withUnsafeBytes { CompactEntryCodec.isCurrent($0) }
        if !current, let entry = reparse(record.entry) { return entry }
        do {
            return try CompactEntryCodec.decode(record.compact)
        } catch {
            throw EngineError(
                .corrupt, "journal seq \(record.seq): \(error.description)",
                remedy: "this build cannot read the record; upgrade logfold or restore the journal from backup")
        }
    }

    /// Decodes a record's compact form in place, with a ``SnapshotMemo``; names the seq when damaged.
    package static func decode(
        _ record: JournalRecordView, memo: inout SnapshotMemo
    ) throws(EngineError) -> LogEntry {
        if !CompactEntryCodec.isCurrent(record.compact), let entry = reparse(record.entry) { return entry }
        do {
            return try CompactEntryCodec.decode(record.compact, memo: &memo)
        } catch {
            throw EngineError(
                .corrupt, "journal seq \(record.seq): \(error.description)",
                remedy: "this build cannot read the record; upgrade logfold or restore the journal from backup")
        }
    }

    /// The entry parsed again from its original line; `nil` when this build refuses the line (the
    /// compact form, accepted when it was journaled, is then decoded as it is).
    private static func reparse(_ line: some Collection<UInt8>) -> LogEntry? {
        let bytes = Array(line)
        return try? EntryParser(maximumLineLength: max(bytes.count, 1)).parse(bytes)
    }

    /// `key value` lines for people.
    package var text: String {
        """
        head        \(head)
        count       \(count)
        bytes       \(recordBytes) (records), \(fileBytes) (data file), map \(mapSize)
        first_at    \(firstAt?.rfc3339String ?? "-")
        last_at     \(lastAt?.rfc3339String ?? "-")
        """
    }

    /// One JSON object for scripts.
    package var json: String {
        let first = firstAt.map { JSONText.quote($0.rfc3339String) } ?? "null"
        let last = lastAt.map { JSONText.quote($0.rfc3339String) } ?? "null"
        return "{\"head\":\(head),\"count\":\(count),\"record_bytes\":\(recordBytes),\"file_bytes\":\(fileBytes),"
            + "\"map_size\":\(mapSize),\"first_at\":\(first),\"last_at\":\(last)}"
    }
}
