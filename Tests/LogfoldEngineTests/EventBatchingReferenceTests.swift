import LogfoldDomain
import LogfoldKlaviyo
import LogfoldStore
import LogfoldTestSupport
import Testing

@testable import LogfoldEngine

/// The planner's event batching, planned over indices since the fifth session of issue 16, gives exactly
/// the batches of the version it replaced (kept below as the reference) on seeded windows with colliding
/// keys, shared emails in other cases, and events large enough to end a request by bytes.
@Suite struct EventBatchingReferenceTests {
    /// The replaced version's key: metric, unique id, and the profile by external id or lowercased email.
    struct Key: Hashable {
        let metric: String
        let uniqueID: String
        let identity: String
    }

    /// The replaced `eventBatches`, item copies and all.
    static func referenceBatches(_ events: [DeliveryItem], includeBackfill: Bool) -> [[DeliveryItem]] {
        typealias Limits = DeliveryPlanner.Limits
        var batches: [[DeliveryItem]] = []
        var waiting = events.map { item -> (item: DeliveryItem, size: Int) in
            guard case .event(let event) = item.payload else { return (item, 0) }
            var item = item
            let wire = KlaviyoRequestBody.bulkEventItem(event, includeBackfill: includeBackfill)
            item.wire = wire
            return (item, wire.count + 200)
        }
        var start = 0
        while start < waiting.count {
            var batch: [DeliveryItem] = []
            var bytes = 0
            var keys = Set<Key>()
            var deferred: [(item: DeliveryItem, size: Int)] = []
            var index = start
            while index < waiting.count {
                let entry = waiting[index]
                guard case .event(let event) = entry.item.payload else {
                    index += 1
                    continue
                }
                if batch.count >= Limits.eventsPerBulk
                    || (!batch.isEmpty && bytes + entry.size > Limits.bytesPerRequest)
                {
                    break
                }
                index += 1
                let idKey = Key(
                    metric: event.metric, uniqueID: event.uniqueID, identity: "id:" + event.profile.externalID)
                let emailKey = event.profile.email.map {
                    Key(metric: event.metric, uniqueID: event.uniqueID, identity: "email:" + $0.lowercased())
                }
                if keys.contains(idKey) || emailKey.map(keys.contains) == true {
                    deferred.append(entry)
                    continue
                }
                batch.append(entry.item)
                bytes += entry.size
                keys.insert(idKey)
                if let emailKey { keys.insert(emailKey) }
            }
            if batch.isEmpty { break }
            batches.append(batch)
            if deferred.isEmpty {
                start = index
            } else {
                waiting = deferred + waiting[index...]
                start = 0
            }
        }
        return batches
    }

    /// Up to 2,600 events of 40 customers; with `large`, one in a hundred carries 600 KB of properties,
    /// so that eight of them end a request at its 4.8 MB before its 1,000 events do.
    static func window(_ random: inout SplitMix, large: Bool) -> [DeliveryItem] {
        let count = 1 + Int(random.next() % 2_600)
        let emails = ["a@example.com", "A@Example.com", "b@example.com", "\u{212A}@example.com", "k@example.com"]
        let note = String(repeating: "x", count: 600_000)
        return (0..<count).map { ordinal in
            let customer = "c" + String(random.next() % 40)
            let event = KlaviyoEvent(
                metric: random.next() % 2 == 0 ? "Placed Order" : "Shipped Order",
                uniqueID: String(random.next() % 60), time: 1_700_000_000,
                properties: large && random.next() % 100 == 0 ? .object([.init("Note", .string(note))]) : .object([]),
                backfill: true,
                profile: KlaviyoProfile(
                    externalID: customer,
                    email: random.next() % 3 == 0 ? nil : emails[Int(random.next() % UInt64(emails.count))]))
            return DeliveryItem(
                ordinal: UInt64(ordinal), payload: .event(event),
                ledger: LedgerEntry(
                    ordinal: UInt64(ordinal), metric: event.metric, uniqueID: event.uniqueID, profileKey: customer))
        }
    }

    @Test("120 seeded windows of up to 2,600 events: the same batches, in the same order, as the reference")
    func sameBatches() {
        var random = SplitMix(seed: 31)
        var options = SendOptions()
        for round in 0..<120 {
            options.includeBackfill = round % 2 == 0
            let events = Self.window(&random, large: round % 24 == 0)
            let planned = DeliveryPlanner(options: options, now: 1_700_000_000).eventBatches(events)
            let reference = Self.referenceBatches(events, includeBackfill: options.includeBackfill)
            // Ordinals first, so that a failure prints them and not every item's bytes.
            let ordinals = planned.map { $0.map(\.ordinal) }
            #expect(ordinals == reference.map { $0.map(\.ordinal) }, "round \(round)")
            let sameItems = planned == reference
            #expect(sameItems, "round \(round): the items (payloads, rendered wires) differ")
        }
    }
}
