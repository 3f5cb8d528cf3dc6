import LogfoldDomain
import LogfoldTestSupport
import Testing

@testable import LogfoldKlaviyo

/// Event request bodies written straight into bytes equal the JSON builder's rendering of the same event,
/// whether its properties are a tree or an outbox body's JSON text (what the sender holds).
@Suite struct BulkEventItemEquivalenceTests {
    static let texts = ["", "Placed Order", "q\"uote", "back\\slash", "tab\there", "line\nbreak", "\u{1}", "é", "🥕"]

    static func text(_ random: inout SplitMix) -> String {
        texts[Int(random.next() % UInt64(texts.count))] + String(random.next() % 1000)
    }

    static func event(_ random: inout SplitMix) -> KlaviyoEvent {
        let properties: JSONValue = .object(
            (0..<Int(random.next() % 4)).map { _ in
                .init(
                    text(&random),
                    random.next() % 2 == 0 ? .string(text(&random)) : .array([.number("1.50"), .null, .bool(true)]))
            })
        return KlaviyoEvent(
            metric: text(&random), uniqueID: text(&random), time: 946_684_800 + Int64(random.next() % 1_000_000_000),
            value: random.next() % 2 == 0 ? nil : "47.95", valueCurrency: random.next() % 2 == 0 ? nil : "USD",
            properties: properties, backfill: random.next() % 2 == 0,
            profile: KlaviyoProfile(externalID: "1", email: random.next() % 2 == 0 ? nil : "q\"@example.com"))
    }

    /// The same event with its properties as an outbox body holds them.
    static func encoded(_ event: KlaviyoEvent) throws -> KlaviyoEvent {
        var identity = ProfileIdentity(externalID: event.profile.externalID)
        identity.email = event.profile.email
        let message = OutboundMessage(
            kind: .event, customerID: event.profile.externalID, metric: event.metric, uniqueID: event.uniqueID,
            time: Timestamp(unixSeconds: event.time), identity: identity,
            properties: MessageProperties(event.properties),
            sourceSeq: 1)
        let body = try ProjectionCodec.decodeEventBody(ProjectionCodec.body(of: message))
        return KlaviyoEvent(
            metric: event.metric, uniqueID: event.uniqueID, time: event.time, value: event.value,
            valueCurrency: event.valueCurrency, encodedProperties: body.properties, backfill: event.backfill,
            profile: KlaviyoProfile(externalID: body.externalID, email: body.email))
    }

    @Test("20,000 random events, with and without backfill, tree or body text: the builder's bytes")
    func randomEvents() throws {
        var random = SplitMix(seed: 11)
        for _ in 0..<20_000 {
            let event = Self.event(&random)
            let includeBackfill = random.next() % 2 == 0
            let built = JSONValue.object([
                .init("type", .string("event")),
                .init(
                    "attributes", .object(KlaviyoRequestBody.eventAttributes(event, includeBackfill: includeBackfill))),
            ]).renderedBytes
            let fromBody = try Self.encoded(event)
            #expect(fromBody == event)
            #expect(fromBody.propertyCount == event.propertyCount)
            #expect(KlaviyoRequestBody.bulkEventItem(event, includeBackfill: includeBackfill) == built)
            #expect(KlaviyoRequestBody.bulkEventItem(fromBody, includeBackfill: includeBackfill) == built)
            let created = KlaviyoRequestBody.createEvent(event, includeBackfill: includeBackfill).renderedBytes
            #expect(KlaviyoRequestBody.createEventBytes(event, includeBackfill: includeBackfill) == created)
            #expect(KlaviyoRequestBody.createEventBytes(fromBody, includeBackfill: includeBackfill) == created)
        }
    }
}
