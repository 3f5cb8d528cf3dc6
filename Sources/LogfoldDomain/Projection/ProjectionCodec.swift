/// Binary forms of the fold's state and of message bodies, for the state store.
///
/// The store keeps each customer's and order's state as a blob it reloads on restart, and each
/// outbox row's body (identity and properties) as a blob the sender renders. Versioned like the
/// compact entry form; equal values give equal bytes, which the digest relies on.
package enum ProjectionCodec {
    /// The customer layout written: 2.
    ///
    /// In version 2 the profile last sent holds only what differs from what the customer's own state
    /// gives. Version 1 blobs (the JSON object of the profile) are still read, and a
    /// store's are rewritten when it upgrades (schema v14), so live stores and replays agree byte for byte.
    static let customerVersion: UInt8 = 2
    static let orderVersion: UInt8 = 1
    /// The body layout written: 3, where property names in ``BodyPropertiesCodec``'s vocabulary take one
    /// byte and a byte after the identity names the identity members a profile upsert clears.
    ///
    /// Version 1 and 2 bodies (stores projected by earlier builds, with rows still to send) are still read.
    static let bodyVersion: UInt8 = 3

    // MARK: Customer state

    /// The blob of a customer's state.
    ///
    /// Fitted to its size: a customer set aside keeps only this blob in memory, and a batch's rows hold one
    /// per touched customer.
    package static func encode(_ c: CustomerState) -> [UInt8] {
        // Room for most customers (440 to 540 bytes, more with ActiveCampaign) without growing twice.
        var w = CompactWriter(capacity: 768)
        w.byte(customerVersion)
        encode(c.identity, into: &w)
        w.byte(c.status.map { $0.code + 1 } ?? 0)
        w.byte(c.schedule.map { $0.code + 1 } ?? 0)
        optional(c.box, &w)
        optional(c.signupDate, &w)
        optional(c.nextDelivery, &w)
        optional(c.cancelDate, &w)
        w.byte(c.subscribed.map { $0 ? 2 : 1 } ?? 0)
        w.byte(
            (c.startedSignup ? 1 : 0) | (c.suppressed ? 2 : 0) | (c.completedSignup ? 4 : 0) | c.shared.rawValue << 3)
        w.byte(c.lists)
        w.varint(UInt64(c.recentOrders.count))
        for order in c.recentOrders {
            w.signed(Int64(order.week))
            w.string(order.orderID)
            w.byte(order.status.map { $0.code + 1 } ?? 0)
        }
        if let profile = c.lastProfile {
            w.byte(1)
            encode(profile, besides: SentProfile(c, weekTag: profile.weekTag), into: &w)
        } else {
            w.byte(0)
        }
        w.varint(c.lastSeq)
        // Only with ActiveCampaign enabled: a Klaviyo-only store's blobs stay byte for byte as before.
        if let sent = c.activeCampaign { encode(sent, into: &w) }
        return w.fittedBytes
    }

    /// A customer's state from its blob.
    package static func decodeCustomer(_ bytes: [UInt8]) throws(CompactDecodingError) -> CustomerState {
        try read(bytes) { (r: inout CompactReader) throws(CompactDecodingError) in
            let version = try r.byte()
            guard version == 1 || version == customerVersion else {
                throw CompactDecodingError(
                    reason: "unknown state version \(version) (this build reads 1 and \(customerVersion))", offset: 0)
            }
            let identity = try decodeIdentity(&r)
            var c = CustomerState(id: identity.externalID)
            c.identity = identity
            c.status = try vocabulary(CustomerStatus.self, &r)
            c.schedule = try vocabulary(DeliverySchedule.self, &r)
            c.box = try optional(&r)
            c.signupDate = try optional(&r)
            c.nextDelivery = try optional(&r)
            c.cancelDate = try optional(&r)
            let subscribed = try r.byte()
            c.subscribed = subscribed == 0 ? nil : subscribed == 2
            let flags = try r.byte()
            c.startedSignup = flags & 1 != 0
            c.suppressed = flags & 2 != 0
            c.shared = SharedIdentifiers(rawValue: (flags >> 3) & 3)
            // Blobs of earlier builds lack the flag: what they hold still tells a former subscriber.
            c.completedSignup =
                flags & 4 != 0 || c.signupDate != nil || c.status == .active || c.status == .onHold
                || c.status == .stopped
            c.lists = try r.byte()
            let count = try r.varint()
            guard count < 10_000 else { throw CompactDecodingError(reason: "implausible order count", offset: r.index) }
            for _ in 0..<count {
                let week = Int32(truncatingIfNeeded: try r.signed())
                let orderID = try r.string()
                let status = try vocabulary(OrderStatus.self, &r)
                c.recentOrders.append(WeekOrder(week: week, orderID: orderID, status: status))
            }
            if try r.byte() == 1 {
                if version == 1 {
                    let offset = r.index
                    guard let profile = SentProfile(json: try CompactEntryCodec.decodeValue(&r, depth: 0)) else {
                        throw CompactDecodingError(
                            reason: "the last sent profile is not in its stored shape", offset: offset)
                    }
                    c.lastProfile = profile
                } else {
                    c.lastProfile = try decodeSentProfile(besides: SentProfile(c, weekTag: ""), &r)
                }
            }
            c.lastSeq = try r.varint()
            if !r.isAtEnd { c.activeCampaign = try decodeActiveCampaign(&r) }
            return c
        }
    }

    /// What ActiveCampaign was last told: a section after the customer's own, present once enabled.
    private static func encode(_ sent: ActiveCampaignSent, into w: inout CompactWriter) {
        w.byte(1)
        if let contact = sent.contact {
            w.byte(1)
            for value in [
                contact.email, contact.firstName, contact.lastName, contact.phone, contact.status,
                contact.nextDelivery, contact.cancelDate, contact.boxType,
            ] {
                w.string(value)
            }
        } else {
            w.byte(0)
        }
        w.byte(sent.subscribed.map { $0 ? 2 : 1 } ?? 0)
        optional(sent.tag, &w)
    }

    private static func decodeActiveCampaign(_ r: inout CompactReader) throws(CompactDecodingError)
        -> ActiveCampaignSent
    {
        let section = try r.byte()
        guard section == 1 else {
            throw CompactDecodingError(reason: "unknown ActiveCampaign section \(section)", offset: r.index - 1)
        }
        var sent = ActiveCampaignSent()
        if try r.byte() == 1 {
            var contact = ActiveCampaignContact(CustomerState(id: ""), email: try r.string())
            contact.firstName = try r.string()
            contact.lastName = try r.string()
            contact.phone = try r.string()
            contact.status = try r.string()
            contact.nextDelivery = try r.string()
            contact.cancelDate = try r.string()
            contact.boxType = try r.string()
            sent.contact = contact
        }
        let subscribed = try r.byte()
        sent.subscribed = subscribed == 0 ? nil : subscribed == 2
        sent.tag = try optional(&r)
        return sent
    }

    // MARK: Order state

    /// The blob of an order's state.
    ///
    /// Fitted to its size, like a customer's: a batch's rows hold one per touched order.
    package static func encode(_ o: OrderState) -> [UInt8] {
        var w = CompactWriter(capacity: 768)
        w.byte(orderVersion)
        w.string(o.id)
        optional(o.customerID, &w)
        w.byte(o.sent)
        w.varint(o.placedSeq.map { $0 + 1 } ?? 0)
        w.varint(o.lastSeq)
        if let snapshot = o.snapshot {
            w.byte(1)
            CompactEntryCodec.encode(snapshot, into: &w)
        } else {
            w.byte(0)
        }
        return w.fittedBytes
    }

    /// An order's state from its blob.
    package static func decodeOrder(_ bytes: [UInt8]) throws(CompactDecodingError) -> OrderState {
        try read(bytes) { (r: inout CompactReader) throws(CompactDecodingError) in
            try expectVersion(orderVersion, &r)
            var o = OrderState(id: try r.string())
            o.customerID = try optional(&r)
            o.sent = try r.byte()
            let placed = try r.varint()
            o.placedSeq = placed == 0 ? nil : placed - 1
            o.lastSeq = try r.varint()
            if try r.byte() == 1 { o.snapshot = try CompactEntryCodec.decodeOrder(&r) }
            return o
        }
    }

    // MARK: Message bodies

    /// The blob of a message's body: currency, identity, properties (the rest is in outbox columns).
    package static func body(of m: OutboundMessage) -> [UInt8] {
        // The identity is rarely past 100 bytes; the properties' size is known.
        var w = CompactWriter(capacity: 128 + m.properties.encoded.count)
        w.byte(bodyVersion)
        optional(m.currency, &w)
        encode(m.identity, into: &w)
        w.byte(m.clearedIdentity.rawValue)
        w.append(encoded: m.properties.encoded)
        return w.bytes
    }

    /// A message body from its blob.
    package static func decodeBody(_ bytes: [UInt8]) throws(CompactDecodingError) -> MessageBody {
        try read(bytes) { (r: inout CompactReader) throws(CompactDecodingError) in
            let version = try readBodyVersion(&r)
            let currency: String? = try optional(&r)
            let identity = try decodeIdentity(&r)
            let cleared = version >= 3 ? IdentityFields(rawValue: try r.byte()) : []
            let properties =
                version == 1
                ? try CompactEntryCodec.decodeValue(&r, depth: 0) : try BodyPropertiesCodec.decode(&r)
            return MessageBody(currency: currency, identity: identity, clearedIdentity: cleared, properties: properties)
        }
    }

    /// What an event's request needs of its body: currency, identifiers and properties as JSON text.
    ///
    /// It checks the bytes as ``decodeBody(_:)`` does and throws where it throws; names, phone and address
    /// are checked and skipped, since an event carries identifiers only.
    package static func decodeEventBody(_ bytes: [UInt8]) throws(CompactDecodingError) -> EventBody {
        var json: [UInt8] = []
        json.reserveCapacity(256)
        let (header, written) = try decodeEventBody(bytes, writingPropertiesInto: &json)
        return EventBody(
            currency: header.currency, externalID: header.externalID, email: header.email,
            properties: EncodedProperties(written, in: json))
    }

    /// An event body's identifiers and currency, its properties written as JSON text at the end of `out`
    /// (an event's request item being built: no buffer of their own, copied into it after).
    package static func decodeEventBody(_ bytes: [UInt8], writingPropertiesInto out: inout [UInt8])
        throws(CompactDecodingError) -> (header: EventHeader, properties: EncodedProperties.Written)
    {
        try read(bytes) { (r: inout CompactReader) throws(CompactDecodingError) in
            let version = try readBodyVersion(&r)
            let currency: String? = try optional(&r)
            let externalID = try r.string()
            let email: String? = try optional(&r)
            for _ in 0..<3 { try skipOptional(&r) }  // first name, last name, phone
            if try r.byte() == 1 {
                for _ in 0..<6 { try skipOptional(&r) }  // the address's parts
            }
            if version >= 3 { _ = try r.byte() }  // the cleared fields, which only profile upserts use
            let properties = try EncodedProperties.write(&r, coded: version != 1, in: bytes, into: &out)
            return (EventHeader(currency: currency, externalID: externalID, email: email), properties)
        }
    }

    // MARK: Parts

    private static func encode(_ i: ProfileIdentity, into w: inout CompactWriter) {
        w.string(i.externalID)
        optional(i.email, &w)
        optional(i.firstName, &w)
        optional(i.lastName, &w)
        optional(i.phone, &w)
        if let location = i.location {
            // Part by part, not through a temporary array: this runs for every profile upsert and state row.
            w.byte(1)
            optional(location.line1, &w)
            optional(location.line2, &w)
            optional(location.city, &w)
            optional(location.region, &w)
            optional(location.zip, &w)
            optional(location.country, &w)
        } else {
            w.byte(0)
        }
    }

    private static func decodeIdentity(_ r: inout CompactReader) throws(CompactDecodingError) -> ProfileIdentity {
        var i = ProfileIdentity(externalID: try r.string())
        i.email = try optional(&r)
        i.firstName = try optional(&r)
        i.lastName = try optional(&r)
        i.phone = try optional(&r)
        if try r.byte() == 1 {
            i.location = PostalAddress(
                line1: try optional(&r), line2: try optional(&r), city: try optional(&r), region: try optional(&r),
                zip: try optional(&r), country: try optional(&r))
        }
        return i
    }

    static func optional(_ value: String?, _ w: inout CompactWriter) {
        if let value {
            w.byte(1)
            w.string(value)
        } else {
            w.byte(0)
        }
    }

    static func optional(_ r: inout CompactReader) throws(CompactDecodingError) -> String? {
        try r.byte() == 1 ? try r.string() : nil
    }

    /// A message body's version byte, one this build reads.
    private static func readBodyVersion(_ r: inout CompactReader) throws(CompactDecodingError) -> UInt8 {
        let version = try r.byte()
        guard (1...bodyVersion).contains(version) else {
            throw CompactDecodingError(
                reason: "unknown body version \(version) (this build reads 1 to \(bodyVersion))", offset: 0)
        }
        return version
    }

    /// Moves past what ``optional(_:)`` reads, checking it the same way.
    private static func skipOptional(_ r: inout CompactReader) throws(CompactDecodingError) {
        if try r.byte() == 1 { _ = try r.stringBytes() }
    }

    static func vocabulary<E: CaseIterable>(_ type: E.Type, _ r: inout CompactReader)
        throws(CompactDecodingError) -> E? where E.AllCases == [E]
    {
        let code = Int(try r.byte())
        guard code > 0 else { return nil }
        guard code <= E.allCases.count else {
            throw CompactDecodingError(reason: "unknown \(E.self) code \(code - 1)", offset: r.index)
        }
        return E.allCases[code - 1]
    }

    private static func expectVersion(_ version: UInt8, _ r: inout CompactReader) throws(CompactDecodingError) {
        let found = try r.byte()
        guard found == version else {
            throw CompactDecodingError(
                reason: "unknown state version \(found) (this build reads \(version))", offset: 0)
        }
    }

    private static func read<T>(
        _ bytes: [UInt8], _ body: (inout CompactReader) throws(CompactDecodingError) -> T
    ) throws(CompactDecodingError) -> T {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(CompactDecodingError) -> T in
                var reader = CompactReader(raw)
                let value = try body(&reader)
                guard reader.isAtEnd else { throw CompactDecodingError(reason: "trailing bytes", offset: reader.index) }
                return value
            }
        }
        return try result.get()
    }
}

/// What an outbox row's body holds besides its columns.
package struct MessageBody: Sendable, Hashable {
    /// ISO 4217 code of the row's value.
    package var currency: String?
    /// The profile's identity as the message carries it.
    package var identity: ProfileIdentity
    /// In a profile upsert: the names and phone to clear.
    package var clearedIdentity: IdentityFields
    /// Event or profile properties; in a profile upsert a `null` member is a property to remove.
    package var properties: JSONValue
}

/// What an event body says besides its properties
/// (``ProjectionCodec/decodeEventBody(_:writingPropertiesInto:)``).
package struct EventHeader: Sendable {
    /// ISO 4217 code of the row's value.
    package var currency: String?
    /// The customer's `external_id`.
    package var externalID: String
    /// The email the message names.
    package var email: String?
}

/// What an event's request needs of its outbox body (``ProjectionCodec/decodeEventBody(_:)``).
package struct EventBody: Sendable {
    /// ISO 4217 code of the row's value.
    package var currency: String?
    /// The customer's `external_id`.
    package var externalID: String
    /// The email the message names.
    package var email: String?
    /// The event's properties, as JSON text.
    package var properties: EncodedProperties
}
