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
    ///
    /// Reads UTF-8 bytes, not characters: every byte it keeps or skips is ASCII, and any other byte
    /// (a letter, a combining mark, a digit of another script) makes the number unusable, exactly as the
    /// character it belongs to would. The fold normalises a number per entry, so this runs millions of
    /// times in a replay.
    package static func e164(_ raw: String, defaultCountryCode: String = "1") -> String? {
        // On the stack, the digits at `digitsStart` with room before them for the country code and the
        // `+`: three arrays per call (the digits, the code, the two joined) were most of its cost.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer -> String? in
            let digitsStart = 16
            var end = digitsStart
            var leading = true
            var international = false
            for byte in raw.utf8 {
                if leading, byte == UInt8(ascii: " ") { continue }
                if leading, byte == UInt8(ascii: "+") { international = true }
                leading = false
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    buffer[end] = byte
                    end += 1
                    // More digits than E.164 allows: no reading of the rest can make it a number.
                    if end - digitsStart > 15 { return nil }
                case UInt8(ascii: " "), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("),
                    UInt8(ascii: ")"), UInt8(ascii: "/"):
                    continue
                default:
                    return nil  // letters or extensions: not a number Klaviyo would take
                }
            }
            let digitCount = end - digitsStart
            let country = defaultCountryCode.utf8
            var start = digitsStart
            if international {
                // The digits as they are.
            } else if digitCount == 10 {
                // The code goes before the digits; past five bytes the number is longer than E.164 allows.
                guard country.count <= 5 else { return nil }
                start -= country.count
                _ = UnsafeMutableBufferPointer(rebasing: buffer[start..<digitsStart]).initialize(from: country)
            } else if digitCount == 10 + country.count,
                UnsafeBufferPointer(rebasing: buffer[digitsStart..<end]).starts(with: country)
            {
                // Already with the code.
            } else {
                return nil
            }
            guard (7...15).contains(end - start), buffer[start] != UInt8(ascii: "0") else { return nil }
            start -= 1
            buffer[start] = UInt8(ascii: "+")
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
        }
    }
}
