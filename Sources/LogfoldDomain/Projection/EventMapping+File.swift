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
    ///  "storefront": ["Completed Signup", "Cancelled Account"]}
    /// ```
    /// A metric set to `null` switches the type's event off. Unknown list names are refused.
    /// `storefront` names the metrics the storefront's script tracks, which the server side then
    /// leaves out (Started Checkout excepted: its shared `unique_id` deduplicates it).
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
        return mapping
    }
}
