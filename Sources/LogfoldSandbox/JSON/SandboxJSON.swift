/// A JSON value that keeps what the sandbox must report back exactly: a number's literal text (so
/// `9.990` is echoed as sent, and a JSON number is told apart from a string or a boolean) and the
/// order of an object's members.
///
/// Deliberately not the domain's `JSONValue`: the sandbox stands in for Klaviyo and imports no logfold
/// module, so a bug in logfold's JSON handling cannot hide in the checker too.
package indirect enum SandboxJSON: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// The number's literal text, as validated by the parser's number grammar.
    case number(String)
    /// A string, unescaped.
    case string(String)
    /// An array.
    case array([SandboxJSON])
    /// Members in document order; a repeated key keeps its first value when looked up.
    case object([Member])

    /// One member of an object.
    package struct Member: Sendable, Hashable {
        /// The member's name.
        package var key: String
        /// The member's value.
        package var value: SandboxJSON

        /// Creates a member.
        package init(_ key: String, _ value: SandboxJSON) {
            self.key = key
            self.value = value
        }
    }

    /// The first member named `key` of an object, or `nil` (also when this is not an object).
    package subscript(key: String) -> SandboxJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The string, when this is a string.
    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The members, when this is an object.
    package var objectMembers: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements, when this is an array.
    package var arrayElements: [SandboxJSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is `null`.
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON type's name, for error details ("expected a string, got a number").
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// An object from key-value pairs, in order; convenient for building responses.
    package static func object(_ pairs: KeyValuePairs<String, SandboxJSON>) -> SandboxJSON {
        .object(pairs.map { Member($0.key, $0.value) })
    }

    /// A string, or `null` when `value` is nil.
    package static func string(_ value: String?) -> SandboxJSON {
        value.map { .string($0) } ?? .null
    }

    /// An integer number.
    package static func integer(_ value: some BinaryInteger) -> SandboxJSON {
        .number(String(value))
    }

    /// The object with `key` set to `value` (replacing the first member of that name, or appended).
    package func setting(_ key: String, _ value: SandboxJSON) -> SandboxJSON {
        guard case .object(var members) = self else { return .object([Member(key, value)]) }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append(Member(key, value))
        }
        return .object(members)
    }

    /// The object without any member named `key`.
    package func removing(_ key: String) -> SandboxJSON {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { $0.key != key })
    }
}

extension SandboxJSON: ExpressibleByStringLiteral {
    /// A string literal is a JSON string.
    package init(stringLiteral value: String) { self = .string(value) }
}
