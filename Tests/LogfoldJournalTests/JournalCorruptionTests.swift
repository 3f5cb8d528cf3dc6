import LogfoldJournal
import Testing

@Suite("Corruption")
struct JournalCorruptionTests {
    /// Writes 100 records (the 42nd carrying a unique marker in its entry) and closes the journal.
    private func writeJournal(at path: String, marker: [UInt8]) throws {
        let journal = try Journal(directory: path)
        var batch = Fixture.batch(0..<100)
        batch[41].entry = Array("{\"note\":\"".utf8) + marker + Array("\"}".utf8)
        _ = try journal.append(batch)
    }

    @Test("A flipped byte in a record's entry is reported as .corruptRecord for that seq; neighbours still read")
    func flippedByteIsReported() throws {
        let directory = TemporaryDirectory()
        let marker = Array("MARKER-7f3a9c-flip-me".utf8)
        try writeJournal(at: directory.path, marker: marker)

        let offsets = try DataFile.offsets(of: marker, in: directory.dataFile)
        try #require(!offsets.isEmpty, "the marker must be in data.mdb")
        for offset in offsets {
            let target = offset + 10
            let original = try DataFile.byte(at: target, in: directory.dataFile)
            try DataFile.write([original ^ 0x04], at: target, in: directory.dataFile)
        }

        let journal = try Journal(directory: directory.path)
        let error = expectJournalError(.corruptRecord) { try journal.record(at: 42) }
        #expect(error?.seq == 42)
        #expect(error?.message.contains("seq 42") == true)
        #expect(error?.message.contains(journal.directory) == true)

        #expect(try journal.record(at: 41)?.entry == Fixture.entry(40))
        #expect(try journal.record(at: 43)?.entry == Fixture.entry(42))
        #expect(try journal.records(from: 43, limit: 100).count == 58)
        #expect(expectJournalError(.corruptRecord) { try journal.records(from: 40, limit: 5) }?.seq == 42)

        var visited: [UInt64] = []
        let scanError = expectJournalError(.corruptRecord) {
            try journal.forEach(from: 1) { view in
                visited.append(view.seq)
                return true
            }
        }
        #expect(scanError?.seq == 42)
        #expect(visited == Array(1...41), "records before the bad one are delivered, the bad one never is")

        let verification = try journal.verify()
        #expect(verification.corruptSeqs == [42])
        #expect(verification.recordsChecked == 100)
        #expect(!verification.isClean)

        // Re-ingesting the damaged record's id must not compare against damaged bytes.
        var reingest = Fixture.append(41)
        reingest.entry = Array("{\"note\":\"".utf8) + marker + Array("\"}".utf8)
        #expect(expectJournalError(.corruptRecord) { try journal.append([reingest]) }?.seq == 42)
        #expect(try journal.head() == 100)
    }

    @Test("A journal whose format marker names another format is refused with .versionMismatch and a clear message")
    func versionMismatchRefused() throws {
        let directory = TemporaryDirectory()
        do {
            let journal = try Journal(directory: directory.path)
            _ = try journal.append([Fixture.append(1)])
        }
        let offsets = try DataFile.offsets(of: Array("logfold-journal-1".utf8), in: directory.dataFile)
        try #require(!offsets.isEmpty)
        for offset in offsets {
            try DataFile.write(Array("logfold-journal-9".utf8), at: offset, in: directory.dataFile)
        }
        let error = expectJournalError(.versionMismatch) { try Journal(directory: directory.path) }
        #expect(error?.message.contains("\"logfold-journal-9\"") == true)
        #expect(error?.message.contains("\"logfold-journal-1\"") == true)
        #expect(error?.message.contains(directory.path.split(separator: "/").last.map(String.init) ?? "?") == true)
        // The refusal released the directory: a later open (which still refuses) is not "already open".
        expectJournalError(.versionMismatch) { try Journal(directory: directory.path) }
    }

    @Test("A directory whose data.mdb is not an LMDB file is refused with .versionMismatch")
    func foreignFileRefused() throws {
        let directory = TemporaryDirectory()
        do { _ = try Journal(directory: directory.path) }
        try DataFile.write([UInt8](repeating: 0xAB, count: 16 << 10), at: 0, in: directory.dataFile)
        let error = expectJournalError(.versionMismatch) { try Journal(directory: directory.path) }
        #expect(error?.lmdbCode != nil)
    }
}
