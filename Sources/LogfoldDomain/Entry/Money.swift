/// An exact decimal amount: `mantissa × 10^-scale`.
///
/// Money must reach Klaviyo as written (`47.95`, never `47.949999`), so it never passes through a
/// binary floating-point type. Values are normalised (no trailing fraction zeros), which makes
/// equality and the compact encoding canonical: `47.90` and `47.9` are the same amount.
package struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The digits, with the sign.
    package private(set) var mantissa: Int64
    /// How many of the digits are fraction digits.
    package private(set) var scale: UInt8

    /// The largest scale accepted: sub-micro amounts are not money, and the bound keeps arithmetic exact.
    package static let maximumScale: UInt8 = 9

    /// Creates a normalised amount, or `nil` when `scale` exceeds ``maximumScale``.
    package init?(mantissa: Int64, scale: UInt8) {
        guard scale <= Self.maximumScale else { return nil }
        var m = mantissa
        var s = scale
        while s > 0, m % 10 == 0 {
            m /= 10
            s -= 1
        }
        self.mantissa = m
        self.scale = s
    }

    /// Creates an amount from whole cents, the form synthetic data and tests use.
    package init(cents: Int64) {
        // Two fraction digits always fit the scale bound, so the failable path cannot trigger.
        self = Money(mantissa: cents, scale: 2) ?? Money(unchecked: cents)
    }

    private init(unchecked mantissa: Int64) {
        self.mantissa = mantissa
        self.scale = 2
    }

    /// Zero.
    package static let zero = Money(cents: 0)

    /// The amount as a JSON number literal, for example `47.95`, `-3`, `0.5`.
    package var description: String {
        withDecimalBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// `body`'s result for ``description``'s UTF-8 bytes, written on the stack: the fold writes two
    /// amounts per order line into message bodies, which need the bytes, not a `String`.
    package func withDecimalBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // Written right to left into a stack buffer: amounts are formatted for every event, and the
        // string-splicing version allocated several times per amount.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            var magnitude = mantissa.magnitude
            var end = buffer.count
            var written = 0
            while magnitude > 0 || written <= Int(scale) {
                if written == Int(scale) && scale > 0 {
                    end -= 1
                    buffer[end] = UInt8(ascii: ".")
                }
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                written += 1
            }
            if mantissa < 0 {
                end -= 1
                buffer[end] = UInt8(ascii: "-")
            }
            return body(UnsafeBufferPointer(rebasing: buffer[end...]))
        }
    }

    /// Orders amounts by value, whatever their scales.
    package static func < (lhs: Money, rhs: Money) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        let (l, lo) = lhs.mantissa.multipliedReportingOverflow(by: pow10(scale - lhs.scale))
        let (r, ro) = rhs.mantissa.multipliedReportingOverflow(by: pow10(scale - rhs.scale))
        if lo || ro {
            // Only reachable near Int64's edge; fall back to the sign and then the coarse magnitude.
            return Double(lhs.mantissa) / Double(pow10(lhs.scale)) < Double(rhs.mantissa) / Double(pow10(rhs.scale))
        }
        return l < r
    }

    private static func pow10(_ n: UInt8) -> Int64 {
        var p: Int64 = 1
        for _ in 0..<n { p &*= 10 }
        return p
    }
}
