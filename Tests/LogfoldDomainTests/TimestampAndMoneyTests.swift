import Foundation
import LogfoldDomain
import Testing

@Suite struct TimestampAndMoneyTests {
    @Test("RFC 3339 parsing agrees with Foundation's ISO 8601 formatter on 5,000 random valid instants")
    func agreesWithFoundation() throws {
        var random = SplitMix64(seed: 3339)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for _ in 0..<5_000 {
            let seconds = Int64(random.next() % 4_000_000_000) - 1_000_000_000
            let offset = (Int(random.next() % 57) - 28) * 30
            let civil = CivilCalendar.civil(fromUnixSeconds: seconds + Int64(offset) * 60)
            let text = civil.formatted(offsetMinutes: Int16(offset), nanoseconds: 0)
            let ours = try #require(RFC3339.parse(text), "\(text)")
            let theirs = try #require(formatter.date(from: text), "\(text)")
            #expect(ours.unixSeconds == Int64(theirs.timeIntervalSince1970), "\(text)")
            #expect(ours.unixSeconds == seconds)
            #expect(ours.rfc3339String == text)
        }
    }

    @Test("the seed's Started Checkout time is unix 1589562236")
    func seedTime() throws {
        let t = try #require(RFC3339.parse("2020-05-15T13:03:56-04:00"))
        #expect(t.unixSeconds == 1_589_562_236)
        #expect(t.utcSecondsString == "2020-05-15T17:03:56Z")
    }

    @Test(
        "impossible or offset-less times are refused",
        arguments: [
            "2020-02-30T00:00:00Z", "2021-02-29T00:00:00Z", "2020-05-15T24:00:00Z", "2020-05-15T13:60:00Z",
            "2020-05-15T13:03:60Z", "2020-05-15T13:03:56", "2020-05-15 13:03:56Z", "2020-05-15T13:03:56+0400",
            "2020-05-15T13:03:56.Z", "0000-01-01T00:00:00Z", "2020-13-01T00:00:00Z", "2020-05-15T13:03:56+24:00",
        ])
    func refused(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("fractions are read exactly; lower-case separators are refused as the schema's pattern says")
    func fractions() throws {
        #expect(RFC3339.parse("2020-02-29t23:59:59z") == nil)
        let t = try #require(RFC3339.parse("2020-02-29T23:59:59.123456789Z"))
        #expect(t.nanoseconds == 123_456_789)
        #expect(try #require(RFC3339.parse("2020-05-15T13:03:56.5+05:30")).nanoseconds == 500_000_000)
    }

    @Test(
        "money keeps decimal digits exactly",
        arguments: [
            ("47.95", "47.95"), ("47.90", "47.9"), ("0.05", "0.05"), ("-3", "-3"), ("1e2", "100"), ("4795e-2", "47.95"),
            ("0.000000001", "0.000000001"), ("-0.5", "-0.5"), ("-0", "0"), ("123456789012345678", "123456789012345678"),
        ])
    func money(_ pair: (String, String)) throws {
        let line = #"{"id":1,"at":"2020-05-15T13:03:56Z","type":"x","order":{"id":"1","total":"# + pair.0 + "}}"
        let entry = try EntryParser().parse(Array(line.utf8))
        #expect(entry.order?.total?.description == pair.1)
    }

    @Test("money renders like Foundation's Decimal for 20,000 random mantissas and scales")
    func moneyAgreesWithDecimal() throws {
        var random = SplitMix64(seed: 4795)
        for round in 0..<20_000 {
            // Every width of mantissa, Int64's edges included, at every scale.
            let bits = random.next() % 64
            var mantissa = Int64(bitPattern: random.next() >> (63 - bits))
            if round % 997 == 0 { mantissa = round % 2 == 0 ? .max : .min + 1 }
            let scale = UInt8(random.next() % UInt64(Money.maximumScale + 1))
            let money = try #require(Money(mantissa: mantissa, scale: scale))
            let decimal = Decimal(
                sign: money.mantissa < 0 ? .minus : .plus, exponent: -Int(money.scale),
                significand: Decimal(money.mantissa.magnitude))
            #expect(money.description == "\(decimal)", "mantissa \(mantissa), scale \(scale)")
        }
    }
}
