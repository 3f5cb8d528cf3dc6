import LogfoldDomain
import LogfoldKlaviyo
import LogfoldStore
import LogfoldTestSupport
import Testing

@testable import LogfoldEngine

/// The decoder writes an event's Bulk Create Events item in the same pass as it decodes the row; it must
/// be byte for byte the item rendered from the decoded event, as the planner rendered it before.
@Suite struct EventItemTests {
    /// Random properties: nested objects and arrays, text that needs escaping, numbers, null.
    static func value(_ random: inout SplitMix, depth: Int = 0) -> JSONValue {
        switch random.next() % (depth > 2 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .number(String(Int64(bitPattern: random.next() % 2_000_001) - 1_000_000) + ".25")
        case 3:
            return .string(["plain", "quote \" and \\ slash", "tab\tline\nend", "été ✓", ""][Int(random.next() % 5)])
        case 4: return .array((0..<Int(random.next() % 4)).map { _ in value(&random, depth: depth + 1) })
        default:
            return .object(
                (0..<Int(random.next() % 5)).map { index in
                    let names = ["ItemNames", "Items", "OrderId", "a \"quoted\" name", "Value", "n\(index)"]
                    return JSONValue.Member(names[Int(random.next() % 6)], value(&random, depth: depth + 1))
                })
        }
    }

    @Test("the decoder's item is the decoded event's rendering, with and without backfill, on 5,000 random rows")
    func itemMatchesRendering() throws {
        var random = SplitMix(seed: 16)
        for round in 0..<5_000 {
            let properties = Self.value(&random)
            let hasValue = random.next() % 2 == 0
            var row = DeliveryPlannerTests.row(
                .event, customer: "c\(random.next() % 50)",
                email: random.next() % 5 == 0 ? nil : "x\(round)@example.com",
                metric: ["Placed Order", "Ordered Product", "Started Checkout"][Int(random.next() % 3)],
                uniqueID: "\(round)_\(random.next() % 1_000)",
                time: DeliveryPlannerTests.now - Int64(random.next() % 900_000),
                seq: UInt64(round + 1), properties: properties
            ).row
            if hasValue { row.value = "\(random.next() % 10_000).95" }
            var options = SendOptions()
            options.includeBackfill = random.next() % 2 == 0
            options.history = random.next() % 3 == 0
            let decoder = OutboxPayloadDecoder(options: options, now: DeliveryPlannerTests.now)
            let (event, wire) = try decoder.eventItem(row).get()
            #expect(wire == KlaviyoRequestBody.bulkEventItem(event, includeBackfill: options.includeBackfill))
            #expect(event.properties == properties, "round \(round)")
            guard case .event(let viaPayload) = try decoder.eventPayload(row).get() else {
                Issue.record("round \(round): not an event")
                continue
            }
            #expect(viaPayload == event)
        }
    }
}
