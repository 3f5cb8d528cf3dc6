import Testing

@testable import LogfoldDomain

/// An event body read for sending (``ProjectionCodec/decodeEventBody(_:)``: properties written as JSON
/// straight from the bytes) agrees with the full decoder on every body version, and throws the same error
/// on every damaged body.
@Suite struct EventBodyDecodingTests {
    /// Names and strings that need escaping (quote, backslash, control bytes, an escape after the first
    /// eight bytes), vocabulary names, and plain ones.
    static let texts =
        BodyPropertiesCodec.vocabulary + [
            "", "reason", "Ünïcode ✓", "q\"uote", "back\\slash", "tab\t", "\u{1}", "twelve bytes\n then more",
            "long plain text with no escapes at all",
        ]

    static func tree(_ random: inout SplitMix64, depth: Int = 0) -> JSONValue {
        func text() -> String { texts[Int(random.next() % UInt64(texts.count))] }
        switch random.next() % (depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .number(String(random.next() % 100_000) + ".5")
        case 3: return .string(text())
        case 4: return .array((0..<random.next() % 4).map { _ in tree(&random, depth: depth + 1) })
        default:
            return .object(
                (0..<random.next() % 6).map { _ in JSONValue.Member(text(), tree(&random, depth: depth + 1)) })
        }
    }

    static func message(_ random: inout SplitMix64) -> OutboundMessage {
        let odd = ["", "O'Brien", "Zoë", "tab\there", "828-555-0142", "\u{1}", "q\"uote"]
        func pick() -> String? { random.next() % 3 == 0 ? nil : odd[Int(random.next() % UInt64(odd.count))] }
        var identity = ProfileIdentity(externalID: "1131322")
        identity.email = random.next() % 4 == 0 ? nil : "Q\"uote@example.org"
        identity.firstName = pick()
        identity.lastName = pick()
        identity.phone = pick()
        if random.next() % 2 == 0 { identity.location = PostalAddress(line1: pick(), city: pick(), zip: pick()) }
        return OutboundMessage(
            kind: .event, customerID: "1131322", metric: "Shipped Order", uniqueID: "2457424",
            time: Timestamp(unixSeconds: 1_704_000_000), currency: random.next() % 3 == 0 ? nil : "USD",
            identity: identity, properties: MessageProperties(tree(&random)), sourceSeq: 7)
    }

    /// A body as an earlier build wrote it: version 1 (the journal's plain values, no cleared fields) or
    /// version 2 (coded member names, no cleared fields), with the message's whole identity.
    static func olderBody(_ m: OutboundMessage, version: UInt8) -> [UInt8] {
        var w = CompactWriter(capacity: 256)
        func optional(_ value: String?) {
            if let value {
                w.byte(1)
                w.string(value)
            } else {
                w.byte(0)
            }
        }
        w.byte(version)
        optional(m.currency)
        w.string(m.identity.externalID)
        for part in [m.identity.email, m.identity.firstName, m.identity.lastName, m.identity.phone] { optional(part) }
        if let location = m.identity.location {
            w.byte(1)
            for part in [
                location.line1, location.line2, location.city, location.region, location.zip, location.country,
            ] {
                optional(part)
            }
        } else {
            w.byte(0)
        }
        if version == 1 {
            CompactEntryCodec.encode(m.properties.value, into: &w)
        } else {
            BodyPropertiesCodec.encode(m.properties.value, into: &w)
        }
        return w.bytes
    }

    static func bodies(_ random: inout SplitMix64) -> [[UInt8]] {
        let m = message(&random)
        return [ProjectionCodec.body(of: m), olderBody(m, version: 2), olderBody(m, version: 1)]
    }

    static func agree(_ bytes: [UInt8]) throws {
        let full = try ProjectionCodec.decodeBody(bytes)
        let event = try ProjectionCodec.decodeEventBody(bytes)
        #expect(event.currency == full.currency)
        #expect(event.externalID == full.identity.externalID)
        #expect(event.email == full.identity.email)
        // The JSON text is the check that matters; the tree checks where the properties begin and end.
        #expect(event.properties.json == full.properties.renderedBytes)
        #expect(event.properties.value == full.properties)
        if case .object(let members) = full.properties {
            #expect(event.properties.memberCount == members.count)
        } else {
            #expect(event.properties.memberCount == 0)
        }
    }

    @Test("2,000 seeded messages, each as a version 3, 2 and 1 body: the same fields, JSON and tree")
    func agreesWithDecodeBody() throws {
        var random = SplitMix64(seed: 23)
        for _ in 0..<2_000 {
            let bodies = Self.bodies(&random)
            #expect(try ProjectionCodec.decodeBody(bodies[1]) == ProjectionCodec.decodeBody(bodies[0]))
            for body in bodies { try Self.agree(body) }
        }
    }

    @Test("damaged bodies (cut, or a byte changed) throw exactly where and what the full decoder throws")
    func damageAgrees() throws {
        var random = SplitMix64(seed: 29)
        for _ in 0..<1_000 {
            for var bytes in Self.bodies(&random) {
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
}
