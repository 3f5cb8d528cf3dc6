import Testing

@testable import LogfoldDomain

/// An event body read for sending (``ProjectionCodec/decodeEventBody(_:)``: properties written as JSON
/// straight from the bytes) agrees with the full decoder on every body, and throws the same error on
/// every damaged one.
@Suite struct EventBodyDecodingTests {
    static func message(_ properties: JSONValue, _ random: inout SplitMix64) -> OutboundMessage {
        var m = MessageBodyCodecTests.message(properties)
        // Names, phone and address are skipped by the event decoder: give them values, some odd.
        let odd = ["", "O'Brien", "Zoë", "tab\there", "828-555-0142", "\u{1}"]
        func pick() -> String? {
            random.next() % 3 == 0 ? nil : odd[Int(random.next() % UInt64(odd.count))]
        }
        m.identity.firstName = pick()
        m.identity.lastName = pick()
        m.identity.phone = pick()
        if random.next() % 2 == 0 { m.identity.location = PostalAddress(line1: pick(), city: pick(), zip: pick()) }
        m.identity.email = random.next() % 4 == 0 ? nil : "Q\"uote@example.org"
        m.currency = random.next() % 3 == 0 ? nil : "USD"
        return m
    }

    static func agree(_ bytes: [UInt8]) throws {
        let full = try ProjectionCodec.decodeBody(bytes)
        let event = try ProjectionCodec.decodeEventBody(bytes)
        #expect(event.currency == full.currency)
        #expect(event.externalID == full.identity.externalID)
        #expect(event.email == full.identity.email)
        #expect(event.properties.json == full.properties.renderedBytes)
        #expect(event.properties.value == full.properties)
        if case .object(let members) = full.properties {
            #expect(event.properties.memberCount == members.count)
        } else {
            #expect(event.properties.memberCount == 0)
        }
    }

    @Test("5,000 seeded bodies of this version and 1,000 of version 1: the same fields, JSON and tree")
    func agreesWithDecodeBody() throws {
        var random = SplitMix64(seed: 23)
        for _ in 0..<5_000 {
            try Self.agree(ProjectionCodec.body(of: Self.message(MessageBodyCodecTests.tree(&random), &random)))
        }
        for _ in 0..<1_000 {
            try Self.agree(MessageBodyCodecTests.versionOne(Self.message(MessageBodyCodecTests.tree(&random), &random)))
        }
    }

    @Test("damaged bodies (cut, or a byte changed) throw exactly where and what the full decoder throws")
    func damageAgrees() throws {
        var random = SplitMix64(seed: 29)
        for round in 0..<2_000 {
            let m = Self.message(MessageBodyCodecTests.tree(&random), &random)
            var bytes = round % 2 == 0 ? ProjectionCodec.body(of: m) : MessageBodyCodecTests.versionOne(m)
            if random.next() % 2 == 0 {
                bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
            } else {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            let full = Result { () throws(CompactDecodingError) in try ProjectionCodec.decodeBody(bytes) }
            let event = Result { () throws(CompactDecodingError) in try ProjectionCodec.decodeEventBody(bytes) }
            switch (full, event) {
            case (.success, .success): try Self.agree(bytes)
            case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)")
            default: Issue.record("one decoder accepted what the other refused: \(full) against \(event)")
            }
        }
    }
}
