/// A strict RFC 8259 pull scanner over one line's bytes.
///
/// It is the hot path of importing years of history, so it works on raw bytes, allocates only for
/// string values, and reports the byte offset of the first problem. It is stricter than Foundation's
/// decoder where the contract asks for it: no trailing commas, no `NaN`, no leading zeros.
package struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    package var index: Int

    /// Starts scanning at the first byte, skipping a UTF-8 byte-order mark.
    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.index = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    /// Whether only whitespace remains.
    package mutating func atEnd() -> Bool {
        skipWhitespace()
        return index >= bytes.count
    }

    /// The next non-whitespace byte, not consumed; `nil` at the end.
    @inline(__always)
    package mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` if it is next; returns whether it was.
    @inline(__always)
    package mutating func consume(_ byte: UInt8) -> Bool {
        if peek() == byte {
            index += 1
            return true
        }
        return false
    }

    /// Consumes `byte` or throws a syntax rejection naming what was expected.
    @inline(__always)
    package mutating func expect(_ byte: UInt8, field: String?) throws(Rejection) {
        guard consume(byte) else {
            throw syntaxError("expected `\(Character(Unicode.Scalar(byte)))`", field: field)
        }
    }

    /// A rejection for broken JSON at the current offset.
    package func syntaxError(_ what: String, field: String?) -> Rejection {
        let found = index < bytes.count ? describe(bytes[index]) : "end of line"
        return Rejection(
            .malformedJSON, field: field, reason: "not valid JSON: \(what), found \(found)",
            remedy: "fix the line so it is one complete JSON object (JSON Lines: one entry per line)",
            byteOffset: index
        )
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "`\(Character(Unicode.Scalar(byte)))`" : "byte 0x" + String(byte, radix: 16)
    }

    // MARK: Literals

    /// Consumes `true` or `false`.
    package mutating func readBool(field: String?) throws(Rejection) -> Bool {
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw syntaxError("expected `true` or `false`", field: field)
    }

    /// Consumes `null` if it is next.
    @inline(__always)
    package mutating func consumeNull() -> Bool {
        peek() == UInt8(ascii: "n") && matchLiteral("null")
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
        index += count
        return true
    }

    // MARK: Skipping

    /// Skips one value of any type, validating it, without building anything.
    package mutating func skipValue(field: String?, depth: Int = 0) throws(Rejection) {
        guard depth < JSONScanner.maximumDepth else {
            throw Rejection(
                .malformedJSON, field: field, reason: "nesting deeper than \(JSONScanner.maximumDepth) levels",
                remedy: "flatten the value; entries never need such depth", byteOffset: index
            )
        }
        switch peek() {
        case UInt8(ascii: "{"):
            index += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                try skipString(field: field)
                try expect(UInt8(ascii: ":"), field: field)
                try skipValue(field: field, depth: depth + 1)
            } while try nextMember(field: field)
        case UInt8(ascii: "["):
            index += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue(field: field, depth: depth + 1) } while try nextElement(field: field)
            try expect(UInt8(ascii: "]"), field: field)
        case UInt8(ascii: "\""): try skipString(field: field)
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool(field: field)
        case UInt8(ascii: "n"):
            guard consumeNull() else { throw syntaxError("expected a value", field: field) }
        default: _ = try readNumber(field: field)
        }
    }

    /// The deepest nesting accepted; guards the recursion against hostile input.
    package static let maximumDepth = 64
}
