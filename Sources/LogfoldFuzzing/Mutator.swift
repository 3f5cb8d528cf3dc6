/// Seeded byte-level mutations of JSON lines and compact forms: the same seed gives the same inputs.
///
/// The moves are the ones that find parser bugs: bit flips, JSON's structural bytes, numbers at and past
/// every limit, bad and surrogate UTF-8, deep nesting, ranges deleted, repeated or spliced from another
/// input, and truncation.
package struct Mutator: Sendable {
    private var state: UInt64

    /// Creates a mutator drawing from `seed`.
    package init(seed: UInt64) { state = seed }

    /// Tokens spliced in whole: each one stresses one branch of the scanner or the limits.
    static let tokens: [[UInt8]] =
        [
            "\"", "\\", "{", "}", "[", "]", ",", ":", "null", "true", "false", "-0", "0.0", "1e309", "-1e309",
            "18446744073709551615", "18446744073709551616", "9223372036854775808", "-9223372036854775809",
            "1.0000000000000000000001", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\uD83D\\uDE00\"",
            "\"\\x\"", "\"id\":", "\"at\":\"2020-02-30T25:61:61+14:00\"", "\"at\":\"9999-12-31T23:59:59-23:59\"",
            "\"type\":\"order.paid\"", "\"type\":\"customer.updated\"", "\"items\":[", "\"categories\":[",
            "\"customer\":{\"id\":\"1\"}", "\"order\":{\"id\":\"1\",\"items\":[]}", "\"data\":{", "\"price\":",
            "\"email\":\"A@B.C\"", "\"phone\":\"+1 (555) 010-0000\"", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
            "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":", "\"\u{FFFF}\u{10FFFF}\"",
        ].map { Array($0.utf8) } + [
            [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0x00], [0x0A],
        ]

    /// Bytes a single position is set to.
    static let interesting: [UInt8] = [
        0x00, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x2C, 0x2D, 0x2E, 0x30, 0x31, 0x39, 0x3A, 0x45, 0x5B, 0x5C, 0x5D, 0x65,
        0x7B, 0x7D, 0x7F, 0x80, 0xBF, 0xC0, 0xE0, 0xF0, 0xFF,
    ]

    /// The next 64 random bits (SplitMix64).
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in `0..<bound` (`bound` > 0).
    package mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// `input` changed by one to four mutations, at most `limit` bytes long; `other` feeds splices.
    package mutating func mutate(_ input: [UInt8], other: [UInt8], limit: Int) -> [UInt8] {
        var bytes = input
        for _ in 0...below(4) { mutateOnce(&bytes, other: other) }
        if bytes.count > limit { bytes.removeLast(bytes.count - limit) }
        return bytes
    }

    private mutating func mutateOnce(_ bytes: inout [UInt8], other: [UInt8]) {
        guard !bytes.isEmpty else {
            bytes = Self.tokens[below(Self.tokens.count)]
            return
        }
        let at = below(bytes.count)
        switch below(9) {
        case 0: bytes[at] ^= 1 << UInt8(below(8))
        case 1: bytes[at] = Self.interesting[below(Self.interesting.count)]
        case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(16)))
        case 3:
            let end = min(bytes.count, at + 1 + below(64))
            bytes.insert(contentsOf: bytes[at..<end], at: below(bytes.count))
        case 4: bytes.insert(contentsOf: Self.tokens[below(Self.tokens.count)], at: at)
        case 5:
            guard !other.isEmpty else { return }
            bytes = Array(bytes[..<at]) + other[below(other.count)...]
        case 6: bytes.removeSubrange(at...)
        case 7: replaceNumber(&bytes, at: at)
        default:
            // Repeat a range many times: lists and strings near their limits.
            let end = min(bytes.count, at + 1 + below(8))
            let copies = Array(repeating: bytes[at..<end], count: 1 + below(512)).flatMap { $0 }
            bytes.insert(contentsOf: copies, at: end)
        }
    }

    /// Replaces the digit run at or after `at` with an extreme number.
    private mutating func replaceNumber(_ bytes: inout [UInt8], at: Int) {
        guard let start = bytes[at...].firstIndex(where: { (0x30...0x39).contains($0) }) else { return }
        let end = bytes[start...].firstIndex { !(0x30...0x39).contains($0) } ?? bytes.count
        let numbers = ["0", "1", "-1", "65535", "65536", "4294967296", "9007199254740993", "99999999999999999999"]
        bytes.replaceSubrange(start..<end, with: Array(numbers[below(numbers.count)].utf8))
    }
}
