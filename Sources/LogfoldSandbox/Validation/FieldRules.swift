/// The per-field checks Klaviyo applies, as pure predicates over strings.
package enum FieldRules {
    /// Longest `unique_id` accepted.
    package static let maximumUniqueIDLength = 255
    /// Most members an event's `properties` may have.
    package static let maximumPropertyCount = 400
    /// Longest string (in UTF-8 bytes) anywhere in an event's properties: 100 KB.
    package static let maximumStringBytes = 100 * 1024

    /// Whether `phone` is E.164: `+`, a non-zero digit, then 6 to 14 more digits.
    package static func isE164(_ phone: String) -> Bool {
        let b = Array(phone.utf8)
        guard b.count >= 8, b.count <= 16, b[0] == UInt8(ascii: "+") else { return false }
        guard b[1] >= UInt8(ascii: "1"), b[1] <= UInt8(ascii: "9") else { return false }
        return b.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Whether `email` looks like an address: one `@`, a non-empty local part, a dotted domain whose
    /// labels are non-empty, no whitespace, at most 254 bytes.
    package static func looksLikeEmail(_ email: String) -> Bool {
        guard email.utf8.count <= 254, !email.unicodeScalars.contains(where: { $0.properties.isWhitespace })
        else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }

    /// Whether `code` is three upper-case ASCII letters (the shape of an ISO 4217 code).
    package static func isCurrencyCode(_ code: String) -> Bool {
        let b = Array(code.utf8)
        return b.count == 3 && b.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }
}
