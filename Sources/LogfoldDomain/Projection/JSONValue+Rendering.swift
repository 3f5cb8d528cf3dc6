extension JSONValue {
    /// Compact JSON text with members in their stored order: deterministic, so golden files and the
    /// digest compare byte for byte.
    package var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    private func render(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let literal): out += literal
        case .string(let s): out += JSONText.quote(s)
        case .array(let elements):
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += "," }
                element.render(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                out += JSONText.quote(member.key) + ":"
                member.value.render(into: &out)
            }
            out += "}"
        }
    }
}

/// Builds an ordered JSON object, leaving out absent values.
package struct JSONObjectBuilder {
    /// The members added so far, in order.
    package private(set) var members: [JSONValue.Member] = []

    /// An empty object.
    package init() {}

    /// Adds a `null` member: a value to clear.
    package mutating func addNull(_ key: String) {
        members.append(.init(key, .null))
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, _ value: String?) {
        if let value { members.append(.init(key, .string(value))) }
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, _ value: Money?) {
        if let value { members.append(.init(key, .number(value.description))) }
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, _ value: Int64?) {
        if let value { members.append(.init(key, .number(String(value)))) }
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, _ value: Bool?) {
        if let value { members.append(.init(key, .bool(value))) }
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, _ value: JSONValue?) {
        if let value { members.append(.init(key, value)) }
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, strings: [String]) {
        members.append(.init(key, .array(strings.map(JSONValue.string))))
    }

    /// The object built.
    package var object: JSONValue { .object(members) }
}
