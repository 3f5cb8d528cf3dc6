extension JSONScanner {
    /// A member name: a view into the line when it has no escapes (the common case, no allocation),
    /// or the decoded text.
    package enum Key {
        case raw(UnsafeRawBufferPointer)
        case decoded(String)

        /// Whether the name equals an ASCII literal.
        @inline(__always)
        package func equals(_ literal: StaticString) -> Bool {
            switch self {
            case .raw(let bytes):
                let count = literal.utf8CodeUnitCount
                guard bytes.count == count else { return false }
                let start = literal.utf8Start
                for offset in 0..<count where bytes[offset] != start[offset] { return false }
                return true
            case .decoded(let text):
                return text.utf8.elementsEqual(
                    UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
            }
        }

        /// The position of the name in `names`, or `nil` for a member the contract does not know.
        @inline(__always)
        package func index(in names: [StaticString]) -> Int? {
            for (i, name) in names.enumerated() where equals(name) { return i }
            return nil
        }

        /// The name as text.
        package var text: String {
            switch self {
            case .raw(let bytes): String(decoding: bytes, as: UTF8.self)
            case .decoded(let text): text
            }
        }
    }

    /// Reads a member name and the `:` after it.
    @inline(__always)
    package mutating func readKey(field: String?) throws(Rejection) -> Key {
        guard peek() == UInt8(ascii: "\"") else { throw syntaxError("expected a member name in quotes", field: field) }
        index += 1
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                try expect(UInt8(ascii: ":"), field: field)
                if ascii { return .raw(slice) }
                guard UTF8Validation.isValid(slice) else { throw invalidUTF8(at: start, field: field) }
                return .decoded(String(decoding: slice, as: UTF8.self))
            }
            if byte == UInt8(ascii: "\\") {
                index = start
                let text = try readEscapedString(from: start, field: field)
                try expect(UInt8(ascii: ":"), field: field)
                return .decoded(text)
            }
            if byte < 0x20 { throw controlCharacter(field: field) }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        throw syntaxError("unterminated string", field: field)
    }

    /// Reads a string value into a `String` (for `data` values and messages; snapshot fields use slots).
    package mutating func readString(field: String?) throws(Rejection) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw syntaxError("expected a string", field: field) }
        var scratch: [UInt8] = []  // stays empty, and unallocated, unless the literal has escapes
        let slot = try readText(field: field, scratch: &scratch)
        return text(of: slot, scratch: scratch)
    }

    /// Skips a string, validating escapes and UTF-8 like ``readString(field:)``.
    package mutating func skipString(field: String?) throws(Rejection) {
        guard peek() == UInt8(ascii: "\"") else { throw syntaxError("expected a string", field: field) }
        var scratch: [UInt8] = []
        _ = try readText(field: field, scratch: &scratch)
    }

    /// The slow path: a string with escapes, decoded into a buffer; `start` is just after the quote.
    private mutating func readEscapedString(from start: Int, field: String?) throws(Rejection) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        try decodeEscaped(from: start, into: &buffer, field: field)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Decodes a string literal with escapes, from `start` (just after the quote) through its closing
    /// quote, appending the UTF-8 to `buffer` and validating it.
    mutating func decodeEscaped(from start: Int, into buffer: inout [UInt8], field: String?) throws(Rejection) {
        let first = buffer.count
        index = start
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                let valid = buffer.withUnsafeBytes {
                    UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: $0[first...]))
                }
                guard valid else { throw invalidUTF8(at: start, field: field) }
                return
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw syntaxError("unterminated escape", field: field) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &buffer, field: field)
                default:
                    index -= 1
                    throw syntaxError("unknown escape `\\\(Character(Unicode.Scalar(escape)))`", field: field)
                }
            default:
                if byte < 0x20 { throw controlCharacter(field: field) }
                buffer.append(byte)
                index += 1
            }
        }
        throw syntaxError("unterminated string", field: field)
    }

    /// Decodes `XXXX` (after `\u`), joining surrogate pairs; a lone surrogate is an error, as in
    /// Foundation, because it cannot be stored as UTF-8.
    private mutating func appendUnicodeEscape(to buffer: inout [UInt8], field: String?) throws(Rejection) {
        let high = try readHex4(field: field)
        var scalarValue = UInt32(high)
        if (0xD800...0xDBFF).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else {
                throw syntaxError("a high surrogate `\\u\(String(high, radix: 16))` without its pair", field: field)
            }
            index += 2
            let low = try readHex4(field: field)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw syntaxError("a high surrogate followed by a non-low surrogate", field: field)
            }
            scalarValue = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(high) {
            throw syntaxError("a lone low surrogate `\\u\(String(high, radix: 16))`", field: field)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw syntaxError("an invalid Unicode escape", field: field)
        }
        buffer.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
    }

    private mutating func readHex4(field: String?) throws(Rejection) -> UInt16 {
        guard index + 4 <= bytes.count else { throw syntaxError("a `\\u` escape needs four hex digits", field: field) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntaxError("a `\\u` escape needs four hex digits", field: field)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    func controlCharacter(field: String?) -> Rejection {
        syntaxError("a raw control character inside a string (escape it, e.g. `\\t`, `\\n`)", field: field)
    }

    func invalidUTF8(at offset: Int, field: String?) -> Rejection {
        Rejection(
            .malformedJSON, field: field, reason: "a string is not valid UTF-8",
            remedy: "re-export the log as UTF-8", byteOffset: offset
        )
    }
}
