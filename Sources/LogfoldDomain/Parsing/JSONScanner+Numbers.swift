extension JSONScanner {
    /// A JSON number as read: `significand × 10^exponent`, with trailing zeros folded into the
    /// exponent so `47.950` and `4795e-2` read alike.
    package struct Number {
        package var negative: Bool
        /// The digits without leading or trailing zeros.
        package var significand: UInt64
        package var exponent: Int
        /// More than 19 significant digits: the value cannot be held exactly.
        package var overflow: Bool
        /// Where the literal is in the line.
        package var range: Range<Int>

        /// The exact value as an integer, or `nil` if it has a fraction or does not fit `Int64`.
        package var integerValue: Int64? {
            guard !overflow else { return nil }
            var magnitude = significand
            if exponent < 0 { return nil }  // the significand has no trailing zeros, so a fraction remains
            for _ in 0..<exponent {
                let (next, over) = magnitude.multipliedReportingOverflow(by: 10)
                guard !over else { return nil }
                magnitude = next
            }
            if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
            return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
        }

        /// The exact value as an unsigned integer; `-0` is `0`.
        package var unsignedValue: UInt64? {
            guard !overflow, exponent >= 0 else { return significand == 0 && !overflow ? 0 : nil }
            if negative && significand != 0 { return nil }
            var magnitude = significand
            for _ in 0..<exponent {
                let (next, over) = magnitude.multipliedReportingOverflow(by: 10)
                guard !over else { return nil }
                magnitude = next
            }
            return magnitude
        }

        /// The exact value as money, or `nil` when it needs more than ``Money/maximumScale`` fraction
        /// digits or more than 18 significant digits.
        package var moneyValue: Money? {
            guard !overflow, significand <= UInt64(Int64.max) else { return nil }
            var mantissa = Int64(significand)
            var scale = 0
            if exponent < 0 {
                scale = -exponent
            } else {
                for _ in 0..<exponent {
                    let (next, over) = mantissa.multipliedReportingOverflow(by: 10)
                    guard !over else { return nil }
                    mantissa = next
                }
            }
            // 18 digits: every amount then also fits `Decimal` and SQLite exactly, with room to sum.
            guard scale <= Int(Money.maximumScale), mantissa < 1_000_000_000_000_000_000 else { return nil }
            return Money(mantissa: negative ? -mantissa : mantissa, scale: UInt8(scale))
        }
    }

    /// Reads a number with RFC 8259's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    package mutating func readNumber(field: String?) throws(Rejection) -> Number {
        skipWhitespace()
        let start = index
        var number = Number(negative: false, significand: 0, exponent: 0, overflow: false, range: start..<start)
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            number.negative = true
            index += 1
        }
        var digitsSeen = 0
        var pendingZeros = 0
        var significantDigits = 0
        var fractionDigits = 0

        func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

        // Integer part: a lone 0, or a non-zero digit and more.
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw syntaxError("expected a value", field: field)
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            digitsSeen = 1
            if index < bytes.count, isDigit(bytes[index]) {
                throw syntaxError("a number with a leading zero", field: field)
            }
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                accumulate(bytes[index] - UInt8(ascii: "0"))
                index += 1
                digitsSeen += 1
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw syntaxError("a decimal point without digits after it", field: field)
            }
            while index < bytes.count, isDigit(bytes[index]) {
                accumulate(bytes[index] - UInt8(ascii: "0"))
                fractionDigits += 1
                index += 1
            }
        }
        var exponent = 0
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var negativeExponent = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                negativeExponent = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw syntaxError("an exponent without digits", field: field)
            }
            while index < bytes.count, isDigit(bytes[index]) {
                // Clamp: anything this large is out of every range the contract has.
                exponent = min(exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")), 100_000)
                index += 1
            }
            if negativeExponent { exponent = -exponent }
        }
        number.exponent = number.significand == 0 ? 0 : exponent - fractionDigits + pendingZeros
        number.range = start..<index
        return number

        func accumulate(_ digit: UInt8) {
            if digit == 0 {
                // Trailing zeros are held back so they fold into the exponent instead of the significand.
                if significantDigits > 0 { pendingZeros += 1 }
                return
            }
            for _ in 0..<pendingZeros { multiplyAdd(0) }
            pendingZeros = 0
            multiplyAdd(digit)
        }

        func multiplyAdd(_ digit: UInt8) {
            significantDigits += 1
            let (product, over1) = number.significand.multipliedReportingOverflow(by: 10)
            let (sum, over2) = product.addingReportingOverflow(UInt64(digit))
            if over1 || over2 { number.overflow = true }
            number.significand = sum
        }
    }
}
