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
///
/// Keys are static, ASCII and need no escaping: the writer copies them as they are. Only
/// ``add(members:)`` takes names from input, and escapes them.
package protocol JSONObjectSink {
    /// Adds a member unless the value is absent.
    mutating func add(_ key: StaticString, _ value: String?)
    /// Adds a member unless the value is absent.
    mutating func add(_ key: StaticString, _ value: Money?)
    /// Adds a member unless the value is absent.
    mutating func add(_ key: StaticString, _ value: Int64?)
    /// Adds a member unless the value is absent.
    mutating func add(_ key: StaticString, _ value: Bool?)
    /// Adds a member unless the value is absent.
    mutating func add(_ key: StaticString, _ value: JSONValue?)
    /// Adds the instant in UTC to the second (``Timestamp/utcSecondsString``).
    mutating func add(_ key: StaticString, utcSeconds time: Timestamp)
    /// Adds the instant in its own offset (``Timestamp/rfc3339String``).
    mutating func add(_ key: StaticString, rfc3339 time: Timestamp)
    /// Adds an object whose members `members` adds.
    mutating func addObject(_ key: StaticString, _ members: (inout Self) -> Void)
    /// Adds members whose names are not static (an entry's own `data`), in order.
    mutating func add(members: [JSONValue.Member])
    /// Adds an array of objects, one per element, whose members `members` adds.
    mutating func addObjects<Elements: Sequence>(
        _ key: StaticString, _ elements: Elements, _ members: (Elements.Element, inout Self) -> Void)
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

extension JSONObjectBuilder {
    /// Adds a member unless the value is absent.
    package mutating func add(_ key: StaticString, _ value: String?) { add(key.description, value) }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: StaticString, _ value: Money?) { add(key.description, value) }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: StaticString, _ value: Int64?) { add(key.description, value) }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: StaticString, _ value: Bool?) { add(key.description, value) }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: StaticString, _ value: JSONValue?) { add(key.description, value) }

    /// Adds the instant in UTC to the second (``Timestamp/utcSecondsString``).
    package mutating func add(_ key: StaticString, utcSeconds time: Timestamp) {
        add(key.description, time.utcSecondsString)
    }

    /// Adds the instant in its own offset (``Timestamp/rfc3339String``).
    package mutating func add(_ key: StaticString, rfc3339 time: Timestamp) {
        add(key.description, time.rfc3339String)
    }

    /// Adds members whose names are not static, in order.
    package mutating func add(members: [JSONValue.Member]) { self.members += members }

    /// Adds an object whose members `members` adds.
    package mutating func addObject(_ key: StaticString, _ members: (inout Self) -> Void) {
        var nested = JSONObjectBuilder()
        members(&nested)
        add(key.description, nested.object)
    }

    /// Adds an array of objects, one per element, whose members `members` adds.
    package mutating func addObjects<Elements: Sequence>(
        _ key: StaticString, _ elements: Elements, _ members: (Elements.Element, inout Self) -> Void
    ) {
        addObjects(named: key.description, elements, members)
    }

    /// ``addObjects(_:_:_:)`` under a name given as text (a message property's).
    package mutating func addObjects<Elements: Sequence>(
        named key: String, _ elements: Elements, _ members: (Elements.Element, inout Self) -> Void
    ) {
        let objects = elements.map { element in
            var nested = JSONObjectBuilder()
            members(element, &nested)
            return nested.object
        }
        add(key, JSONValue.array(objects))
    }
}

/// Writes an ordered JSON object straight into bytes: exactly what ``JSONValue/write(into:)`` writes for
/// the object ``JSONObjectBuilder`` builds from the same calls, without the tree (an allocation per
/// member, freed at once, for every message of a replay).
package struct JSONObjectWriter: JSONObjectSink {
    private var bytes: [UInt8] = []
    private var hasMembers = false

    /// An empty object, its bytes reserved for `capacity` (most ActiveCampaign messages pass 256 bytes).
    package init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
        bytes.append(0x7B)
    }

    /// The comma before every member but the first, and the key, copied as it is (a static key needs no
    /// escaping; quoting each key through the general path was a quarter of writing a message).
    private mutating func key(_ key: StaticString) {
        assert(!key.description.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }, "\(key) needs escaping")
        if hasMembers { bytes.append(0x2C) }
        hasMembers = true
        bytes.append(0x22)
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(0x22)
        bytes.append(0x3A)
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        JSONText.appendQuoted(value, to: &bytes)
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: StaticString, _ value: Money?) {
        guard let value else { return }
        self.key(key)
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        self.key(key)
        JSONText.appendDecimal(value, to: &bytes)
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        self.key(key)
        JSONValue.bool(value).write(into: &bytes)
    }

    /// Adds a member unless the value is absent.
    package mutating func add(_ key: StaticString, _ value: JSONValue?) {
        guard let value else { return }
        self.key(key)
        value.write(into: &bytes)
    }

    /// Adds the instant in UTC to the second, written with no string between.
    package mutating func add(_ key: StaticString, utcSeconds time: Timestamp) {
        self.key(key)
        time.appendQuotedUTCSeconds(to: &bytes)
    }

    /// Adds the instant in its own offset, written with no string between.
    package mutating func add(_ key: StaticString, rfc3339 time: Timestamp) {
        self.key(key)
        time.appendQuotedRFC3339(to: &bytes)
    }

    /// Adds members whose names are not static, each name quoted and escaped.
    package mutating func add(members: [JSONValue.Member]) {
        for member in members {
            if hasMembers { bytes.append(0x2C) }
            hasMembers = true
            JSONText.appendQuoted(member.key, to: &bytes)
            bytes.append(0x3A)
            member.value.write(into: &bytes)
        }
    }

    /// Adds the members of `object`, a rendered JSON object (`{` … `}`), as they are written there.
    package mutating func add(membersOf object: [UInt8]) {
        guard object.count > 2 else { return }
        if hasMembers { bytes.append(0x2C) }
        hasMembers = true
        bytes.append(contentsOf: object[1..<(object.count - 1)])
    }

    /// Adds an object whose members `members` writes in place.
    package mutating func addObject(_ key: StaticString, _ members: (inout Self) -> Void) {
        self.key(key)
        writeObject(members)
    }

    /// Adds an array of objects, one per element, each written in place.
    package mutating func addObjects<Elements: Sequence>(
        _ key: StaticString, _ elements: Elements, _ members: (Elements.Element, inout Self) -> Void
    ) {
        self.key(key)
        bytes.append(0x5B)
        var first = true
        for element in elements {
            if !first { bytes.append(0x2C) }
            first = false
            writeObject { members(element, &$0) }
        }
        bytes.append(0x5D)
    }

    /// A nested object's braces and members; the enclosing object has a member again after it.
    private mutating func writeObject(_ members: (inout Self) -> Void) {
        bytes.append(0x7B)
        hasMembers = false
        members(&self)
        bytes.append(0x7D)
        hasMembers = true
    }

    /// The object's bytes, closed.
    package consuming func finish() -> [UInt8] {
        bytes.append(0x7D)
        return bytes
    }
}
