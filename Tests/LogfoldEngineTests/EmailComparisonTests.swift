import LogfoldTestSupport
import Testing

@testable import LogfoldEngine

/// The planner's allocation-free email comparison agrees with comparing `lowercased()` strings, the code
/// it replaced, on ASCII and on the non-ASCII letters whose lower case is ASCII or longer.
@Suite struct EmailComparisonTests {
    /// Upper and lower case, the characters between them in ASCII, and look-alikes: the Kelvin sign
    /// lowercases to `k`, `İ` to two scalars, `ẞ` to `ß`.
    static let pieces = [
        "a", "A", "k", "K", "z", "Z", "@", "[", "`", "{", ".", "-", "_", "0", "é", "É", "\u{212A}", "İ", "i", "ẞ",
        "ß", "😀",
    ]

    @Test("200,000 random pairs, one often a case variant of the other: the same answer as lowercased()")
    func agreesWithLowercased() {
        var random = SplitMix(seed: 7)
        for _ in 0..<200_000 {
            var first = ""
            for _ in 0..<Int(random.next() % 7) { first += Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }
            let second: String
            switch random.next() % 3 {
            case 0: second = first.uppercased()
            case 1: second = String(first.map { random.next() % 2 == 0 ? Character($0.lowercased()) : $0 })
            default:
                var other = ""
                for _ in 0..<Int(random.next() % 7) {
                    other += Self.pieces[Int(random.next() % UInt64(Self.pieces.count))]
                }
                second = other
            }
            let expected = first.lowercased() == second.lowercased()
            #expect(DeliveryPlanner.sameEmail(first, second) == expected, "\(first) against \(second)")
        }
    }

    @Test("Characters 0x20 apart that are not letters differ: ] and }, ^ and ~, \\ and |, _ and DEL, @ and `")
    func notLetters() {
        for (a, b) in [("]", "}"), ("^", "~"), ("\\", "|"), ("_", "\u{7F}"), ("@", "`"), ("[", "{"), ("0", "\u{10}")] {
            #expect(!DeliveryPlanner.sameEmail("x" + a + "@example.com", "x" + b + "@example.com"), "\(a) \(b)")
            #expect(("x" + a).lowercased() != ("x" + b).lowercased())
        }
    }

    @Test("No current email (shared or unknown) is never the same")
    func absent() {
        #expect(!DeliveryPlanner.sameEmail(nil, "a@example.com"))
        #expect(DeliveryPlanner.sameEmail("A@Example.COM", "a@example.com"))
        #expect(!DeliveryPlanner.sameEmail("a@example.com", "b@example.com"))
        #expect(!DeliveryPlanner.sameEmail("a@example.co", "a@example.com"))
    }
}
