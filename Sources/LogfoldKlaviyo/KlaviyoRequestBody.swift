package import LogfoldDomain

/// The JSON:API bodies of every call logfold makes: pure functions of their inputs, rendered with
/// members in a fixed order so golden files compare byte for byte.
package enum KlaviyoRequestBody {
    /// Create Event: one event with its profile.
    package static func createEvent(_ event: KlaviyoEvent, includeBackfill: Bool = true) -> JSONValue {
        var attributes = eventAttributes(event, includeBackfill: includeBackfill)
        attributes.append(.init("profile", profileData(event.profile)))
        return document(type: "event", attributes: .object(attributes))
    }

    /// ``createEvent(_:includeBackfill:)`` rendered, written into bytes: an event read from the outbox
    /// writes its properties as the body's JSON text, with no tree decoded for them.
    package static func createEventBytes(_ event: KlaviyoEvent, includeBackfill: Bool = true) -> [UInt8] {
        let item = bulkEventItem(event, includeBackfill: includeBackfill)
        var out: [UInt8] = []
        out.reserveCapacity(item.count + 192)
        out.append(contentsOf: #"{"data":"#.utf8)
        // The item without the two braces that close its attributes and itself: the profile goes inside.
        out.append(contentsOf: item.dropLast(2))
        out.append(contentsOf: #","profile":"#.utf8)
        profileData(event.profile).write(into: &out)
        out.append(contentsOf: "}}}".utf8)
        return out
    }

    /// Bulk Create Events: one item per profile, each with that profile's events, in the given order.
    package static func bulkCreateEvents(_ groups: [ProfileEvents], includeBackfill: Bool = true) -> JSONValue {
        let items = groups.map { group -> JSONValue in
            let events = group.events.map { event -> JSONValue in
                .object([
                    .init("type", .string("event")),
                    .init("attributes", .object(eventAttributes(event, includeBackfill: includeBackfill))),
                ])
            }
            return .object([
                .init("type", .string("event-bulk-create")),
                .init(
                    "attributes",
                    .object([
                        .init("profile", profileData(group.profile)),
                        .init("events", .object([.init("data", .array(events))])),
                    ])
                ),
            ])
        }
        return document(
            type: "event-bulk-create-job",
            attributes: .object([.init("events-bulk-create", .object([.init("data", .array(items))]))])
        )
    }

    /// One event as a Bulk Create Events item, `{"type":"event","attributes":{…}}`, rendered once so a
    /// planner can both measure it and send it.
    ///
    /// Written straight into bytes, member for member what ``eventAttributes(_:includeBackfill:)`` lists,
    /// rather than through a tree of member arrays built for each event only to be rendered.
    package static func bulkEventItem(_ event: KlaviyoEvent, includeBackfill: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        // The fixed text, time, value and currency take about 210 bytes: one allocation, where a guess of
        // 384 grew the buffer for every event with more than a few properties.
        out.reserveCapacity(256 + event.propertiesSizeEstimate + event.metric.utf8.count + event.uniqueID.utf8.count)
        out.append(contentsOf: bulkEventItemPrefix)
        event.writeProperties(into: &out)
        appendBulkEventItemEnd(
            time: event.time, value: event.value, valueCurrency: event.valueCurrency, uniqueID: event.uniqueID,
            backfill: includeBackfill ? event.backfill : nil, metric: event.metric, to: &out)
        return out
    }

    /// What a Bulk Create Events item starts with, up to its properties' JSON text.
    package static let bulkEventItemPrefix = Array(#"{"type":"event","attributes":{"properties":"#.utf8)

    /// The rest of a Bulk Create Events item after its properties' JSON text (``bulkEventItemPrefix``):
    /// the sender writes an event's properties straight from its outbox row between the two.
    ///
    /// `backfill` is `nil` when the API revision takes no `backfill`.
    package static func appendBulkEventItemEnd(
        time: Int64, value: String?, valueCurrency: String?, uniqueID: String, backfill: Bool?, metric: String,
        to out: inout [UInt8]
    ) {
        out.append(contentsOf: #","time":"#.utf8)
        Timestamp(unixSeconds: time).appendQuotedUTCSeconds(to: &out)
        if let value {
            out.append(contentsOf: #","value":"#.utf8)
            out.append(contentsOf: value.utf8)
        }
        if let valueCurrency {
            out.append(contentsOf: #","value_currency":"#.utf8)
            JSONText.appendQuoted(valueCurrency, to: &out)
        }
        out.append(contentsOf: #","unique_id":"#.utf8)
        JSONText.appendQuoted(uniqueID, to: &out)
        if let backfill {
            out.append(contentsOf: (backfill ? #","backfill":true"# : #","backfill":false"#).utf8)
        }
        out.append(contentsOf: #","metric":{"data":{"type":"metric","attributes":{"name":"#.utf8)
        JSONText.appendQuoted(metric, to: &out)
        out.append(contentsOf: "}}}}}".utf8)
    }

    /// Bulk Create Events from items rendered by ``bulkEventItem(_:includeBackfill:)``: byte for byte
    /// what ``bulkCreateEvents(_:includeBackfill:)`` renders for the same events.
    package static func bulkCreateEvents(rendered groups: [(profile: KlaviyoProfile, items: [[UInt8]])]) -> [UInt8] {
        var writer = BulkEventsWriter(
            capacity: groups.reduce(64) { $0 + 160 + $1.items.reduce(0) { $0 + $1.count + 1 } })
        for group in groups {
            writer.beginGroup(group.profile)
            for item in group.items { writer.append(item: item) }
        }
        return writer.finish()
    }

    /// Writes a Bulk Create Events body group by group from rendered items, straight into the request's
    /// bytes: no array of groups and of their items' arrays built per request only to be joined.
    package struct BulkEventsWriter {
        private var bytes: [UInt8]
        private var groups = 0
        private var itemsInGroup = 0

        /// Starts a body with room for `capacity` bytes.
        package init(capacity: Int) {
            bytes = []
            bytes.reserveCapacity(capacity)
            bytes.append(
                contentsOf: #"{"data":{"type":"event-bulk-create-job","attributes":{"events-bulk-create":{"data":["#
                    .utf8)
        }

        /// Closes the group before, if any, and opens one for `profile` (written with its identifiers only).
        package mutating func beginGroup(_ profile: KlaviyoProfile) {
            beginGroup(externalID: profile.externalID, email: profile.email)
        }

        /// Closes the group before, if any, and opens one for the profile with these identifiers: written
        /// as ``KlaviyoRequestBody/profileData(_:)`` renders them, with no tree built per group.
        package mutating func beginGroup(externalID: String, email: String?) {
            if groups > 0 { bytes.append(contentsOf: "]}}},".utf8) }
            groups += 1
            itemsInGroup = 0
            bytes.append(contentsOf: #"{"type":"event-bulk-create","attributes":{"profile":"#.utf8)
            bytes.append(contentsOf: #"{"data":{"type":"profile","attributes":{"#.utf8)
            if let email {
                bytes.append(contentsOf: #""email":"#.utf8)
                JSONText.appendQuoted(email, to: &bytes)
                bytes.append(0x2C)
            }
            bytes.append(contentsOf: #""external_id":"#.utf8)
            JSONText.appendQuoted(externalID, to: &bytes)
            bytes.append(contentsOf: #"}}},"events":{"data":["#.utf8)
        }

        /// Adds an item rendered by ``KlaviyoRequestBody/bulkEventItem(_:includeBackfill:)`` to the open group.
        package mutating func append(item: [UInt8]) {
            if itemsInGroup > 0 { bytes.append(0x2C) }
            itemsInGroup += 1
            bytes.append(contentsOf: item)
        }

        /// The body, every group closed.
        package consuming func finish() -> [UInt8] {
            if groups > 0 { bytes.append(contentsOf: "]}}}".utf8) }
            bytes.append(contentsOf: "]}}}}".utf8)
            return bytes
        }
    }

    /// Profile import (upsert of one profile), with `meta.patch_properties.unset` for the properties
    /// it removes.
    package static func profileImport(_ profile: KlaviyoProfile) -> JSONValue {
        .object([.init("data", profileResource(profile))])
    }

    /// `{"type":"profile","attributes":{…}[,"meta":{"patch_properties":{"unset":[…]}}]}`.
    static func profileResource(_ profile: KlaviyoProfile) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("type", .string("profile")), .init("attributes", profileAttributes(profile)),
        ]
        if !profile.unsetProperties.isEmpty {
            let unset = JSONValue.array(profile.unsetProperties.map(JSONValue.string))
            members.append(.init("meta", .object([.init("patch_properties", .object([.init("unset", unset)]))])))
        }
        return .object(members)
    }

    /// Bulk profile import: up to 10,000 profiles, added to `listIDs` when given.
    package static func profileBulkImport(_ profiles: [KlaviyoProfile], listIDs: [String] = []) -> JSONValue {
        let data = profiles.map(profileResource)
        var members: [JSONValue.Member] = [
            .init("type", .string("profile-bulk-import-job")),
            .init("attributes", .object([.init("profiles", .object([.init("data", .array(data))]))])),
        ]
        if !listIDs.isEmpty {
            let lists = listIDs.map { id -> JSONValue in
                .object([.init("type", .string("list")), .init("id", .string(id))])
            }
            members.append(
                .init("relationships", .object([.init("lists", .object([.init("data", .array(lists))]))]))
            )
        }
        return .object([.init("data", .object(members))])
    }

    /// A suppression job (`delete: false`) or its lifting (`delete: true`) for up to 100 emails.
    package static func suppression(emails: [String], delete: Bool) -> JSONValue {
        let profiles = emails.map { email -> JSONValue in
            .object([
                .init("type", .string("profile")),
                .init("attributes", .object([.init("email", .string(email))])),
            ])
        }
        let type = delete ? "profile-suppression-bulk-delete-job" : "profile-suppression-bulk-create-job"
        return document(
            type: type,
            attributes: .object([.init("profiles", .object([.init("data", .array(profiles))]))])
        )
    }

    /// List membership change: up to 1,000 Klaviyo profile ids.
    package static func listRelationships(profileIDs: [String]) -> JSONValue {
        .object([
            .init(
                "data",
                .array(
                    profileIDs.map { .object([.init("type", .string("profile")), .init("id", .string($0))]) }
                )
            )
        ])
    }

    /// Create List.
    package static func createList(name: String) -> JSONValue {
        document(type: "list", attributes: .object([.init("name", .string(name))]))
    }

    // MARK: - Parts

    /// The attributes of one event, without its profile.
    static func eventAttributes(_ event: KlaviyoEvent, includeBackfill: Bool) -> [JSONValue.Member] {
        var members: [JSONValue.Member] = [
            .init("properties", event.properties),
            .init("time", .string(Timestamp(unixSeconds: event.time).utcSecondsString)),
        ]
        if let value = event.value { members.append(.init("value", .number(value))) }
        if let currency = event.valueCurrency { members.append(.init("value_currency", .string(currency))) }
        members.append(.init("unique_id", .string(event.uniqueID)))
        if includeBackfill { members.append(.init("backfill", .bool(event.backfill))) }
        members.append(
            .init(
                "metric",
                .object([
                    .init(
                        "data",
                        .object([
                            .init("type", .string("metric")),
                            .init("attributes", .object([.init("name", .string(event.metric))])),
                        ])
                    )
                ])
            )
        )
        return members
    }

    /// `{"data":{"type":"profile","attributes":{...}}}`.
    static func profileData(_ profile: KlaviyoProfile) -> JSONValue {
        .object([
            .init(
                "data",
                .object([.init("type", .string("profile")), .init("attributes", profileAttributes(profile))])
            )
        ])
    }

    /// A profile's attributes, leaving out what is unknown (an omitted field keeps Klaviyo's value)
    /// and sending `null` for what the platform cleared.
    static func profileAttributes(_ profile: KlaviyoProfile) -> JSONValue {
        var o = JSONObjectBuilder()
        func add(_ key: String, _ value: String?, _ field: IdentityFields) {
            if let value {
                o.add(key, value)
            } else if profile.cleared.contains(field) {
                o.addNull(key)
            }
        }
        o.add("email", profile.email)
        add("phone_number", profile.phoneNumber, .phone)
        o.add("external_id", profile.externalID)
        add("first_name", profile.firstName, .firstName)
        add("last_name", profile.lastName, .lastName)
        if let address = profile.location {
            var l = JSONObjectBuilder()
            l.add("address1", address.line1)
            l.add("address2", address.line2)
            l.add("city", address.city)
            l.add("region", address.region)
            l.add("zip", address.zip)
            l.add("country", address.country)
            if !l.members.isEmpty { o.add("location", l.object) }
        }
        if let properties = profile.properties { o.add("properties", properties) }
        return o.object
    }

    static func document(type: String, attributes: JSONValue) -> JSONValue {
        .object([.init("data", .object([.init("type", .string(type)), .init("attributes", attributes)]))])
    }
}

/// One profile's events inside a Bulk Create Events request.
package struct ProfileEvents: Sendable, Hashable {
    /// The profile, identifiers only.
    package var profile: KlaviyoProfile
    /// Its events, in send order.
    package var events: [KlaviyoEvent]

    /// Creates a group.
    package init(profile: KlaviyoProfile, events: [KlaviyoEvent]) {
        self.profile = profile.identifiersOnly
        self.events = events
    }
}
