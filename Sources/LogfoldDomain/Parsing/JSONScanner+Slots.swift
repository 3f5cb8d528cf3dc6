// Readers that validate a value and record where it is (a `TextSlot`) instead of building a `String`.

/// A closed vocabulary of the contract, matched against raw bytes.
protocol ContractVocabulary: CaseIterable, RawRepresentable where RawValue == String {
    /// Each case's spelling as UTF-8, computed once.
    static var spellings: [([UInt8], Self)] { get }
}

extension CustomerStatus: ContractVocabulary {
    static let spellings = allCases.map { (Array($0.rawValue.utf8), $0) }
}

extension DeliverySchedule: ContractVocabulary {
    static let spellings = allCases.map { (Array($0.rawValue.utf8), $0) }
}

extension OrderStatus: ContractVocabulary {
    static let spellings = allCases.map { (Array($0.rawValue.utf8), $0) }
}

extension ItemKind: ContractVocabulary {
    static let spellings = allCases.map { (Array($0.rawValue.utf8), $0) }
}

extension JSONScanner {
    /// Reads a string literal (the caller checked the `"`) into a slot of the line, or of `scratch` when
    /// it has escapes.
    @inline(__always)
    mutating func readText(field: @autoclosure () -> String?, scratch: inout [UInt8]) throws(Rejection) -> TextSlot {
        index += 1
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if !ascii, !UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) {
                    throw invalidUTF8(at: start, field: field())
                }
                index += 1
                return TextSlot(start: Int32(start), end: Int32(index - 1), inScratch: false)
            }
            if byte == UInt8(ascii: "\\") {
                let first = scratch.count
                try decodeEscaped(from: start, into: &scratch, field: field())
                return TextSlot(start: Int32(first), end: Int32(scratch.count), inScratch: true)
            }
            if byte < 0x20 { throw controlCharacter(field: field()) }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        throw syntaxError("unterminated string", field: field())
    }

    /// Calls `body` with the bytes of `slot`.
    @inline(__always)
    func withBytes<R>(of slot: TextSlot, scratch: [UInt8], _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if slot.inScratch {
            return scratch.withUnsafeBytes {
                body(UnsafeRawBufferPointer(rebasing: $0[Int(slot.start)..<Int(slot.end)]))
            }
        }
        return body(UnsafeRawBufferPointer(rebasing: bytes[Int(slot.start)..<Int(slot.end)]))
    }

    /// The text of `slot` (for messages and for building a `LogEntry`).
    func text(of slot: TextSlot, scratch: [UInt8]) -> String {
        withBytes(of: slot, scratch: scratch) { String(decoding: $0, as: UTF8.self) }
    }

    /// A string or `null` (absent).
    @inline(__always)
    mutating func optionalText(field: @autoclosure () -> String, scratch: inout [UInt8]) throws(Rejection) -> TextSlot?
    {
        switch peek() {
        case UInt8(ascii: "\""): return try readText(field: field(), scratch: &scratch)
        case UInt8(ascii: "n") where consumeNull(): return nil
        default: throw wrongType("a string", field: field())
        }
    }

    /// A non-empty string (an id), or `null` (absent); an empty string is invalid.
    mutating func optionalNonEmptyText(field: @autoclosure () -> String, scratch: inout [UInt8]) throws(Rejection)
        -> TextSlot?
    {
        let offset = index
        guard let slot = try optionalText(field: field(), scratch: &scratch) else { return nil }
        guard !slot.isEmpty else {
            throw invalid(
                "the value is empty", field: field(), remedy: "send the platform's id, or omit the member", at: offset)
        }
        return slot
    }

    /// A value from a closed vocabulary, or `null` (absent).
    mutating func optionalVocabulary<E: ContractVocabulary>(
        _ type: E.Type, field: @autoclosure () -> String, scratch: inout [UInt8]
    ) throws(Rejection) -> E? {
        let offset = index
        guard let slot = try optionalText(field: field(), scratch: &scratch) else { return nil }
        let match = withBytes(of: slot, scratch: scratch) { bytes in
            E.spellings.first { $0.0.elementsEqual(bytes) }?.1
        }
        guard let match else {
            let allowed = E.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            throw invalid(
                "`\(text(of: slot, scratch: scratch))` is not one of \(allowed)", field: field(),
                remedy: "map the platform's value to one of the contract's", at: offset)
        }
        return match
    }

    /// A calendar date (`YYYY-MM-DD`), or with `allowDateTime` also an RFC 3339 date-time; `null` is absent.
    mutating func optionalDateText(field: @autoclosure () -> String, allowDateTime: Bool, scratch: inout [UInt8])
        throws(Rejection) -> TextSlot?
    {
        let offset = index
        guard let slot = try optionalText(field: field(), scratch: &scratch) else { return nil }
        let valid = withBytes(of: slot, scratch: scratch) { raw in
            let b = raw.assumingMemoryBound(to: UInt8.self)
            return RFC3339.isCalendarDate(bytes: b) || (allowDateTime && RFC3339.parse(bytes: b) != nil)
        }
        guard valid else {
            let expected = allowDateTime ? "a date (YYYY-MM-DD) or an RFC 3339 date-time" : "a date (YYYY-MM-DD)"
            throw invalid(
                "`\(text(of: slot, scratch: scratch))` is not \(expected)", field: field(),
                remedy: "write `\(field())` as \(expected), e.g. 2020-05-15", at: offset)
        }
        return slot
    }

    /// An RFC 3339 date-time with an offset, or `null` (absent).
    mutating func optionalInstant(field: @autoclosure () -> String, scratch: inout [UInt8]) throws(Rejection)
        -> Timestamp?
    {
        let offset = index
        guard let slot = try optionalText(field: field(), scratch: &scratch) else { return nil }
        let parsed = withBytes(of: slot, scratch: scratch) {
            RFC3339.parse(bytes: $0.assumingMemoryBound(to: UInt8.self))
        }
        guard let parsed else {
            throw invalid(
                "`\(text(of: slot, scratch: scratch))` is not an RFC 3339 date-time with an offset (or a date that does not exist)",
                field: field(), remedy: "write it like 2020-05-15T13:03:56-04:00", at: offset)
        }
        return parsed
    }

    /// An ISO 4217 code (three upper-case letters), or `null` (absent, meaning USD).
    mutating func optionalCurrencyText(field: @autoclosure () -> String, scratch: inout [UInt8]) throws(Rejection)
        -> TextSlot?
    {
        let offset = index
        guard let slot = try optionalText(field: field(), scratch: &scratch) else { return nil }
        let valid = withBytes(of: slot, scratch: scratch) {
            $0.count == 3 && $0.allSatisfy { (0x41...0x5A).contains($0) }
        }
        guard valid else {
            throw invalid(
                "`\(text(of: slot, scratch: scratch))` is not an ISO 4217 code", field: field(),
                remedy: "send three upper-case letters such as USD", at: offset)
        }
        return slot
    }

    /// An array of strings or `null` (empty), appended to `into`; returns the range it filled.
    mutating func textArray(
        field: @autoclosure () -> String, into list: inout [TextSlot], scratch: inout [UInt8],
        maximum: Int = EntryLimits.categoriesPerItem
    ) throws(Rejection) -> Range<Int> {
        let first = list.count
        if consumeNull() { return first..<first }
        guard consume(UInt8(ascii: "[")) else { throw wrongType("an array of strings", field: field()) }
        if consume(UInt8(ascii: "]")) { return first..<first }
        repeat {
            guard list.count - first < maximum else {
                throw Rejection(
                    .invalidValue, field: field(), reason: "more than \(maximum) strings",
                    remedy: "send at most \(maximum)", byteOffset: index)
            }
            guard peek() == UInt8(ascii: "\"") else {
                throw wrongType("a string", field: "\(field())[\(list.count - first)]")
            }
            list.append(try readText(field: field(), scratch: &scratch))
        } while try nextElement(field: field())
        try expect(UInt8(ascii: "]"), field: field())
        return first..<list.count
    }
}
