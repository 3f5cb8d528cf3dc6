import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldStore
import LogfoldTestSupport
import Testing

/// Shared emails and phones are settled by the fold: Klaviyo never gets one identifier on two profiles,
/// and the same journal gives the same answer however it is folded.
@Suite struct SharedIdentityTests {
    /// A seeded history of customers drawing their emails and phones from small pools (so they collide),
    /// changing them now and then, unsubscribing, and placing orders (entries without a customer snapshot,
    /// which settle the customer's identifiers all the same).
    static func history(seed: UInt64, customers: Int = 30, entries: Int = 600) throws -> [LogEntry] {
        var random = SplitMix(seed: seed)
        let emails = (0..<12).map { "home\($0)@example.com" }
        let phones = (0..<8).map { "828-555-01\(10 + $0)" }
        var current = (0..<customers).map { _ in (email: "", phone: "") }
        for c in current.indices {
            current[c] = (emails[Int(random.next() % 12)], phones[Int(random.next() % 8)])
        }
        var result: [LogEntry] = []
        for n in 0..<entries {
            let c = Int(random.next() % UInt64(customers))
            let at = Timestamp(unixSeconds: 1_600_000_000 + Int64(n) * 600, offsetMinutes: -240).rfc3339String
            if random.next() % 6 == 0 {
                let line =
                    #"{"id":\#(1_000 + n),"at":"\#(at)","type":"order.created","order":{"id":"o\#(n)","customer_id":"c\#(c)","status":"Open","created_at":"\#(at)","delivery_date":"2020-09-20","total":12.5,"currency":"USD","items":[]}}"#
                result.append(try EntryParser().parse(Array(line.utf8)))
                continue
            }
            switch random.next() % 10 {
            case 0: current[c].email = emails[Int(random.next() % 12)].uppercased()
            case 1: current[c].email = emails[Int(random.next() % 12)]
            case 2: current[c].phone = "+1 " + phones[Int(random.next() % 8)]
            default: break
            }
            let subscribed = random.next() % 8 != 0
            let type = subscribed ? "login" : "email.unsubscribed"
            let line =
                #"{"id":\#(1_000 + n),"at":"\#(at)","type":"\#(type)","customer":{"id":"c\#(c)","email":"\#(current[c].email)","phone":"\#(current[c].phone)","status":"Active","subscribed":\#(subscribed)}}"#
            result.append(try EntryParser().parse(Array(line.utf8)))
        }
        return result
    }

    @Test(
        "after every entry no two profiles logfold sent hold one email or phone, and every identity sent is owned",
        arguments: [1, 2, 3] as [UInt64])
    func identifiersNeverCollide(seed: UInt64) throws {
        var projection = Projection()
        var sharedSeen = 0
        for (offset, entry) in try Self.history(seed: seed).enumerated() {
            for message in projection.apply(entry, seq: UInt64(offset + 1)) {
                if let key = message.identity.email.flatMap(IdentifierKey.email) {
                    #expect(projection.identifierOwners[key] == message.customerID, "seq \(offset + 1): \(key)")
                }
                if let key = message.identity.phone.flatMap(IdentifierKey.phone) {
                    #expect(projection.identifierOwners[key] == message.customerID, "seq \(offset + 1): \(key)")
                }
            }
            var holders: [String: String] = [:]
            for (id, customer) in projection.customers {
                guard let profile = customer.lastProfile else { continue }
                let keys = [profile.email.flatMap(IdentifierKey.email), profile.phone.flatMap(IdentifierKey.phone)]
                for case let key? in keys {
                    #expect(
                        holders.updateValue(id, forKey: key) == nil, "\(key) sent on two profiles at seq \(offset + 1)")
                }
                if !customer.shared.isEmpty { sharedSeen += 1 }
            }
        }
        #expect(sharedSeen > 100, "the pools made customers share identifiers")
    }

    static func journal(_ entries: [LogEntry], at path: String) throws -> Journal {
        let journal = try Journal(directory: path, configuration: .init(durability: .nosync))
        _ = try journal.append(
            entries.map {
                JournalAppend(
                    platformID: $0.id, entry: Array("{\"id\":\($0.id)}".utf8), compact: CompactEntryCodec.encode($0))
            })
        return journal
    }

    @Test("a replay in batches of 1 and 13, from the store each time, equals one pass", arguments: [1, 13] as [Int])
    func warmStartsMatch(batchSize: Int) throws {
        let entries = try Self.history(seed: 9, entries: 300)
        let directory = try TemporaryDirectory()
        func project(_ name: String, batch: Int?) throws -> String {
            let journal = try Self.journal(entries, at: directory.file("\(name)-journal"))
            let store = try StateStore(path: directory.file("\(name).sqlite"))
            let head = try journal.head()
            guard let batch else {
                _ = try Projector(journal: journal, store: store).run()
                return try store.digest()
            }
            var seq: UInt64 = 0
            while seq < head {
                seq = try Projector(journal: journal, store: store, batchSize: batch)
                    .run(through: min(head, seq + UInt64(batch))).toSeq
            }
            #expect(try store.sharedIdentifierCount() > 0)
            return try store.digest()
        }
        #expect(try project("pieces", batch: batchSize) == project("whole", batch: nil))
    }

    @Test(
        "customers and the identifiers they own, evicted to the store and read back, fold as if they never left",
        arguments: [(1, 0, 0, 0), (3, 1, 2, 0), (13, 2, 5, 0), (3, 1, 2, 2), (13, 2, 5, 2)] as [(Int, Int, Int, Int)])
    func evictionIsInvisible(batchSize: Int, hotCustomers: Int, setAsideCustomers: Int, committerLag: Int) throws {
        let entries = try Self.history(seed: 11, entries: 900)
        let directory = try TemporaryDirectory()
        let journal = try Self.journal(entries, at: directory.file("journal"))
        func project(_ name: String, hot: Int, setAside: Int) throws -> (digest: String, evicted: Int) {
            let store = try StateStore(path: directory.file("\(name).sqlite"))
            // With ActiveCampaign too: its state (what each contact was told) leaves and comes back with them.
            try store.enableFromStart(Projector.activeCampaignName, at: 0)
            let projector = Projector(
                journal: journal, store: store, batchSize: batchSize, hotCustomers: hot, setAsideCustomers: setAside,
                activeCampaign: try Projector.enabledActiveCampaign(in: store, mapping: .defaults))
            // Held two batches behind, commits leave customers the fold touched uncommitted whenever it
            // evicts: those must stay (``Projector/committerLag``).
            projector.committerLag = committerLag
            #expect(try projector.run().entries == entries.count)
            #expect(try store.sharedIdentifierCount() > 0)
            return (try store.digest(), projector.evictedCustomerCount)
        }
        let evicting = try project("evicting", hot: hotCustomers, setAside: setAsideCustomers)
        let whole = try project("whole", hot: .max, setAside: .max)
        #expect(evicting.evicted > 30, "customers left memory and came back")
        #expect(whole.evicted == 0)
        #expect(evicting.digest == whole.digest)
    }
}
