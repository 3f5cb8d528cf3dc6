internal import LogfoldCrashPoints

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Journal {
    /// Appends a batch in one write transaction (group commit) and returns one outcome per entry, in
    /// order.
    ///
    /// New platform ids get the next sequence numbers; ids already journaled (including earlier in the
    /// same batch, since the transaction sees its own writes) come back as ``JournalAppendOutcome/duplicate(seq:)``
    /// or ``JournalAppendOutcome/conflict(seq:)`` and write nothing, so re-ingesting a file appends
    /// nothing. The batch is all-or-nothing: if anything throws, none of it is stored. A full map is
    /// grown and the batch retried transparently. With ``JournalDurability/fsync`` the batch is on disk
    /// when this returns.
    package func append(_ batch: [JournalAppend]) throws(JournalError) -> [JournalAppendOutcome] {
        try append(batch, position: nil)
    }

    /// Appends a batch as ``append(_:)`` does and, in the same transaction, records where its source
    /// stands (`position`), so the position never runs ahead of the entries nor lags behind them.
    ///
    /// `beforeCommit` hears the outcomes inside the transaction, before it commits (a source records
    /// its rejected lines there, durably, since it will not read them again); if it throws, nothing is
    /// stored. It runs again when a full map is grown and the batch retried. A batch with no entries
    /// still records its position (every line was rejected or blank).
    package func append(
        _ batch: [JournalAppend], position: JournalSourcePosition?,
        beforeCommit: ([JournalAppendOutcome]) throws(JournalError) -> Void = { _ in }
    ) throws(JournalError) -> [JournalAppendOutcome] {
        guard !batch.isEmpty || position != nil else { return [] }
        var sizes: [Int] = []
        sizes.reserveCapacity(batch.count)
        for (index, item) in batch.enumerated() {
            guard let size = RecordFormat.encodedSize(entryCount: item.entry.count, compactCount: item.compact.count)
            else {
                throw JournalError(
                    code: .invalidArgument,
                    message:
                        "Entry \(index) of the batch (platform id \(item.platformID)) is too large for the journal "
                        + "at \(directory): entry and compact form must each be under 4 GiB. Nothing was appended."
                )
            }
            sizes.append(size)
        }
        let outcomes = try environment.withWrite { txn throws(JournalError) -> [JournalAppendOutcome] in
            let outcomes = batch.isEmpty ? [] : try appendBatch(batch, sizes: sizes, in: txn)
            if let position {
                let key = Self.positionKey(position.source)
                try key.withBytes { key throws(JournalError) in
                    try position.value.withBytes { value throws(JournalError) in
                        try txn.put(environment.meta, key: key, value: value)
                    }
                }
            }
            try beforeCommit(outcomes)
            CrashPoint.journalAppendInside.reach()
            return outcomes
        }
        CrashPoint.journalAppendAfter.reach()
        return outcomes
    }

    /// The position last recorded for `source` with ``append(_:position:beforeCommit:)``, or `nil`.
    package func position(of source: String) throws(JournalError) -> [UInt8]? {
        let key = Self.positionKey(source)
        return try environment.withRead { txn throws(JournalError) -> [UInt8]? in
            try key.withBytes { key throws(JournalError) -> [UInt8]? in
                try txn.get(environment.meta, key: key).map { Array($0) }
            }
        }
    }

    /// Positions live in "meta" under this prefix and the source's name.
    static let positionPrefix = "position/"

    /// The "meta" key of `source`'s position: the prefix and the name, or, for a name too long for an LMDB
    /// key (511 bytes; a followed file's path can be), its first 300 bytes, its length and its CRC-32C.
    static func positionKey(_ source: String) -> [UInt8] {
        let name = Array(source.utf8)
        guard name.count > 400 else { return Array(positionPrefix.utf8) + name }
        let tag = "#\(name.count)-\(String(CRC32C.checksum(name), radix: 16))"
        return Array(positionPrefix.utf8) + name.prefix(300) + Array(tag.utf8)
    }

    /// The body of one write transaction; runs again from scratch if the map had to grow.
    private func appendBatch(
        _ batch: [JournalAppend],
        sizes: [Int],
        in txn: borrowing LMDBTransaction
    ) throws(JournalError) -> [JournalAppendOutcome] {
        var outcomes: [JournalAppendOutcome] = []
        outcomes.reserveCapacity(batch.count)
        var addedBytes: UInt64 = 0
        try txn.withCursor(environment.records) { cursor throws(JournalError) in
            var next = try lastSeq(cursor) + 1
            for (index, item) in batch.enumerated() {
                let outcome = try BigEndianKey.with(item.platformID) { idKey throws(JournalError) in
                    try BigEndianKey.with(next) { seqKey throws(JournalError) -> JournalAppendOutcome in
                        if let existing = try txn.insertIfAbsent(environment.ids, key: idKey, value: seqKey) {
                            return try classify(item, existingIndexValue: existing, in: txn)
                        }
                        try cursor.appendReserved(key: seqKey, size: sizes[index], seq: next) { buffer in
                            RecordFormat.encode(item, into: buffer)
                        }
                        return .appended(seq: next)
                    }
                }
                if case .appended = outcome {
                    next += 1
                    addedBytes += UInt64(sizes[index])
                }
                outcomes.append(outcome)
            }
        }
        if addedBytes > 0 {
            let total = try recordBytes(in: txn) + addedBytes
            let key = Array(LMDBEnvironment.recordBytesKey.utf8)
            try key.withBytes { key throws(JournalError) in
                try BigEndianKey.with(total) { value throws(JournalError) in
                    try txn.put(environment.meta, key: key, value: value)
                }
            }
        }
        return outcomes
    }

    /// Decides duplicate or conflict for an id that is already indexed, by comparing compact forms, or
    /// failing that the original bytes (a record journaled by a build whose compact form was an earlier
    /// version is the same entry when its line is byte for byte the same).
    ///
    /// The stored record is checksum-verified first: a damaged record is reported, not compared.
    private func classify(
        _ item: JournalAppend,
        existingIndexValue: UnsafeRawBufferPointer,
        in txn: borrowing LMDBTransaction
    ) throws(JournalError) -> JournalAppendOutcome {
        let seq = try indexedSeq(existingIndexValue, platformID: item.platformID)
        let value = try BigEndianKey.with(seq) { key throws(JournalError) in try txn.get(environment.records, key: key)
        }
        guard let value else {
            throw JournalError(
                code: .corruptRecord,
                message:
                    "Platform id \(item.platformID) is indexed at seq \(seq) in the journal at \(directory), but that "
                    + "record is missing. Restore the journal from a backup or re-ingest.",
                seq: seq
            )
        }
        let stored = try RecordFormat.decode(seq: seq, value: value, path: directory)
        guard stored.platformID == item.platformID else {
            throw JournalError(
                code: .corruptRecord,
                message:
                    "Platform id \(item.platformID) is indexed at seq \(seq) in the journal at \(directory), but that "
                    + "record holds platform id \(stored.platformID). Restore the journal from a backup or re-ingest.",
                seq: seq
            )
        }
        func same(_ bytes: [UInt8], _ storedBytes: UnsafeRawBufferPointer) -> Bool {
            bytes.withUnsafeBytes { bytes in
                guard bytes.count == storedBytes.count else { return false }
                guard let lhs = bytes.baseAddress, let rhs = storedBytes.baseAddress else { return true }
                return memcmp(lhs, rhs, bytes.count) == 0
            }
        }
        let identical = same(item.compact, stored.compact) || same(item.entry, stored.entry)
        return identical ? .duplicate(seq: seq) : .conflict(seq: seq)
    }
}
