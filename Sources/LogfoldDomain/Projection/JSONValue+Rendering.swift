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

/// Where the members of an ordered JSON object go, absent values left out: a tree
/// (``JSONObjectBuilder``) or bytes (``JSONObjectWriter``), so that a message lists its members once
/// for both.
package protocol JSONObjectSink {
    /// Adds a member unless the value is absent.
    mutating func add(_ key: String, _ value: String?)
    /// Adds a member unless the value is absent.
    mutating func add(_ key: String, _ value: Money?)
    /// Adds a member unless the value is absent.
    mutating func add(_ key: String, _ value: Int64?)
    /// Adds a member unless the value is absent.
    mutating func add(_ key: String, _ value: Bool?)
    /// Adds a member unless the value is absent.
    mutating func add(_ key: String, _ value: JSONValue?)
}

/// Builds an ordered JSON object, leaving out absent values.
package struct JSONObjectBuilder: JSONObjectSink {
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

/// Writes an ordered JSON object straight into bytes: exactly what ``JSONValue/write(into:)`` writes for
/// the object ``JSONObjectBuilder`` builds from the same calls, without the tree (an allocation per
/// member, freed at once, for every message of a replay).
package struct JSONObjectWriter: JSONObjectSink {
    private var bytes: [UInt8] = []
    private var hasMembers = false

    /// An empty object, its bytes reserved for `capacity`.
    package init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
        bytes.append(0x7B)
    }

    private mutating func key(_ key: String) {
        if hasMembers { bytes.append(0x2C) }
        hasMembers = true
        JSONText.appendQuoted(key, to: &bytes)
        bytes.append(0x3A)
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        JSONText.appendQuoted(value, to: &bytes)
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, _ value: Money?) {
        guard let value else { return }
        self.key(key)
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, _ value: Int64?) {
        guard let value else { return }
        self.key(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, _ value: Bool?) {
        guard let value else { return }
        self.key(key)
        JSONValue.bool(value).write(into: &bytes)
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: String, _ value: JSONValue?) {
        guard let value else { return }
        self.key(key)
        value.write(into: &bytes)
    }

    /// The object's bytes, closed.
    package consuming func finish() -> [UInt8] {
        bytes.append(0x7D)
        return bytes
    }
}
