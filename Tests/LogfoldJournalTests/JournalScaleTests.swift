import LogfoldJournal
import Testing

@Suite("Scale")
struct JournalScaleTests {
    static let total = 1_000_000
    static let batchSize = 1_000
    static let entryCount = 84  // 84 + 16 + 24 bytes of framing: 124-byte records

    /// Increasing platform ids with gaps, like the platform's own; keeps the id index append-like.
    static func platformID(_ index: Int) -> UInt64 { 5_000_000_000 + UInt64(index) * 3 }

    @Test("1,000,000 appends in batches of 1,000 scan back dense, in order, byte-identical and checksum-valid")
    func millionAppends() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(directory: directory.path, configuration: .init(durability: .nosync))

        var start = 0
        while start < Self.total {
            let batch = (start..<(start + Self.batchSize)).map { index in
                JournalAppend(
                    platformID: Self.platformID(index),
                    entry: Fixture.entry(index, count: Self.entryCount),
                    compact: Fixture.compact(index)
                )
            }
            let outcomes = try journal.append(batch)
            // Spot-check outcomes (checking all million would dominate the debug run time).
            #expect(outcomes.count == Self.batchSize)
            #expect(outcomes.first == .appended(seq: UInt64(start + 1)))
            #expect(outcomes.last == .appended(seq: UInt64(start + Self.batchSize)))
            start += Self.batchSize
        }
        #expect(try journal.head() == UInt64(Self.total))

        var expected: UInt64 = 1
        var mismatches: [UInt64] = []
        try journal.forEach(from: 1) { view in
            let index = Int(expected - 1)
            if view.seq != expected || view.platformID != Self.platformID(index)
                || !Fixture.equal(view.entry, Fixture.entry(index, count: Self.entryCount))
                || !Fixture.equal(view.compact, Fixture.compact(index))
            {
                mismatches.append(view.seq)
            }
            expected += 1
            return mismatches.count < 10
        }
        #expect(mismatches.isEmpty)
        #expect(expected == UInt64(Self.total) + 1)

        let statistics = try journal.statistics()
        #expect(statistics.count == UInt64(Self.total))
        #expect(statistics.recordBytes == UInt64(Self.total * (Self.entryCount + 16 + 24)))
        #expect(try journal.seq(forPlatformID: Self.platformID(777_777)) == 777_778)
        #expect(try journal.seq(forPlatformID: Self.platformID(Self.total)) == nil)
    }
}
