/// A JSON value that keeps member order and exact number literals.
///
/// Used for the free-form `data` object. Order is kept so that re-rendering is deterministic and
/// equal to what the platform wrote; numbers stay as their literal text so `47.95` is never rounded.
package indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number's literal text, validated against JSON's number grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One member of an object.
    package struct Member: Sendable, Hashable {
        package var key: String
        package var value: JSONValue

        /// Creates a member.
        package init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The first member named `key` of an object, or `nil`.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The string, when this is a string.
    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The literal, when this is a number.
    package var numberLiteral: String? {
        if case .number(let n) = self { return n }
        return nil
    }
}
