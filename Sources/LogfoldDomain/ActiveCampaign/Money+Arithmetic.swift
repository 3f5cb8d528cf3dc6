extension Money {
    /// Reads a plain decimal literal (`47.95`, `-3`, `0.5`; no exponent), as a refund's `data.amount`
    /// carries it; `nil` for anything else or past 18 digits.
    package init?(decimalLiteral text: String) {
        var digits: Int64 = 0
        var scale: UInt8 = 0
        var seenPoint = false
        var count = 0
        let negative = text.hasPrefix("-")
        for byte in text.utf8.dropFirst(negative ? 1 : 0) {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint, count > 0 else { return nil }
                seenPoint = true
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), count < 18 else { return nil }
            digits = digits * 10 + Int64(byte - UInt8(ascii: "0"))
            count += 1
            if seenPoint { scale += 1 }
        }
        guard count > 0, text.last != "." else { return nil }
        self.init(mantissa: negative ? -digits : digits, scale: scale)
    }

    /// `self − other`, exactly, or `nil` when it does not fit.
    package func subtracting(_ other: Money) -> Money? {
        let scale = Swift.max(self.scale, other.scale)
        guard let a = Self.mantissa(self, at: scale), let b = Self.mantissa(other, at: scale) else { return nil }
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : Money(mantissa: difference, scale: scale)
    }

    private static func mantissa(_ money: Money, at scale: UInt8) -> Int64? {
        var value = money.mantissa
        for _ in money.scale..<scale {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = product
        }
        return value
    }
}
