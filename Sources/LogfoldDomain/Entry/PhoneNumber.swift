/// Phone numbers in the E.164 form Klaviyo requires (`+18285550142`).
///
/// The platform stores numbers as people typed them (`828-555-0142`). Klaviyo rejects anything but
/// E.164 with a 400, which in a bulk request rejects every other event too, so numbers are normalised
/// before sending and dropped when they cannot be.
package enum PhoneNumber {
    /// The E.164 form of `raw`, or `nil` when it cannot be made one.
    ///
    /// A leading `+` keeps its country code; ten digits get `defaultCountryCode` (North American
    /// numbering); eleven digits starting with the default code are taken as already including it.
    package static func e164(_ raw: String, defaultCountryCode: String = "1") -> String? {
        let trimmed = raw.drop(while: { $0 == " " })
        let international = trimmed.first == "+"
        var digits = ""
        for character in trimmed {
            if let ascii = character.asciiValue, ascii >= 0x30, ascii <= 0x39 {
                digits.append(character)
            } else if !" +-.()/".contains(character) {
                return nil  // letters or extensions: not a number Klaviyo would take
            }
        }
        let candidate: String
        if international {
            candidate = digits
        } else if digits.count == 10 {
            candidate = defaultCountryCode + digits
        } else if digits.count == 10 + defaultCountryCode.count, digits.hasPrefix(defaultCountryCode) {
            candidate = digits
        } else {
            return nil
        }
        guard (7...15).contains(candidate.count), candidate.first != "0" else { return nil }
        return "+" + candidate
    }
}
