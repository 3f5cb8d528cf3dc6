/// A mapping file could not be used: what is wrong and where.
package struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    package var reason: String
    package var description: String { "mapping file: \(reason)" }
}

extension EventMapping {
    /// Reads a mapping file (JSON) over the defaults.
    ///
    /// ```json
    /// {"version": 1,
    ///  "metrics": {"login": "Signed In", "logout": null, "loyalty.points_awarded": "Earned Points"},
    ///  "lists": {"abandoned": "Abandoned Checkouts"},
    ///  "storefront": ["Completed Signup", "Cancelled Account"],
    ///  "week": {"starts": "sunday", "utc_offset": "-05:00"},
    ///  "activecampaign": {"events": {"login": "Logged In", "logout": null}}}
    /// ```
    /// A metric set to `null` switches the type's event off. Unknown list names are refused.
    /// `storefront` names the metrics the storefront's script tracks, which the server side then
    /// leaves out (Started Checkout excepted: its shared `unique_id` deduplicates it). `week` is the
    /// store's week for the order tag: the day it starts (default Monday) and the UTC offset its days are
    /// counted in (default each entry's own). `activecampaign.events` names ActiveCampaign's tracked events
    /// by entry type the same way (seed 002's names by default; `null` sends none).
    package static func parse(_ bytes: [UInt8], over base: EventMapping = .defaults) throws(MappingError)
        -> EventMapping
    {
        let parsed = bytes.withUnsafeBytes { raw in
            Result { () throws(Rejection) -> JSONValue in
                var scanner = JSONScanner(raw)
                let value = try scanner.readValue(field: "mapping")
                guard scanner.atEnd() else {
                    throw scanner.syntaxError("unexpected text after the mapping", field: nil)
                }
                return value
            }
        }
        let value: JSONValue
        switch parsed {
        case .success(let parsedValue): value = parsedValue
        case .failure(let rejection): throw MappingError(reason: "not valid JSON: \(rejection.reason)")
        }
        guard case .object = value else { throw MappingError(reason: "the top level must be an object") }
        if let version = value["version"], version != .number("1") {
            throw MappingError(reason: "unsupported version \(version); this build reads version 1")
        }
        var mapping = base
        if let metrics = value["metrics"] {
            guard case .object(let members) = metrics else { throw MappingError(reason: "`metrics` must be an object") }
            for member in members {
                switch member.value {
                case .null: mapping.metrics[member.key] = nil
                case .string(let name) where !name.isEmpty: mapping.metrics[member.key] = name
                default: throw MappingError(reason: "`metrics.\(member.key)` must be a non-empty string or null")
                }
            }
        }
        if let lists = value["lists"] {
            guard case .object(let members) = lists else { throw MappingError(reason: "`lists` must be an object") }
            for member in members {
                guard let list = CustomerList(rawValue: member.key) else {
                    let known = CustomerList.allCases.map(\.rawValue).joined(separator: ", ")
                    throw MappingError(reason: "unknown list `\(member.key)`; the lists are \(known)")
                }
                guard case .string(let name) = member.value, !name.isEmpty else {
                    throw MappingError(reason: "`lists.\(member.key)` must be a non-empty string")
                }
                mapping.listNames[list] = name
            }
        }
        if let storefront = value["storefront"] {
            guard case .array(let names) = storefront else {
                throw MappingError(reason: "`storefront` must be an array of metric names")
            }
            var metrics = Set<String>()
            for name in names {
                guard case .string(let metric) = name, !metric.isEmpty else {
                    throw MappingError(reason: "`storefront` must hold non-empty metric names, found \(name)")
                }
                metrics.insert(metric)
            }
            mapping.storefrontMetrics = metrics
        }
        if let week = value["week"] { mapping.calendar = try parseCalendar(week) }
        if let activeCampaign = value["activecampaign"] {
            mapping.activeCampaign = try parseActiveCampaign(activeCampaign, over: mapping.activeCampaign)
        }
        return mapping
    }

    private static func parseActiveCampaign(_ value: JSONValue, over base: ActiveCampaignMapping)
        throws(MappingError) -> ActiveCampaignMapping
    {
        guard case .object(let members) = value, members.allSatisfy({ $0.key == "events" }) else {
            throw MappingError(
                reason:
                    "`activecampaign` must be an object with `events`, e.g. {\"events\": {\"login\": \"Logged In\"}}")
        }
        var mapping = base
        guard let events = value["events"] else { return mapping }
        guard case .object(let names) = events else {
            throw MappingError(reason: "`activecampaign.events` must be an object of entry type to event name")
        }
        for member in names {
            switch member.value {
            case .null: mapping.eventNames[member.key] = nil
            case .string(let name) where name.contains(where: { $0 != " " }):
                mapping.eventNames[member.key] = name
            default:
                throw MappingError(reason: "`activecampaign.events.\(member.key)` must be a non-empty string or null")
            }
        }
        return mapping
    }

    private static func parseCalendar(_ value: JSONValue) throws(MappingError) -> WeekCalendar {
        guard case .object(let members) = value else {
            throw MappingError(
                reason: "`week` must be an object, e.g. {\"starts\": \"monday\", \"utc_offset\": \"+10:00\"}")
        }
        var calendar = WeekCalendar.default
        for member in members {
            switch (member.key, member.value) {
            case ("starts", .string(let name)):
                guard let day = WeekCalendar.Weekday.allCases.first(where: { $0.name == name.lowercased() }) else {
                    throw MappingError(reason: "`week.starts` must name a weekday (monday … sunday), found `\(name)`")
                }
                calendar.firstWeekday = day
            case ("utc_offset", .string(let text)):
                guard let minutes = utcOffsetMinutes(text) else {
                    throw MappingError(
                        reason: "`week.utc_offset` must be `Z` or `±HH:MM` (e.g. `-05:00`), found `\(text)`")
                }
                calendar.utcOffsetMinutes = minutes
            case ("utc_offset", .null):
                calendar.utcOffsetMinutes = nil
            default:
                throw MappingError(
                    reason:
                        "`week.\(member.key)` is not understood; `week` takes `starts` (a weekday) and `utc_offset` (±HH:MM)"
                )
            }
        }
        return calendar
    }

    /// `Z`, `+HH:MM` or `-HH:MM` (hours up to 23, minutes up to 59) in minutes.
    private static func utcOffsetMinutes(_ text: String) -> Int16? {
        if text == "Z" { return 0 }
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
            bytes[3] == UInt8(ascii: ":")
        else { return nil }
        let digits = [bytes[1], bytes[2], bytes[4], bytes[5]]
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let hours = Int16(digits[0] - 0x30) * 10 + Int16(digits[1] - 0x30)
        let minutes = Int16(digits[2] - 0x30) * 10 + Int16(digits[3] - 0x30)
        guard hours < 24, minutes < 60 else { return nil }
        return (bytes[0] == UInt8(ascii: "-") ? -1 : 1) * (hours * 60 + minutes)
    }
}
