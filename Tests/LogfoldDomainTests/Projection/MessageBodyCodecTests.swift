import Testing

@testable import LogfoldDomain

@Suite struct MessageBodyCodecTests {
    /// A seeded JSON tree whose member names come from the vocabulary, from outside it, or are odd.
    static func tree(_ random: inout SplitMix64, depth: Int = 0) -> JSONValue {
        let names = BodyPropertiesCodec.vocabulary + ["", "reason", "Ünïcode ✓", "OrderID", "SKU "]
        switch random.next() % (depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .number(String(random.next() % 100_000) + ".5")
        case 3: return .string(names[Int(random.next() % UInt64(names.count))])
        case 4: return .array((0..<random.next() % 4).map { _ in tree(&random, depth: depth + 1) })
        default:
            return .object(
                (0..<random.next() % 6).map { _ in
                    JSONValue.Member(names[Int(random.next() % UInt64(names.count))], tree(&random, depth: depth + 1))
                })
        }
    }

    static func message(_ properties: JSONValue) -> OutboundMessage {
        var identity = ProfileIdentity(externalID: "1131322")
        identity.email = "williamlewis95@example.org"
        return OutboundMessage(
            kind: .event, customerID: "1131322", metric: "Shipped Order", uniqueID: "2457424",
            time: Timestamp(unixSeconds: 1_704_000_000, offsetMinutes: 0), currency: "USD", identity: identity,
            properties: MessageProperties(properties), sourceSeq: 7)
    }

    @Test("every vocabulary name has its code, and no other name has one, however close")
    func vocabularyCodes() {
        for (offset, name) in BodyPropertiesCodec.vocabulary.enumerated() {
            #expect(BodyPropertiesCodec.code(of: name) == UInt64(offset + 1), "\(name)")
            // The same length, first and last byte (the lookup's slot), or one byte more or less.
            let middle = String(repeating: "x", count: max(0, name.utf8.count - 2))
            let lookalike = name.count >= 2 ? String(name.prefix(1)) + middle + String(name.suffix(1)) : name + "x"
            if lookalike != name { #expect(BodyPropertiesCodec.code(of: lookalike) == nil, "\(lookalike)") }
            #expect(BodyPropertiesCodec.code(of: name + " ") == nil)
            #expect(BodyPropertiesCodec.code(of: String(name.dropLast())) == nil)
            #expect(BodyPropertiesCodec.code(of: name.lowercased()) == nil)
        }
        for other in ["", "x", "OrderID", "Ünïcode ✓", "log_id", "amount", "Discount Codes"] {
            #expect(BodyPropertiesCodec.code(of: other) == nil, "\(other)")
        }
    }

    @Test("bodies round-trip for 5,000 seeded property trees, vocabulary names or not")
    func roundTrip() throws {
        var random = SplitMix64(seed: 11)
        for _ in 0..<5_000 {
            let m = Self.message(.object([JSONValue.Member("OrderId", .string("1")), .init("x", Self.tree(&random))]))
            let body = try ProjectionCodec.decodeBody(ProjectionCodec.body(of: m))
            #expect(body.properties == m.properties.value && body.identity == m.identity && body.currency == m.currency)
        }
    }

    @Test("vocabulary names take one byte: an order event's body is far smaller than in version 1")
    func smaller() throws {
        let item = JSONValue.object(
            ["ProductID", "SKU", "ProductName", "Quantity", "ItemPrice", "RowTotal", "ProductURL", "ImageURL", "Kind"]
                .map { JSONValue.Member($0, .string("v")) })
        let properties = JSONValue.object([.init("OrderId", .string("2457424")), .init("Items", .array([item, item]))])
        let m = Self.message(properties)
        let v2 = ProjectionCodec.body(of: m)
        let v1 = Self.versionOne(m)
        #expect(v2.count * 2 < v1.count, "\(v2.count) bytes against \(v1.count)")
        #expect(try ProjectionCodec.decodeBody(v1).properties == properties)
    }

    @Test("version 1 bodies, written by earlier builds and still pending, decode to what they held")
    func versionOneStillReads() throws {
        var random = SplitMix64(seed: 5)
        for _ in 0..<1_000 {
            let m = Self.message(Self.tree(&random))
            let body = try ProjectionCodec.decodeBody(Self.versionOne(m))
            #expect(body.properties == m.properties.value && body.identity == m.identity && body.currency == "USD")
        }
    }

    @Test("an unknown name code, an unknown version or a cut body throws instead of returning data")
    func damage() throws {
        var w = CompactWriter(capacity: 16)
        w.byte(2)
        w.byte(0)  // no currency
        w.string("c1")
        for _ in 0..<5 { w.byte(0) }
        w.byte(7)
        w.varint(1)
        w.varint(UInt64(BodyPropertiesCodec.vocabulary.count + 1))
        w.byte(0)
        #expect(throws: CompactDecodingError.self) { try ProjectionCodec.decodeBody(w.bytes) }

        let good = ProjectionCodec.body(of: Self.message(.object([.init("Items", .array([.null]))])))
        #expect(throws: CompactDecodingError.self) { try ProjectionCodec.decodeBody([9] + good.dropFirst()) }
        for cut in 1..<good.count {
            #expect(throws: CompactDecodingError.self) { try ProjectionCodec.decodeBody(Array(good.prefix(cut))) }
        }
    }

    /// The version 1 layout: member names always as text.
    static func versionOne(_ m: OutboundMessage) -> [UInt8] {
        var w = CompactWriter(capacity: 256)
        w.byte(1)
        w.byte(1)
        w.string(m.currency ?? "")
        w.string(m.identity.externalID)
        w.byte(1)
        w.string(m.identity.email ?? "")
        for _ in 0..<4 { w.byte(0) }  // first and last name, phone, location
        CompactEntryCodec.encode(m.properties.value, into: &w)
        return w.bytes
    }
}
