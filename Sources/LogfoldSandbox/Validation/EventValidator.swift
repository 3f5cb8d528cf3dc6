/// Pure checks of Create Event and Bulk Create Events bodies: every problem found, each with the JSON
/// pointer of its field, and nothing returned unless the whole body is valid (all-or-nothing).
package struct EventValidator: Sendable {
    /// Whether the request's revision lets events send `backfill`.
    package var backfillAllowed: Bool
    /// The sandbox clock, in Unix seconds: `time` may be at most a year past it.
    package var now: Int64

    /// Most events one bulk request may carry.
    package static let maximumBulkEvents = 1_000
    /// How far ahead of the clock an event's `time` may be (one year).
    package static let maximumFutureSeconds: Int64 = 365 * 86_400
    /// The first year Klaviyo accepts safely.
    package static let minimumYear: Int64 = 2000

    static let eventAttributes: Set<String> = [
        "properties", "time", "value", "value_currency", "unique_id", "backfill", "metric", "profile",
    ]
    static let bulkEventAttributes = eventAttributes.subtracting(["profile"])

    /// Creates a validator for one request.
    package init(backfillAllowed: Bool, now: Int64) {
        self.backfillAllowed = backfillAllowed
        self.now = now
    }

    /// Checks a Create Event body (`POST /api/events`).
    package func createEvent(_ body: SandboxJSON) throws(SandboxRejection) -> EventBatch {
        var problems = Problems()
        let data = JSONPointer(path: "/data")
        guard let resource = problems.object(body["data"], data) else { throw SandboxRejection(problems.errors) }
        problems.type(resource, "event", data)
        try problems.check()
        let attributesPointer = data.appending("attributes")
        guard let attributes = problems.object(resource["attributes"], attributesPointer) else {
            throw SandboxRejection(problems.errors)
        }
        problems.unknownMembers(attributes, allowed: Self.eventAttributes, attributesPointer)
        let profilePointer = attributesPointer.appending("profile")
        var profile = ProfilePatch()
        if let wrapper = problems.object(attributes["profile"], profilePointer) {
            profile = ProfileValidator.resource(
                wrapper["data"], at: profilePointer.appending("data"), problems: &problems)
        }
        let event = self.event(attributes, at: attributesPointer, inheritedBackfill: nil, problems: &problems)
        try problems.check()
        guard let event else { throw SandboxRejection(problems.errors) }
        return EventBatch(groups: [EventBatch.Group(profile: profile, events: [event])])
    }

    /// Checks a Bulk Create Events body (`POST /api/event-bulk-create-jobs`).
    package func bulkCreate(_ body: SandboxJSON) throws(SandboxRejection) -> EventBatch {
        var problems = Problems()
        let data = JSONPointer(path: "/data")
        guard let job = problems.object(body["data"], data) else { throw SandboxRejection(problems.errors) }
        problems.type(job, "event-bulk-create-job", data)
        try problems.check()
        let attributes = data.appending("attributes")
        let itemsPointer = attributes.appending(path: "events-bulk-create", "data")
        guard let object = problems.object(job["attributes"], attributes),
            let wrapper = problems.object(object["events-bulk-create"], attributes.appending("events-bulk-create")),
            let items = problems.array(wrapper["data"], itemsPointer)
        else { throw SandboxRejection(problems.errors) }
        let total = items.reduce(0) { $0 + ($1["attributes"]?["events"]?["data"]?.arrayElements?.count ?? 0) }
        guard total <= Self.maximumBulkEvents else {
            throw SandboxRejection(
                .invalid(itemsPointer, "\(total) events in one request; the limit is \(Self.maximumBulkEvents)."))
        }
        guard !items.isEmpty else { throw SandboxRejection(.invalid(itemsPointer, "At least one event is required.")) }
        var groups: [EventBatch.Group] = []
        for (i, item) in items.enumerated() {
            if let group = self.group(item, at: itemsPointer.appending(i), problems: &problems) {
                groups.append(group)
            }
        }
        try problems.check()
        return EventBatch(groups: groups)
    }

    /// One `event-bulk-create` item: a profile and its events.
    private func group(_ item: SandboxJSON, at pointer: JSONPointer, problems: inout Problems) -> EventBatch.Group? {
        guard let item = problems.object(item, pointer) else { return nil }
        problems.type(item, "event-bulk-create", pointer)
        let attributesPointer = pointer.appending("attributes")
        guard let attributes = problems.object(item["attributes"], attributesPointer) else { return nil }
        problems.unknownMembers(attributes, allowed: ["profile", "events", "backfill"], attributesPointer)
        let inherited = backfill(attributes["backfill"], attributesPointer.appending("backfill"), &problems)
        let profilePointer = attributesPointer.appending("profile")
        var profile = ProfilePatch()
        if let wrapper = problems.object(attributes["profile"], profilePointer) {
            profile = ProfileValidator.resource(
                wrapper["data"], at: profilePointer.appending("data"), problems: &problems)
        }
        let eventsPointer = attributesPointer.appending(path: "events", "data")
        guard let wrapper = problems.object(attributes["events"], attributesPointer.appending("events")),
            let elements = problems.array(wrapper["data"], eventsPointer)
        else { return nil }
        if elements.isEmpty { problems.add(eventsPointer, "At least one event is required.") }
        var events: [ValidatedEvent] = []
        for (j, element) in elements.enumerated() {
            let at = eventsPointer.appending(j)
            guard let resource = problems.object(element, at) else { continue }
            problems.type(resource, "event", at)
            guard let attributes = problems.object(resource["attributes"], at.appending("attributes")) else {
                continue
            }
            problems.unknownMembers(attributes, allowed: Self.bulkEventAttributes, at.appending("attributes"))
            if let event = event(
                attributes, at: at.appending("attributes"), inheritedBackfill: inherited, problems: &problems)
            {
                events.append(event)
            }
        }
        return EventBatch.Group(profile: profile, events: events)
    }

    /// The fields of one event's `attributes` object.
    private func event(
        _ attributes: SandboxJSON, at pointer: JSONPointer, inheritedBackfill: Bool?, problems: inout Problems
    ) -> ValidatedEvent? {
        let start = problems.errors.count
        let properties = self.properties(attributes["properties"], pointer.appending("properties"), &problems)
        let metric = self.metric(attributes["metric"], pointer.appending("metric"), &problems)
        let time = self.time(attributes["time"], pointer.appending("time"), &problems)

        var value: String?
        switch attributes["value"] {
        case nil, .null?: break
        case .number(let n)?: value = n
        case let other?: problems.add(pointer.appending("value"), "'value' must be a number, got \(other.typeName).")
        }
        let currencyPointer = pointer.appending("value_currency")
        let currency = problems.optionalString(attributes["value_currency"], currencyPointer).value
        if let currency, !FieldRules.isCurrencyCode(currency) {
            problems.add(currencyPointer, "Invalid currency '\(currency)': expected an ISO 4217 code such as USD.")
        }
        let uniquePointer = pointer.appending("unique_id")
        let uniqueID = problems.optionalString(attributes["unique_id"], uniquePointer).value
        if let uniqueID {
            if uniqueID.isEmpty {
                problems.add(uniquePointer, "'unique_id' must not be empty.")
            } else if uniqueID.count > FieldRules.maximumUniqueIDLength {
                problems.add(
                    uniquePointer,
                    "'unique_id' is \(uniqueID.count) characters; at most \(FieldRules.maximumUniqueIDLength).")
            }
        }
        let own = backfill(attributes["backfill"], pointer.appending("backfill"), &problems)
        guard problems.errors.count == start, let properties, let metric else { return nil }
        return ValidatedEvent(
            metric: metric, properties: properties, time: time, value: value, valueCurrency: currency,
            uniqueID: uniqueID, backfill: own ?? inheritedBackfill ?? false, pointer: pointer)
    }

    private func properties(_ value: SandboxJSON?, _ pointer: JSONPointer, _ problems: inout Problems)
        -> [SandboxJSON.Member]?
    {
        guard let object = problems.object(value, pointer), let members = object.objectMembers else { return nil }
        if members.count > FieldRules.maximumPropertyCount {
            problems.add(pointer, "\(members.count) properties; at most \(FieldRules.maximumPropertyCount).")
        }
        checkStrings(object, pointer, &problems)
        return members
    }

    /// Records every string longer than 100 KB, however deep.
    private func checkStrings(_ value: SandboxJSON, _ pointer: JSONPointer, _ problems: inout Problems) {
        switch value {
        case .string(let s) where s.utf8.count > FieldRules.maximumStringBytes:
            problems.add(pointer, "String of \(s.utf8.count) bytes; at most \(FieldRules.maximumStringBytes) (100 KB).")
        case .object(let members):
            for member in members { checkStrings(member.value, pointer.appending(member.key), &problems) }
        case .array(let elements):
            for (i, element) in elements.enumerated() { checkStrings(element, pointer.appending(i), &problems) }
        default: break
        }
    }

    private func metric(_ value: SandboxJSON?, _ pointer: JSONPointer, _ problems: inout Problems) -> String? {
        guard let wrapper = problems.object(value, pointer) else { return nil }
        let data = pointer.appending("data")
        guard let resource = problems.object(wrapper["data"], data) else { return nil }
        problems.type(resource, "metric", data)
        guard let attributes = problems.object(resource["attributes"], data.appending("attributes")) else { return nil }
        let namePointer = data.appending(path: "attributes", "name")
        guard case .string(let name)? = attributes["name"] else {
            problems.add(namePointer, "The metric 'name' is required and must be a string.")
            return nil
        }
        guard !name.allSatisfy(\.isWhitespace) else {
            problems.add(namePointer, "The metric 'name' must not be empty.")
            return nil
        }
        return name
    }

    private func time(_ value: SandboxJSON?, _ pointer: JSONPointer, _ problems: inout Problems) -> Int64? {
        switch value {
        case nil, .null?:
            return nil
        case .string(let text)?:
            guard let seconds = Timestamp.unixSeconds(text) else {
                problems.add(
                    pointer,
                    "Invalid time '\(text)': expected ISO 8601 with an offset, such as 2024-05-01T12:00:00+00:00.")
                return nil
            }
            if Timestamp.year(unixSeconds: seconds) < Self.minimumYear {
                problems.add(pointer, "Time '\(text)' is before the year \(Self.minimumYear).")
            } else if seconds > now + Self.maximumFutureSeconds {
                problems.add(pointer, "Time '\(text)' is more than one year in the future.")
            }
            return seconds
        case let other?:
            problems.add(pointer, "'time' must be an ISO 8601 string, got \(other.typeName).")
            return nil
        }
    }

    /// `backfill`: a boolean, only from revision 2026-04-15 on; `nil` when absent or null.
    private func backfill(_ value: SandboxJSON?, _ pointer: JSONPointer, _ problems: inout Problems) -> Bool? {
        switch value {
        case nil, .null?:
            return nil
        case .bool(let flag)?:
            guard backfillAllowed else {
                problems.add(pointer, "'backfill' needs revision 2026-04-15 or later.")
                return nil
            }
            return flag
        case let other?:
            problems.add(pointer, "'backfill' must be a boolean, got \(other.typeName).")
            return nil
        }
    }
}
