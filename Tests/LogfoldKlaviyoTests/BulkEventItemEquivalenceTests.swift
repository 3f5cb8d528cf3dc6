import LogfoldDomain
import Testing

@testable import LogfoldKlaviyo

/// The Bulk Create Events item written straight into bytes equals the JSON builder's rendering of the
/// same event's attributes, over random events.
@Suite struct BulkEventItemEquivalenceTests {
    static let texts = ["", "Placed Order", "q\"uote", "back\\slash", "tab\there", "line\nbreak", "\u{1}", "é", "🥕"]

    @Test("20,000 random events, with and without backfill: the same bytes as the builder's")
    func randomEvents() {
        var state: UInt64 = 11
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func text() -> String { Self.texts[Int(next() % UInt64(Self.texts.count))] + String(next() % 1000) }
        for _ in 0..<20_000 {
            let properties: JSONValue = .object(
                (0..<Int(next() % 4)).map { _ in
                    .init(text(), next() % 2 == 0 ? .string(text()) : .array([.number("1.50"), .null, .bool(true)]))
                })
            let event = KlaviyoEvent(
                metric: text(), uniqueID: text(), time: 946_684_800 + Int64(next() % 1_000_000_000),
                value: next() % 2 == 0 ? nil : "47.95", valueCurrency: next() % 2 == 0 ? nil : "USD",
                properties: properties, backfill: next() % 2 == 0, profile: KlaviyoProfile(externalID: "1"))
            let includeBackfill = next() % 2 == 0
            let built = JSONValue.object([
                .init("type", .string("event")),
                .init(
                    "attributes", .object(KlaviyoRequestBody.eventAttributes(event, includeBackfill: includeBackfill))),
            ])
            #expect(KlaviyoRequestBody.bulkEventItem(event, includeBackfill: includeBackfill) == built.renderedBytes)
        }
    }
}
