extension JSONValue {
    /// The same text as ``rendered``, as UTF-8 bytes appended to `out`.
    ///
    /// The sender renders every event it sends; building bytes directly avoids the per-character
    /// `String` appends that dominated its profile.
    package func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: Self.nullBytes)
        case .bool(let b): out.append(contentsOf: b ? Self.trueBytes : Self.falseBytes)
        case .number(let literal): out.append(contentsOf: literal.utf8)
        case .string(let s): JSONText.appendQuoted(s, to: &out)
        case .array(let elements):
            out.append(0x5B)
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(0x2C) }
                element.write(into: &out)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(0x2C) }
                JSONText.appendQuoted(member.key, to: &out)
                out.append(0x3A)
                member.value.write(into: &out)
            }
            out.append(0x7D)
        }
    }

    /// ``write(into:)`` into a new array.
    package var renderedBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    private static let nullBytes = Array("null".utf8)
    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
}

extension JSONText {
    /// Appends `value` in decimal, exactly as `String(value)` spells it, with no string between.
    package static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        var rest = value.magnitude
        var count = 1
        var scan = rest
        while scan >= 10 {
            scan /= 10
            count += 1
        }
        let end = out.count + count
        out.append(contentsOf: repeatElement(0x30, count: count))
        out.withUnsafeMutableBufferPointer { digits in
            var i = end - 1
            repeat {
                digits[i] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                i -= 1
            } while rest > 0
        }
    }

    /// Appends `value` as a JSON string literal, escaped exactly like ``quote(_:)``.
    package static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendQuoted(utf8: UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Appends UTF-8 `bytes` as a JSON string literal, exactly as ``appendQuoted(_:to:)`` appends the
    /// `String` they spell.
    ///
    /// `words` must be memory bound to `UInt8` (a `String`'s or an `[UInt8]`'s storage) and valid UTF-8
    /// (checked by the caller, as `CompactReader` does): the bytes are copied as they are.
    ///
    /// Text that needs no escaping, nearly all of it, goes in with one copy; runs between escapes are
    /// copied from contiguous memory, not through a generic slice.
    package static func appendQuoted(utf8 words: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let bytes = words.assumingMemoryBound(to: UInt8.self)
        var i = firstToEscape(bytes, from: 0)
        if i == bytes.count {
            out.append(0x22)
            out.append(contentsOf: bytes)
            out.append(0x22)
            return
        }
        out.append(0x22)
        var start = 0
        while i < bytes.count {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
            switch bytes[i] {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case let byte:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
            start = i + 1
            i = firstToEscape(bytes, from: start)
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        out.append(0x22)
    }

    /// The offset of the first byte from `start` on that JSON escapes (a control character, `"` or a
    /// backslash), or the count when there is none.
    @inline(__always)
    private static func firstToEscape(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        // Eight bytes at a time while none of them needs escaping, as in nearly all text: the
        // byte-at-a-time scan was a twentieth of a replay's fold.
        while i + 8 <= bytes.count,
            !mayNeedEscaping(UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: i, as: UInt64.self))
        {
            i += 8
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C { return i }
            i += 1
        }
        return i
    }

    /// Whether any of the eight bytes in `word` is a control character, `"` or a backslash (exact: no byte of
    /// text is taken for one, whatever its neighbours).
    @inline(__always)
    package static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte below 0x20: its top bit set after subtracting 0x20 from each, and not set before.
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        // A zero byte in `quote` or `backslash` is a `"` or a backslash in `word`.
        return control | ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs) != 0
    }
}
