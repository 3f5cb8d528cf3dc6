import LogfoldDomain
import LogfoldKlaviyo
package import LogfoldStore

/// Turns an outbox row into what it asks Klaviyo for, or the reason it cannot be sent.
package struct OutboxPayloadDecoder: Sendable {
    /// The sender's options (history mode, backfill age, phone country code).
    package var options: SendOptions
    /// Unix seconds now: decides which events are old enough for `backfill`.
    package var now: Int64

    /// Creates a decoder.
    package init(options: SendOptions, now: Int64) {
        self.options = options
        self.now = now
    }

    /// The row's payload, or a reason to dead-letter it without a request.
    package func payload(_ row: OutboxRow) -> Result<DeliveryPayload, DecodeFailure> {
        let kind = OutboundMessage.Kind(rawValue: row.kind)
        if kind == .event { return eventPayload(row) }
        let body: MessageBody
        do {
            body = try ProjectionCodec.decodeBody(row.body)
        } catch {
            return .failure(Self.undecodable(error))
        }
        let identity = body.identity
        // Events, list and suppression calls carry identifiers only: no phone to normalise for them.
        let identifiers = KlaviyoProfile(externalID: identity.externalID, email: identity.email)
        switch kind {
        case .profile:
            // `null` members are properties to remove: Klaviyo's `patch_properties.unset`.
            var profile = KlaviyoProfile(
                externalID: identity.externalID,
                email: identity.email,
                phoneNumber: identity.phone.flatMap {
                    PhoneNumber.e164($0, defaultCountryCode: options.defaultCountryCode)
                },
                firstName: identity.firstName,
                lastName: identity.lastName,
                location: identity.location,
                properties: body.properties
            )
            profile.cleared = body.clearedIdentity
            if case .object(let members) = body.properties, members.contains(where: { $0.value == .null }) {
                profile.properties = .object(members.filter { $0.value != .null })
                profile.unsetProperties = members.filter { $0.value == .null }.map(\.key)
            }
            return .success(.profile(profile))
        case .listAdd, .listRemove:
            guard row.list != nil else { return .failure(DecodeFailure("the list message names no list")) }
            return .success(.membership(identifiers))
        case .suppress, .unsuppress:
            guard let email = identity.email, !email.isEmpty else {
                return .failure(
                    DecodeFailure("customer \(row.customerID) has no email, and Klaviyo suppresses by email")
                )
            }
            return .success(.suppression(email: email))
        case .event, nil:  // events went to `eventPayload` above
            return .failure(DecodeFailure("unknown message kind '\(row.kind)'"))
        }
    }
}

extension OutboxPayloadDecoder {
    /// An event row's payload: its properties go to the request as the body's JSON text, with no tree
    /// built and walked per event (``ProjectionCodec/decodeEventBody(_:)``).
    func eventPayload(_ row: OutboxRow) -> Result<DeliveryPayload, DecodeFailure> {
        eventItem(row).map { .event($0.event) }
    }

    /// An event row's event and its Bulk Create Events item, written in one pass: the properties go from
    /// the row's body straight into the item, and the event's properties are that part of it (no buffer
    /// of their own, copied into the item later).
    func eventItem(_ row: OutboxRow) -> Result<(event: KlaviyoEvent, wire: [UInt8]), DecodeFailure> {
        var wire: [UInt8] = []
        // The fixed text, time, value and currency take about 210 bytes; the properties' JSON text is about
        // twice their coded size at most on the synthetic journals.
        wire.reserveCapacity(
            256 + 2 * row.body.count + (row.metric?.utf8.count ?? 0) + (row.uniqueID?.utf8.count ?? 0))
        wire.append(contentsOf: KlaviyoRequestBody.bulkEventItemPrefix)
        let header: EventHeader
        let written: EncodedProperties.Written
        do {
            (header, written) = try ProjectionCodec.decodeEventBody(row.body, writingPropertiesInto: &wire)
        } catch {
            return .failure(Self.undecodable(error))
        }
        guard let metric = row.metric, let uniqueID = row.uniqueID else {
            return .failure(DecodeFailure("the event has no metric or unique_id"))
        }
        let backfill = options.history || row.time < now - options.backfillAgeSeconds
        let currency = row.value == nil ? nil : header.currency
        KlaviyoRequestBody.appendBulkEventItemEnd(
            time: row.time, value: row.value, valueCurrency: currency, uniqueID: uniqueID,
            backfill: options.includeBackfill ? backfill : nil, metric: metric, to: &wire)
        let event = KlaviyoEvent(
            metric: metric, uniqueID: uniqueID, time: row.time, value: row.value, valueCurrency: currency,
            encodedProperties: EncodedProperties(written, in: wire), backfill: backfill,
            externalID: header.externalID, email: header.email
        )
        if let problem = event.problem(now: now) {
            return .failure(DecodeFailure("Klaviyo would refuse it: \(problem)"))
        }
        return .success((event, wire))
    }

    static func undecodable(_ error: CompactDecodingError) -> DecodeFailure {
        DecodeFailure("the row's body cannot be decoded (\(error)); rebuild the store with `logfold replay --into DIR`")
    }
}

/// Why a row cannot be sent as it is.
package struct DecodeFailure: Error, Sendable, Hashable {
    /// The reason, recorded as the row's `last_error`.
    package var reason: String

    /// Creates a failure.
    package init(_ reason: String) {
        self.reason = reason
    }
}
