import LogfoldJournal
import Testing

@Suite("Appending and idempotency")
struct JournalAppendTests {
    @Test("Re-appending the same batch appends nothing and reports every entry as a duplicate of its original seq")
    func reappendIsIdempotent() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(directory: directory.path, configuration: .init(durability: .nosync))
        let batch = Fixture.batch(0..<50)

        let first = try journal.append(batch)
        #expect(first == (1...50).map { .appended(seq: UInt64($0)) })
        let bytesAfterFirst = try journal.statistics().recordBytes

        let second = try journal.append(batch)
        #expect(second == (1...50).map { .duplicate(seq: UInt64($0)) })
        #expect(try journal.head() == 50)
        #expect(try journal.statistics().count == 50)
        #expect(try journal.statistics().recordBytes == bytesAfterFirst)

        // Reversed order still maps each id to its original seq.
        let reversed = try journal.append(batch.reversed())
        #expect(reversed == (1...50).reversed().map { .duplicate(seq: UInt64($0)) })
    }

    @Test("The same platform id with a different compact form is a conflict and leaves the stored record untouched")
    func differentCompactIsConflict() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(directory: directory.path, configuration: .init(durability: .nosync))
        let original = JournalAppend(platformID: 7, entry: Array("{\"id\":7,\"v\":1}".utf8), compact: [1, 2, 3])
        #expect(try journal.append([original]) == [.appended(seq: 1)])

        var changed = original
        changed.entry = Array("{\"id\":7,\"v\":2}".utf8)
        changed.compact = [1, 2, 4]
        #expect(try journal.append([changed]) == [.conflict(seq: 1)])

        // The same line with another compact form (journaled by a build whose form was an earlier version)
        // is the same entry: a duplicate.
        var olderForm = original
        olderForm.compact = [2, 2, 3]
        #expect(try journal.append([olderForm]) == [.duplicate(seq: 1)])

        // A different original line with the same compact form is the same entry: a duplicate.
        var reformatted = original
        reformatted.entry = Array("{ \"id\": 7, \"v\": 1 }".utf8)
        #expect(try journal.append([reformatted]) == [.duplicate(seq: 1)])

        #expect(try journal.head() == 1)
        let stored = try #require(try journal.record(at: 1))
        #expect(stored == JournalRecord(seq: 1, platformID: 7, entry: original.entry, compact: original.compact))
    }

    @Test("Duplicates and conflicts within one batch are detected against the batch's own earlier entries")
    func duplicatesWithinBatch() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(directory: directory.path, configuration: .init(durability: .nosync))
        let a = Fixture.append(1)
        let b = Fixture.append(2)
        var aChanged = a
        aChanged.compact.append(0xFF)
        aChanged.entry.append(0x20)
        let c = Fixture.append(3)

        let outcomes = try journal.append([a, b, a, aChanged, c, b])
        #expect(
            outcomes == [
                .appended(seq: 1), .appended(seq: 2), .duplicate(seq: 1), .conflict(seq: 1), .appended(seq: 3),
                .duplicate(seq: 2),
            ])
        #expect(try journal.head() == 3)
        #expect(try journal.seq(forPlatformID: c.platformID) == 3)
        #expect(try journal.record(at: 3)?.entry == c.entry)
    }

    @Test("Entries and compact forms are stored byte for byte, including empty and binary ones")
    func bytesRoundTrip() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(directory: directory.path, configuration: .init(durability: .nosync))
        let appends = [
            JournalAppend(platformID: 0, entry: [], compact: []),
            JournalAppend(platformID: .max, entry: Array(0...255), compact: [0, 0, 0]),
            JournalAppend(
                platformID: 42, entry: Array("{\"é\":\"\\n\"}".utf8), compact: [UInt8](repeating: 0xAB, count: 5000)),
        ]
        #expect(try journal.append(appends) == [.appended(seq: 1), .appended(seq: 2), .appended(seq: 3)])
        let records = try journal.records(from: 1, limit: 10)
        #expect(
            records
                == appends.enumerated().map {
                    JournalRecord(
                        seq: UInt64($0.offset + 1), platformID: $0.element.platformID, entry: $0.element.entry,
                        compact: $0.element.compact)
                })
        #expect(try journal.append([]) == [])
        #expect(try journal.head() == 3)
    }

    @Test("A second Journal on an open directory is refused; after the first is released it opens again")
    func secondOpenRefused() throws {
        let directory = TemporaryDirectory()
        do {
            let journal = try Journal(directory: directory.path)
            _ = try journal.append([Fixture.append(1)])
            let error = expectJournalError(.alreadyOpen) { try Journal(directory: directory.path) }
            #expect(error?.message.contains(journal.directory) == true)
        }
        let reopened = try Journal(directory: directory.path)
        #expect(try reopened.head() == 1)
    }

    @Test("a position commits with its batch (alone too), reads back by source, and a long source name fits a key")
    func positionsCommitWithTheBatch() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(directory: directory.path)
        let long = "follow /" + String(repeating: "very-long-directory-name/", count: 40) + "platform.jsonl"
        let other = "follow /" + String(repeating: "very-long-directory-name/", count: 40) + "platform.jsonl.1"
        _ = try journal.append([Fixture.append(0)], position: JournalSourcePosition(source: long, value: [1, 2, 3]))
        _ = try journal.append([], position: JournalSourcePosition(source: other, value: [4]))
        #expect(try journal.head() == 1)
        #expect(try journal.position(of: long) == [1, 2, 3])
        #expect(try journal.position(of: other) == [4])
        #expect(try journal.position(of: "follow /elsewhere") == nil)
        // A batch whose commit is refused inside its transaction leaves neither its entries nor its position.
        #expect(throws: JournalError.self) {
            _ = try journal.append([Fixture.append(1)], position: JournalSourcePosition(source: long, value: [9])) {
                _ throws(JournalError) in throw JournalError(code: .ioError, message: "refused")
            }
        }
        #expect(try journal.head() == 1)
        #expect(try journal.position(of: long) == [1, 2, 3])
    }
}
