import LogfoldDomain
import LogfoldEngine
import LogfoldGenerator
import LogfoldJournal
import LogfoldStore
import LogfoldTestSupport
import Testing

/// A projector batch ends at `batchSize` entries or at `batchBytes` of new outbox rows, whichever comes
/// first; where it ends never changes what the store holds.
@Suite(.offThePool) struct BatchBytesTests {
    /// A synthetic month of 30 customers, journaled once and shared by the arguments below.
    static let lines = SyntheticLog.lines(GeneratorConfiguration(seed: 11, customers: 30, days: 30))

    @Test(
        "any byte budget gives the store an unbounded one gives, in more batches the smaller it is",
        arguments: [1, 2_000, 40_000] as [Int])
    func budgetChangesBatchesOnly(budget: Int) throws {
        let directory = try TemporaryDirectory()
        let journal = try Journal(directory: directory.file("journal"), configuration: .init(durability: .nosync))
        _ = try journal.append(
            try Self.lines.map { line in
                let entry = try EntryParser().parse(Array(line.utf8))
                return JournalAppend(
                    platformID: entry.id, entry: Array(line.utf8), compact: CompactEntryCodec.encode(entry))
            })
        func project(_ name: String, batchBytes: Int) throws -> (digest: String, batches: Int, entries: Int) {
            let store = try StateStore(path: directory.file("\(name).sqlite"))
            try store.enableFromStart(Projector.activeCampaignName, at: 0)
            let projector = Projector(
                journal: journal, store: store, batchSize: 10_000, batchBytes: batchBytes,
                activeCampaign: try Projector.enabledActiveCampaign(in: store, mapping: .defaults))
            var batches = 0
            let summary = try projector.run { _ in batches += 1 }
            return (try store.digest(), batches, summary.entries)
        }
        let whole = try project("whole", batchBytes: .max)
        let budgeted = try project("budgeted", batchBytes: budget)
        #expect(whole.batches == 1)
        #expect(budgeted.entries == whole.entries && whole.entries == Self.lines.count)
        #expect(budgeted.digest == whole.digest)
        // The month makes about 150 KB of rows: each budget cuts it into about that many pieces or more.
        #expect(budgeted.batches >= min(whole.entries / 4, 150_000 / budget), "\(budgeted.batches) batches")
        #expect(budget > 2_000 || budgeted.batches > 20)
    }
}
