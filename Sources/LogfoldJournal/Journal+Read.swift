extension Journal {
    /// How many records `forEach` visits per read transaction.
    ///
    /// Short transactions let LMDB reuse freed pages and let a map resize slip in between chunks; since
    /// records never change once written, the chunks together still show one consistent prefix.
    static let scanChunkSize = 8192

    /// The record at `seq`, copied out and checksum-verified; `nil` when `seq` is 0 or past the head.
    ///
    /// A damaged record throws ``JournalError/Code/corruptRecord`` naming `seq`.
    package func record(at seq: UInt64) throws(JournalError) -> JournalRecord? {
        guard seq > 0 else { return nil }
        return try environment.withRead { txn throws(JournalError) -> JournalRecord? in
            try BigEndianKey.with(seq) { key throws(JournalError) -> JournalRecord? in
                guard let value = try txn.get(environment.records, key: key) else { return nil }
                return try RecordFormat.decode(seq: seq, value: value, path: directory).copy()
            }
        }
    }

    /// Copies records `seq ..< seq + limit` (fewer at the head) out of one short read transaction,
    /// verifying each checksum; a bad one throws ``JournalError/Code/corruptRecord`` with its seq.
    ///
    /// `seq` 0 is treated as 1.
    package func records(from seq: UInt64, limit: Int) throws(JournalError) -> [JournalRecord] {
        guard limit > 0 else { return [] }
        return try environment.withRead { txn throws(JournalError) -> [JournalRecord] in
            try txn.withCursor(environment.records) { cursor throws(JournalError) -> [JournalRecord] in
                var expected = max(seq, 1)
                var result: [JournalRecord] = []
                var position = try BigEndianKey.with(expected) { key throws(JournalError) in
                    try cursor.move(to: .atOrAfter(key))
                }
                while let found = position {
                    result.append(try decodeRecord(expected: expected, key: found.key, value: found.value).copy())
                    guard result.count < limit else { break }
                    expected += 1
                    position = try cursor.move(to: .next)
                }
                return result
            }
        }
    }

    /// Visits records from `seq` through `last` (default: the head when the call starts) without
    /// copying them, verifying each checksum first; `body` returns `false` to stop early.
    ///
    /// The view's buffers point into the map and are valid only during its callback. Errors thrown by
    /// `body` end the scan and are rethrown unchanged; journal failures throw ``JournalError`` (a bad
    /// record as ``JournalError/Code/corruptRecord`` after its predecessors were visited). `body` may read
    /// the journal, but must not `append` to it: the map cannot grow while this thread is inside a read.
    package func forEach(
        from seq: UInt64,
        through last: UInt64? = nil,
        _ body: (JournalRecordView) throws -> Bool
    ) throws {
        var next = max(seq, 1)
        var upper = last ?? .max
        var isFirstChunk = true
        var stopped = false
        var failure: (any Error)?
        while !stopped, next <= upper {
            try environment.withRead { txn throws(JournalError) in
                if isFirstChunk {
                    upper = min(upper, try lastSeq(in: txn))
                    isFirstChunk = false
                }
                guard next <= upper else { return }
                try txn.withCursor(environment.records) { cursor throws(JournalError) in
                    var position = try BigEndianKey.with(next) { key throws(JournalError) in
                        try cursor.move(to: .atOrAfter(key))
                    }
                    var visited = 0
                    while true {
                        guard let found = position else { throw missingRecord(next, foundNext: nil) }
                        let view = try decodeRecord(expected: next, key: found.key, value: found.value)
                        let keepGoing: Bool
                        do {
                            keepGoing = try body(view)
                        } catch {
                            failure = error
                            stopped = true
                            return
                        }
                        next += 1
                        visited += 1
                        guard keepGoing else {
                            stopped = true
                            return
                        }
                        guard visited < Self.scanChunkSize, next <= upper else { return }
                        position = try cursor.move(to: .next)
                    }
                }
            }
        }
        if let failure { throw failure }
    }
}
