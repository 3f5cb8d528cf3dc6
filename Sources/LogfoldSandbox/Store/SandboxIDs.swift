/// Klaviyo-looking ids minted from counters: deterministic (a reset sandbox replays the same ids), stable
/// across restarts (the counters live in the state file), and shaped like Klaviyo's (a 26-character
/// ULID-like profile id, a 6-character list id).
package enum SandboxIDs {
    /// Crockford's base32 alphabet, as ULIDs use.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// The `n`-th profile id: `01`, the counter in 11 digits, then 13 scrambled digits.
    package static func profile(_ n: Int64) -> String { ulid(n, salt: 0) }

    /// The `n`-th job id (same shape as a profile id, never equal to one).
    package static func job(_ n: Int64) -> String { ulid(n, salt: 0x6A6F_6273) }

    /// The `n`-th list id: `SB` and four base32 digits (more when the counter outgrows them).
    package static func list(_ n: Int64) -> String { "SB" + base32(UInt64(n), width: 4) }

    private static func ulid(_ n: Int64, salt: UInt64) -> String {
        var mixer = SplitMix64(seed: UInt64(n) ^ salt)
        return "01" + base32(UInt64(n), width: 11) + base32(mixer.next() >> 1, width: 13)
    }

    static func base32(_ value: UInt64, width: Int) -> String {
        var digits: [Character] = []
        var rest = value
        repeat {
            digits.append(alphabet[Int(rest & 31)])
            rest >>= 5
        } while rest > 0
        while digits.count < width { digits.append("0") }
        return String(digits.reversed().suffix(max(width, digits.count)))
    }
}
