import LogfoldDomain
import LogfoldGenerator
import Testing

/// Properties of the fold over realistic generated histories (several seeds).
@Suite struct ProjectionPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3]

    static func entries(seed: UInt64) throws -> [LogEntry] {
        try SyntheticLog.lines(GeneratorConfiguration(seed: seed, customers: 150, days: 60, includeUnknownTypes: true))
            .map { try EntryParser().parse(Array($0.utf8)) }
    }

    static func fold(_ entries: some Sequence<(offset: Int, element: LogEntry)>, into projection: inout Projection)
        -> [OutboundMessage]
    {
        var messages: [OutboundMessage] = []
        for (offset, entry) in entries { messages += projection.apply(entry, seq: UInt64(offset + 1)) }
        return messages
    }

    @Test("no message's dedupe key ever appears twice", arguments: seeds)
    func keysUnique(seed: UInt64) throws {
        var projection = Projection()
        let messages = Self.fold(try Self.entries(seed: seed).enumerated(), into: &projection)
        #expect(messages.count > 1_000)
        #expect(Set(messages.map(\.key)).count == messages.count)
        #expect(Set(messages.map(\.ordinal)).count == messages.count)
        #expect(messages.map(\.ordinal) == messages.map(\.ordinal).sorted(), "messages come out in send order")
    }

    @Test("folding the same journal twice gives identical messages and state", arguments: seeds)
    func deterministic(seed: UInt64) throws {
        let entries = try Self.entries(seed: seed)
        var a = Projection()
        var b = Projection()
        #expect(Self.fold(entries.enumerated(), into: &a) == Self.fold(entries.enumerated(), into: &b))
        #expect(a.customers == b.customers)
        #expect(a.orders == b.orders)
    }

    @Test("stopping anywhere and resuming from the encoded state gives the uninterrupted messages", arguments: seeds)
    func resumeFromEncodedState(seed: UInt64) throws {
        let entries = try Self.entries(seed: seed)
        var whole = Projection()
        let expected = Self.fold(entries.enumerated(), into: &whole)
        var random = SeededRandom(seed: seed)
        for _ in 0..<3 {
            let cut = Int(random.next() % UInt64(entries.count))
            var first = Projection()
            var messages = Self.fold(entries.enumerated().prefix(cut), into: &first)
            var resumed = Projection()
            for customer in first.customers.values {
                resumed.restore(customer: try ProjectionCodec.decodeCustomer(ProjectionCodec.encode(customer)))
            }
            for order in first.orders.values {
                resumed.restore(order: try ProjectionCodec.decodeOrder(ProjectionCodec.encode(order)))
            }
            // What the store keeps beside the states: the journal clock and the identifier owners.
            resumed.restore(clock: first.clock)
            for (key, owner) in first.identifierOwners { resumed.restore(owner: owner, of: key) }
            messages += Self.fold(entries.enumerated().dropFirst(cut), into: &resumed)
            #expect(messages == expected, "cut at \(cut)")
        }
    }

    @Test(
        "setting customers aside between entries changes no message and no state, and an entry wakes at most one",
        arguments: seeds)
    func settingAsideIsInvisible(seed: UInt64) throws {
        let entries = try Self.entries(seed: seed)
        var whole = Projection()
        whole.activeCampaign = ActiveCampaignMapping()
        var aside = whole
        var expected: (klaviyo: [OutboundMessage], activeCampaign: [ActiveCampaignMessage]) = ([], [])
        var folded: (klaviyo: [OutboundMessage], activeCampaign: [ActiveCampaignMessage]) = ([], [])
        var random = SeededRandom(seed: seed)
        var setAside = 0
        var weekChangesMet = 0
        for (offset, entry) in entries.enumerated() {
            let seq = UInt64(offset + 1)
            expected.klaviyo += whole.apply(entry, seq: seq)
            expected.activeCampaign += whole.takeActiveCampaignMessages()
            let hotBefore = aside.hotCustomerCount
            let dormantBefore = aside.dormantCustomerCount
            let week = aside.clock.week
            folded.klaviyo += aside.apply(entry, seq: seq)
            folded.activeCampaign += aside.takeActiveCampaignMessages()
            // A week change updates the watchers set aside without keeping them decoded.
            #expect(aside.hotCustomerCount <= hotBefore + 1, "seq \(seq)")
            if aside.clock.week != week, dormantBefore > 0 { weekChangesMet += 1 }
            // Mostly everyone, sometimes a few kept: week changes meet customers both set aside and not.
            setAside += aside.setAsideCustomers(keepingAtMost: Int(random.next() % 8)).count
        }
        #expect(folded.klaviyo == expected.klaviyo)
        #expect(folded.activeCampaign == expected.activeCampaign)
        #expect(setAside > 1_000 && weekChangesMet > 4, "\(setAside) set aside, \(weekChangesMet) week changes")
        #expect(aside.hotCustomerCount + aside.dormantCustomerCount == whole.customers.count)
        #expect(whole.customers.keys.allSatisfy { aside.customer($0) == whole.customers[$0] })
        // Reading a customer in place gives the same state, decoded or set aside, and leaves it where it was.
        var read = (hot: 0, setAside: 0)
        for id in whole.customers.keys.sorted() {
            let wasHot = aside.customers[id] != nil
            if wasHot { read.hot += 1 } else { read.setAside += 1 }
            #expect(aside.withCustomer(id) { $0 } == whole.customers[id], "\(id)")
            #expect(aside.customer(id) == whole.customers[id] && (aside.customers[id] != nil) == wasHot)
        }
        #expect(aside.withCustomer("no such customer") { $0 } == nil)
        #expect(read.hot > 0 && read.setAside > 0, "\(read)")
    }

    @Test("every order event follows the Placed Order of its order", arguments: seeds)
    func orderEventsAfterPlaced(seed: UInt64) throws {
        var projection = Projection()
        let messages = Self.fold(try Self.entries(seed: seed).enumerated(), into: &projection)
        var placed = Set<String>()
        let orderMetrics: Set<String> = [
            "Cancelled Order", "Fulfilled Order", "Refunded Order", "Chargeback Order", "Shipped Order",
            "Delivered Order",
        ]
        var transitions = 0
        for m in messages where m.kind == .event {
            if m.metric == "Placed Order", let id = m.uniqueID { placed.insert(id) }
            if let metric = m.metric, orderMetrics.contains(metric) {
                transitions += 1
                #expect(placed.contains(m.uniqueID ?? ""), "\(metric) \(m.uniqueID ?? "") before its Placed Order")
            }
        }
        #expect(transitions > 50)
    }

    /// The most capacity the allocator may give an array of exactly `count` bytes.
    ///
    /// What a fresh one gets, plus glibc's smallest chunk (32 bytes): malloc hands out a free chunk whole
    /// when what would be left of it is smaller than that. The writer's buffer (768 bytes, or doubled) is
    /// well past it.
    static func fittedCapacity(_ count: Int) -> Int { [UInt8](repeating: 0, count: count).capacity + 31 }

    @Test("message bodies and all folded state survive their binary encoding", arguments: seeds)
    func codecRoundTrip(seed: UInt64) throws {
        var projection = Projection()
        let messages = Self.fold(try Self.entries(seed: seed).enumerated(), into: &projection)
        for customer in projection.customers.values {
            let blob = ProjectionCodec.encode(customer)
            #expect(try ProjectionCodec.decodeCustomer(blob) == customer)
            // Fitted: a customer set aside keeps this array, not the writer's doubled buffer.
            #expect(blob.capacity <= Self.fittedCapacity(blob.count), "\(blob.count) bytes in \(blob.capacity)")
        }
        for order in projection.orders.values {
            let blob = ProjectionCodec.encode(order)
            #expect(try ProjectionCodec.decodeOrder(blob) == order)
            #expect(blob.capacity <= Self.fittedCapacity(blob.count), "\(blob.count) bytes in \(blob.capacity)")
        }
        for m in messages.prefix(2_000) {
            let body = try ProjectionCodec.decodeBody(ProjectionCodec.body(of: m))
            #expect(body.identity == m.identity && body.properties == m.properties.value && body.currency == m.currency)
        }
        #expect(projection.unknownTypes.isEmpty == false, "the generator's unknown types are counted")
    }

    @Test(
        "a state's lastSeq moves exactly on the entries that changed it, and the last sent profile is the one for the journal's week",
        arguments: seeds)
    func changesAreTracked(seed: UInt64) throws {
        // The fold tracks changes field by field; this compares with whole states, as a reference.
        var projection = Projection()
        var moved = 0
        for (offset, entry) in try Self.entries(seed: seed).enumerated() {
            let seq = UInt64(offset + 1)
            let customerID = entry.customer?.id ?? entry.order?.customerID
            let customerBefore = customerID.flatMap { projection.customers[$0] }
            let orderBefore = entry.order.flatMap { projection.orders[$0.id] }
            _ = projection.apply(entry, seq: seq)
            if let customerID, let after = projection.customers[customerID] {
                var unstamped = after
                unstamped.lastSeq = customerBefore?.lastSeq ?? 0
                let changed = unstamped != (customerBefore ?? CustomerState(id: customerID))
                #expect((after.lastSeq == seq) == changed, "customer \(customerID) at seq \(seq)")
                #expect(after.lastProfile == SentProfile(after, week: projection.clock.week ?? 0), "seq \(seq)")
                if changed { moved += 1 }
            }
            if let id = entry.order?.id, let after = projection.orders[id] {
                var unstamped = after
                unstamped.lastSeq = orderBefore?.lastSeq ?? 0
                let changed = unstamped != (orderBefore ?? OrderState(id: id))
                #expect((after.lastSeq == seq) == changed, "order \(id) at seq \(seq)")
            }
        }
        #expect(moved > 1_000)
    }
}

/// SplitMix64, so cut points are the same on every run.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
