import LogfoldJournal
import Testing

@Suite("Persistence and reads")
struct JournalPersistenceTests {
    @Test("Records appended with fsync survive closing and reopening; appends continue at the next seq")
    func reopenPersists() throws {
        let directory = TemporaryDirectory()
        do {
            let journal = try Journal(directory: directory.path)
            #expect(try journal.head() == 0)
            _ = try journal.append(Fixture.batch(0..<30))
            _ = try journal.append(Fixture.batch(30..<60))
        }
        let journal = try Journal(directory: directory.path)
        #expect(try journal.head() == 60)
        #expect(try journal.records(from: 1, limit: 60).map(\.platformID) == (0..<60).map(Fixture.platformID))
        #expect(
            try journal.append(Fixture.batch(0..<60)).allSatisfy { if case .duplicate = $0 { true } else { false } })
        #expect(try journal.append(Fixture.batch(60..<61)) == [.appended(seq: 61)])
        try journal.sync()
    }

    @Test("records(from:limit:) returns the requested window from a middle seq and stops at the head")
    func recordsWindow() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(directory: directory.path, configuration: .init(durability: .nosync))
        _ = try journal.append(Fixture.batch(0..<100))

        let middle = try journal.records(from: 40, limit: 10)
        #expect(middle.map(\.seq) == Array(40...49))
        #expect(middle.map(\.entry) == (39..<49).map { Fixture.entry($0) })
        #expect(middle.map(\.compact) == (39..<49).map { Fixture.compact($0) })
        #expect(try journal.records(from: 95, limit: 10).map(\.seq) == Array(95...100))
        #expect(try journal.records(from: 101, limit: 10).isEmpty)
        #expect(try journal.records(from: 0, limit: 2).map(\.seq) == [1, 2])
        #expect(try journal.records(from: 5, limit: 0).isEmpty)
        #expect(try journal.record(at: 0) == nil)
        #expect(try journal.record(at: 101) == nil)
        #expect(try journal.record(at: 100)?.platformID == Fixture.platformID(99))
    }

    @Test("forEach honours through:, stops when the body returns false, and rethrows the body's own error")
    func forEachBounds() throws {
        struct Stop: Error {}
        let directory = TemporaryDirectory()
        let journal = try Journal(directory: directory.path, configuration: .init(durability: .nosync))
        _ = try journal.append(Fixture.batch(0..<20_000))

        var seen: [UInt64] = []
        try journal.forEach(from: 10, through: 15) {
            seen.append($0.seq); return true
        }
        #expect(seen == Array(10...15))

        seen = []
        try journal.forEach(from: 8_000) { view in
            seen.append(view.seq)
            return view.seq < 8_200
        }
        #expect(seen == Array(8_000...8_200))

        var count = 0
        try journal.forEach(from: 1) { _ in
            count += 1; return true
        }
        #expect(count == 20_000, "a scan spans several internal read transactions")

        #expect(throws: Stop.self) {
            try journal.forEach(from: 1) { view in
                if view.seq == 3 { throw Stop() }
                return true
            }
        }
        try journal.forEach(from: 20_001) { _ in
            Issue.record("nothing lies past the head"); return true
        }
    }

    @Test("seq(forPlatformID:) finds journaled ids and returns nil for unknown ones")
    func platformIDLookup() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(directory: directory.path, configuration: .init(durability: .nosync))
        _ = try journal.append(Fixture.batch(0..<25))
        for index in [0, 12, 24] {
            #expect(try journal.seq(forPlatformID: Fixture.platformID(index)) == UInt64(index + 1))
        }
        #expect(try journal.seq(forPlatformID: Fixture.platformID(25)) == nil)
    }

    @Test("statistics() reports head, count, record bytes, file size and map size")
    func statisticsFigures() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(
            directory: directory.path, configuration: .init(durability: .nosync, initialMapSize: 8 << 20))
        let empty = try journal.statistics()
        #expect(empty.head == 0 && empty.count == 0 && empty.recordBytes == 0)
        #expect(empty.mapSize == 8 << 20)

        _ = try journal.append(Fixture.batch(0..<10, entryCount: 100))
        _ = try journal.append([JournalAppend(platformID: 999, entry: [1, 2, 3], compact: [])])
        _ = try journal.append(Fixture.batch(0..<10, entryCount: 100))  // duplicates add nothing

        let statistics = try journal.statistics()
        #expect(statistics.head == 11)
        #expect(statistics.count == 11)
        #expect(statistics.recordBytes == UInt64(10 * (24 + 100 + 16) + (24 + 3)))
        #expect(statistics.fileBytes > 0)
        #expect(statistics.fileBytes <= UInt64(statistics.mapSize))
        #expect(statistics.mapSize == 8 << 20)
    }
}
