extension Journal {
    /// Checks every record (checksum, layout, dense sequence, and that the id index points back at it)
    /// and reports all problems instead of stopping at the first; for `logfold journal verify`.
    ///
    /// Throws only when the scan itself cannot go on (for example LMDB finds its B-tree damaged).
    package func verify() throws(JournalError) -> JournalVerification {
        var problems: [JournalError] = []
        var checked: UInt64 = 0
        var next: UInt64 = 1
        var head: UInt64 = 0
        var isFirstChunk = true
        var done = false
        while !done {
            try environment.withRead { txn throws(JournalError) in
                if isFirstChunk {
                    head = try lastSeq(in: txn)
                    isFirstChunk = false
                    let indexed = try txn.entryCount(environment.ids)
                    let stored = try txn.entryCount(environment.records)
                    if indexed != stored { problems.append(indexCountMismatch(indexed: indexed, stored: stored)) }
                }
                try txn.withCursor(environment.records) { cursor throws(JournalError) in
                    var position = try BigEndianKey.with(next) { key throws(JournalError) in
                        try cursor.move(to: .atOrAfter(key))
                    }
                    var visited = 0
                    while let found = position {
                        guard let seq = BigEndianKey.decode(found.key) else {
                            problems.append(badKey(found.key.count))
                            position = try cursor.move(to: .next)
                            continue
                        }
                        guard seq <= head else { break }
                        if seq != next { problems.append(missingRecord(next, foundNext: seq)) }
                        do throws(JournalError) {
                            let view = try RecordFormat.decode(seq: seq, value: found.value, path: directory)
                            try checkIndex(view, in: txn)
                        } catch {
                            problems.append(error)
                        }
                        checked += 1
                        next = seq + 1
                        visited += 1
                        guard visited < Self.scanChunkSize else { return }
                        position = try cursor.move(to: .next)
                    }
                    done = true
                }
            }
        }
        if next <= head { problems.append(missingRecord(next, foundNext: nil)) }
        return JournalVerification(head: head, recordsChecked: checked, problems: problems)
    }

    private func indexCountMismatch(indexed: UInt64, stored: UInt64) -> JournalError {
        JournalError(
            code: .corruptDatabase,
            message: "The journal at \(directory) indexes \(indexed) platform ids but holds \(stored) records; every "
                + "record must have exactly one index entry. Restore the journal from a backup or re-ingest."
        )
    }

    /// Checks that the record's platform id maps back to its seq in the "ids" index.
    private func checkIndex(_ view: JournalRecordView, in txn: borrowing LMDBTransaction) throws(JournalError) {
        let indexed = try BigEndianKey.with(view.platformID) { key throws(JournalError) -> UInt64? in
            guard let value = try txn.get(environment.ids, key: key) else { return nil }
            return try indexedSeq(value, platformID: view.platformID)
        }
        guard indexed != view.seq else { return }
        let target = indexed.map { "seq \($0)" } ?? "nothing"
        throw JournalError(
            code: .corruptRecord,
            message:
                "Record seq \(view.seq) in the journal at \(directory) holds platform id \(view.platformID), but the "
                + "id index maps that id to \(target), so re-ingesting it would not be recognised. Restore the journal "
                + "from a backup or re-ingest.",
            seq: view.seq
        )
    }
}
