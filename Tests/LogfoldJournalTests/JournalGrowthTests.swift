import LogfoldJournal
import Testing

@Suite("Map growth")
struct JournalGrowthTests {
    @Test("A 64 KiB map grows by itself to hold far more records, and they survive a reopen intact")
    func growsWhenFull() throws {
        let directory = TemporaryDirectory()
        let initial = 64 << 10
        let total = 20_000
        var grownSize = 0
        do {
            let journal = try Journal(directory: directory.path, configuration: .init(initialMapSize: initial))
            #expect(try journal.statistics().mapSize == initial)
            // fsync durability on purpose: growth must work with the default flags too. Large batches keep
            // the fsync count (and the run time) low.
            for start in stride(from: 0, to: total, by: 2_500) {
                let outcomes = try journal.append(Fixture.batch(start..<(start + 2_500), entryCount: 200))
                #expect(outcomes.last == .appended(seq: UInt64(start + 2_500)))
            }
            let statistics = try journal.statistics()
            #expect(statistics.head == UInt64(total))
            #expect(statistics.mapSize > initial)
            #expect(statistics.fileBytes > UInt64(initial), "4.8 MB of records are on disk")
            #expect(statistics.fileBytes <= UInt64(statistics.mapSize))
            grownSize = statistics.mapSize
        }
        let reopened = try Journal(directory: directory.path, configuration: .init(initialMapSize: initial))
        #expect(try reopened.statistics().mapSize >= grownSize, "a reopen keeps the grown map size")
        var expected: UInt64 = 1
        try reopened.forEach(from: 1) { view in
            #expect(view.seq == expected)
            #expect(Fixture.matches(view, index: Int(expected - 1), entryCount: 200))
            expected += 1
            return true
        }
        #expect(expected == UInt64(total) + 1)
        #expect(try reopened.verify().isClean)
    }

    @Test("At maximumMapSize a batch that does not fit throws .mapFull and stores none of its entries")
    func stopsAtMaximum() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(
            directory: directory.path,
            configuration: .init(durability: .nosync, initialMapSize: 64 << 10, maximumMapSize: 512 << 10)
        )
        var stored = 0
        var failure: JournalError?
        while failure == nil && stored < 100_000 {
            do {
                _ = try journal.append(Fixture.batch(stored..<(stored + 100), entryCount: 200))
                stored += 100
            } catch {
                failure = error
            }
        }
        let error = try #require(failure)
        #expect(error.code == .mapFull)
        #expect(error.message.contains("maximumMapSize"))
        #expect(error.message.contains(journal.directory))
        #expect(stored > 500, "the map should have grown from 64 KiB before hitting the cap")
        #expect(try journal.head() == UInt64(stored))
        #expect(try journal.statistics().mapSize == 512 << 10)
        #expect(try journal.verify().isClean)
    }

    @Test("A journal that hit its cap, reopened with a larger one, takes the batch that did not fit")
    func resumesWithALargerCap() throws {
        let directory = TemporaryDirectory()
        var stored = 0
        do {
            let capped = try Journal(
                directory: directory.path,
                configuration: .init(durability: .nosync, initialMapSize: 64 << 10, maximumMapSize: 256 << 10))
            while (try? capped.append(Fixture.batch(stored..<(stored + 100), entryCount: 200))) != nil {
                stored += 100
            }
        }
        #expect(stored >= 100, "the capped journal took nothing before it was full")
        let journal = try Journal(
            directory: directory.path,
            configuration: .init(durability: .nosync, initialMapSize: 64 << 10, maximumMapSize: 4 << 20))
        let outcomes = try journal.append(Fixture.batch(stored..<(stored + 100), entryCount: 200))
        #expect(outcomes.allSatisfy { if case .appended = $0 { true } else { false } })
        #expect(try journal.head() == UInt64(stored + 100))
        #expect(try journal.verify().isClean)
    }

    @Test("An invalid configuration is refused with .invalidArgument before touching the disk")
    func invalidConfiguration() throws {
        let directory = TemporaryDirectory()
        expectJournalError(.invalidArgument) {
            try Journal(
                directory: directory.path, configuration: .init(initialMapSize: 1 << 20, maximumMapSize: 1 << 10))
        }
        expectJournalError(.invalidArgument) {
            try Journal(directory: directory.path, configuration: .init(maxReaders: 0))
        }
    }
}
