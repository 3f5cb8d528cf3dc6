/// The customer ids and identifier owner keys that left the fold's memory for the store, as a Bloom
/// filter of fixed size: the projector reads the store only for what this may hold.
///
/// A false positive costs one store lookup that finds the truth (a customer never evicted is not in a
/// store that started empty, nor is an owner for a key nobody owned), never a different fold; a false
/// negative cannot happen. Its 8 MiB stay 8 MiB at any number of customers: with two million keys about
/// 1 lookup in 1,700 is wasted, with ten million about 1 in 20.
package struct EvictionFilter: Sendable {
    /// 2^26 bits.
    private static let bitCount: UInt64 = 1 << 26
    private var words: [UInt64]

    /// An empty filter (8 MiB).
    package init() {
        words = Array(repeating: 0, count: Int(Self.bitCount / 64))
    }

    /// Adds `key`.
    package mutating func insert(_ key: String) {
        let (first, step) = Self.hash(key)
        for i in 0..<Self.probes {
            let bit = (first &+ i &* step) % Self.bitCount
            words[Int(bit >> 6)] |= 1 << (bit & 63)
        }
    }

    /// Whether `key` may have been added: `false` only when it never was.
    package func mayContain(_ key: String) -> Bool {
        let (first, step) = Self.hash(key)
        for i in 0..<Self.probes {
            let bit = (first &+ i &* step) % Self.bitCount
            if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }

    private static let probes: UInt64 = 3

    /// The first probe and the step between probes (double hashing), from one 64-bit FNV-1a hash.
    ///
    /// FNV, not `Hasher`, which is seeded per process: the filter then picks the same lookups in every
    /// run, so that a replay's work is reproducible too.
    private static func hash(_ key: String) -> (first: UInt64, step: UInt64) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return (hash, (hash >> 29 | hash << 35) | 1)
    }
}
