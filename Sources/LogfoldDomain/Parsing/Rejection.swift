/// Why an input line is not a valid contract-v1 entry: what, where, and what to do.
///
/// The parser fills in the code, field and reason; the ingest runner adds the source and line, so the
/// message an operator reads names the file, the line, the field and a remedy.
package struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of the problem; extensible like swift-nio's error codes.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        package let rawValue: String
        package var description: String { rawValue }

        /// The line is not JSON (syntax error, bad escape, invalid UTF-8, trailing text).
        package static let malformedJSON = Code(rawValue: "malformed_json")
        /// The line is JSON but not an object.
        package static let notAnObject = Code(rawValue: "not_an_object")
        /// A required member is absent or `null`.
        package static let missingField = Code(rawValue: "missing_field")
        /// A member has the wrong JSON type.
        package static let wrongType = Code(rawValue: "wrong_type")
        /// A member has the right type but a value the contract does not allow.
        package static let invalidValue = Code(rawValue: "invalid_value")
        /// The same member appears twice in one object, which makes its value ambiguous.
        package static let duplicateMember = Code(rawValue: "duplicate_member")
        /// The entry id is already journaled with different content.
        package static let conflictingDuplicate = Code(rawValue: "conflicting_duplicate")
        /// The line is longer than the configured maximum.
        package static let tooLong = Code(rawValue: "too_long")
    }

    package var code: Code
    /// The member's path, for example `customer.status` or `order.items[2].quantity`; `nil` for the whole line.
    package var field: String?
    /// For a line too long to be held: its whole length in bytes (the rejects file keeps a prefix).
    package var lineLength: Int?
    /// For a line too long to be held: CRC-32C of the whole line.
    package var lineChecksum: UInt32?
    package var reason: String
    package var remedy: String
    /// Byte offset inside the line where the problem was found, when known.
    package var byteOffset: Int?
    /// The file path (or `stdin`, or `http`) the line came from; set by the ingest runner.
    package var source: String?
    /// 1-based line number in ``source``; set by the ingest runner.
    package var line: Int?
    /// The entry's id, when it could be read.
    package var entryID: UInt64?

    /// Creates a rejection without a location; the runner adds it.
    package init(_ code: Code, field: String?, reason: String, remedy: String, byteOffset: Int? = nil) {
        self.code = code
        self.field = field
        self.reason = reason
        self.remedy = remedy
        self.byteOffset = byteOffset
    }

    /// `FILE:LINE: field \`customer.status\`: reason (code); remedy`.
    package var description: String {
        var where_ = source ?? "<input>"
        if let line { where_ += ":\(line)" }
        if let byteOffset { where_ += " (byte \(byteOffset))" }
        var text = where_ + ": "
        if let entryID { text += "entry \(entryID): " }
        if let field { text += "field `\(field)`: " }
        return text + reason + " [\(code)]; " + remedy
    }
}
