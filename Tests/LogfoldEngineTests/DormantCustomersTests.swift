import LogfoldDomain
import LogfoldEngine
import LogfoldGenerator
import LogfoldJournal
import LogfoldStore
import LogfoldTestSupport
import Testing

/// The projector and a destination's catch-up keep at most `hotCustomers` customers decoded and the rest
/// encoded, and the projector at most `setAsideCustomers` encoded (the others it can, in the store) and
/// at most `hotOrders` orders in memory and the rest in the store; how many they keep never changes what
/// the store holds.
@Suite(.offThePool) struct DormantCustomersTests {
    /// Two synthetic months of 60 customers, so that week changes meet customers set aside.
    static let lines = SyntheticLog.lines(GeneratorConfiguration(seed: 23, customers: 60, days: 60))

    static func journal(in directory: TemporaryDirectory) throws -> Journal {
        let journal = try Journal(directory: directory.file("journal"), configuration: .init(durability: .nosync))
        _ = try journal.append(
            try lines.map { line in
                let entry = try EntryParser().parse(Array(line.utf8))
                return JournalAppend(
                    platformID: entry.id, entry: Array(line.utf8), compact: CompactEntryCodec.encode(entry))
            })
        return journal
    }

    @Test(
        "the projector's store is the same whatever number of customers and orders it keeps in memory",
        arguments: [(0, 0, 0), (1, 3, 2), (7, 1, 40_000), (.max, 0, .max)] as [(Int, Int, Int)])
    func projectorStoreUnchanged(hotCustomers: Int, hotOrders: Int, setAsideCustomers: Int) throws {
        let directory = try TemporaryDirectory()
        let journal = try Self.journal(in: directory)
        func project(_ name: String, hotCustomers: Int, hotOrders: Int, setAside: Int) throws -> (String, Int) {
            let store = try StateStore(path: directory.file("\(name).sqlite"))
            try store.enableFromStart(Projector.activeCampaignName, at: 0)
            let projector = Projector(
                journal: journal, store: store, batchSize: 25, hotCustomers: hotCustomers, hotOrders: hotOrders,
                setAsideCustomers: setAside,
                activeCampaign: try Projector.enabledActiveCampaign(in: store, mapping: .defaults))
            let summary = try projector.run()
            #expect(summary.entries == Self.lines.count)
            return (try store.digest(), projector.evictedCustomerCount)
        }
        let bounded = try project(
            "bounded", hotCustomers: hotCustomers, hotOrders: hotOrders, setAside: setAsideCustomers)
        let unbounded = try project("unbounded", hotCustomers: .max, hotOrders: .max, setAside: .max)
        #expect(bounded.0 == unbounded.0)
        // With a small enough limit, some of the 60 customers leave memory between their entries.
        #expect((bounded.1 > 0) == (setAsideCustomers < 10), "\(bounded.1) customers evicted")
    }

    @Test(
        "watchers evicted to the store are read back by the week changes that reach them, a share at a time",
        arguments: [3, 1 << 16] as [Int])
    func watchersReadBack(messagesPerEntry: Int) throws {
        let directory = try TemporaryDirectory()
        let journal = try Self.journal(in: directory)
        func project(_ name: String, setAside: Int, batchSize: Int) throws -> (
            digest: String, reads: Int, drops: Int
        ) {
            let store = try StateStore(path: directory.file("\(name).sqlite"))
            try store.enableFromStart(Projector.activeCampaignName, at: 0)
            let projector = Projector(
                journal: journal, store: store, batchSize: batchSize, hotCustomers: 0, setAsideCustomers: setAside,
                messagesPerEntry: messagesPerEntry,
                activeCampaign: try Projector.enabledActiveCampaign(in: store, mapping: .defaults))
            _ = try projector.run()
            return (try store.digest(), projector.weekChangeReads, projector.weekChangeDrops)
        }
        let evicting = try project("evicting", setAside: 0, batchSize: 5)
        let holding = try project("holding", setAside: .max, batchSize: 10_000)
        #expect(evicting.digest == holding.digest)
        // Nearly every synthetic customer orders every week: week changes met watchers in the store.
        #expect(evicting.reads > 100, "\(evicting.reads) customers read back by week changes")
        // Some came out as the store holds them and left again at once; the others changed.
        #expect(evicting.drops > 0 && evicting.drops < evicting.reads, "\(evicting.drops) of \(evicting.reads) dropped")
        #expect(holding.reads == 0)
    }

    @Test("a destination's catch-up hands over the same state whatever number of customers it keeps decoded")
    func catchUpUnchanged() throws {
        let directory = try TemporaryDirectory()
        let journal = try Self.journal(in: directory)
        func catchUp(_ name: String, hotCustomers: Int) throws -> String {
            let store = try StateStore(path: directory.file("\(name).sqlite"))
            _ = try Projector(journal: journal, store: store, hotCustomers: hotCustomers).run()
            let summary = try DestinationCatchUp(
                journal: journal, store: store, batchSize: 25, hotCustomers: hotCustomers
            )
            .run(now: 0)
            #expect(summary.handedOverAt == UInt64(Self.lines.count))
            return try store.digest()
        }
        #expect(try catchUp("bounded", hotCustomers: 0) == catchUp("unbounded", hotCustomers: .max))
    }
}
