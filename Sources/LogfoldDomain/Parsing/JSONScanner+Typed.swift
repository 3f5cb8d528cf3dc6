extension JSONScanner {
    /// The JSON type of the next value, for "wrong type" messages; `nil` when no value starts here.
    package mutating func nextValueKind() -> String? {
        switch peek() {
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        case UInt8(ascii: "-"), (UInt8(ascii: "0")...UInt8(ascii: "9"))?: "a number"
        default: nil
        }
    }

    /// A rejection for a value of the wrong JSON type at `field`.
    package mutating func wrongType(_ expected: String, field: String) -> Rejection {
        guard let found = nextValueKind() else { return syntaxError("expected a value", field: field) }
        return Rejection(
            .wrongType, field: field, reason: "expected \(expected), found \(found)",
            remedy: "send `\(field)` as \(expected) (see Journal/log-entry.v1.schema.json)", byteOffset: index
        )
    }

    /// A rejection for a well-typed value the contract does not allow.
    package func invalid(_ reason: String, field: String, remedy: String, at offset: Int) -> Rejection {
        Rejection(.invalidValue, field: field, reason: reason, remedy: remedy, byteOffset: offset)
    }

    /// A boolean or `null` (absent).
    package mutating func optionalBool(field: @autoclosure () -> String) throws(Rejection) -> Bool? {
        switch peek() {
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return try readBool(field: field())
        case UInt8(ascii: "n") where consumeNull(): return nil
        default: throw wrongType("a boolean", field: field())
        }
    }

    /// An exact decimal amount or `null` (absent).
    package mutating func optionalMoney(field: @autoclosure () -> String) throws(Rejection) -> Money? {
        switch peek() {
        case UInt8(ascii: "-"), (UInt8(ascii: "0")...UInt8(ascii: "9"))?:
            let number = try readNumber(field: field())
            guard let money = number.moneyValue else {
                throw invalid(
                    "amount out of range: at most 18 significant digits and \(Money.maximumScale) fraction digits",
                    field: field(), remedy: "send the amount as a plain decimal such as 47.95",
                    at: number.range.lowerBound)
            }
            return money
        case UInt8(ascii: "n") where consumeNull(): return nil
        default: throw wrongType("a decimal number", field: field())
        }
    }

    /// A whole number or `null` (absent); `2.0` and `2e0` count as whole, `2.5` does not.
    package mutating func optionalInteger(field: @autoclosure () -> String) throws(Rejection) -> Int64? {
        switch peek() {
        case UInt8(ascii: "-"), (UInt8(ascii: "0")...UInt8(ascii: "9"))?:
            let number = try readNumber(field: field())
            guard let value = number.integerValue else {
                throw invalid(
                    "expected a whole number in 64-bit range", field: field(),
                    remedy: "send `\(field())` as an integer such as 2", at: number.range.lowerBound)
            }
            return value
        case UInt8(ascii: "n") where consumeNull(): return nil
        default: throw wrongType("an integer", field: field())
        }
    }

    /// Consumes a `,` between members or the closing `}`; returns `false` at the end of the object.
    @inline(__always)
    package mutating func nextMember(field: String?) throws(Rejection) -> Bool {
        if consume(UInt8(ascii: ",")) {
            if peek() == UInt8(ascii: "}") { throw syntaxError("a trailing comma before `}`", field: field) }
            return true
        }
        try expect(UInt8(ascii: "}"), field: field)
        return false
    }

    /// Consumes a `,` between array elements; returns `false` when the next byte closes the array.
    @inline(__always)
    package mutating func nextElement(field: String?) throws(Rejection) -> Bool {
        guard consume(UInt8(ascii: ",")) else { return false }
        if peek() == UInt8(ascii: "]") { throw syntaxError("a trailing comma before `]`", field: field) }
        return true
    }

    /// Opens an object, or reports `null` as absent; returns `false` for `null` and for `{}`.
    package mutating func openObject(field: @autoclosure () -> String) throws(Rejection) -> Bool? {
        if consumeNull() { return nil }
        guard consume(UInt8(ascii: "{")) else { throw wrongType("an object", field: field()) }
        return !consume(UInt8(ascii: "}"))
    }

    /// A rejection for a member that appears twice.
    package func duplicate(_ field: String, at offset: Int) -> Rejection {
        Rejection(
            .duplicateMember, field: field, reason: "the member appears twice in one object",
            remedy: "send each member once; the contract does not say which copy wins", byteOffset: offset)
    }
}
