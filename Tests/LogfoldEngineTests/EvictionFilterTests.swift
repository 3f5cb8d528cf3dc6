import LogfoldEngine
import LogfoldTestSupport
import Testing

/// The filter of customers and owner keys that left memory: it must never miss one it was given (the
/// fold would then take a stored customer for a new one), and should rarely name one it was not.
@Suite struct EvictionFilterTests {
    @Test("every key added is found, and keys never added rarely are", arguments: [1, 2] as [UInt64])
    func noFalseNegatives(seed: UInt64) {
        var random = SplitMix(seed: seed)
        var filter = EvictionFilter()
        let added = (0..<200_000).map { _ in "c\(random.next() % 10_000_000_000)" }
        for key in added { filter.insert(key) }
        #expect(added.allSatisfy(filter.mayContain))
        // Keys of another shape (owner keys) that were never added: with 200,000 keys in 2^26 bits and
        // three probes, about 1 in 1.4 million is a false positive; allow 10 in 100,000.
        let strangers = (0..<100_000).map { "e:\($0)-\(random.next())@example.com" }
        #expect(strangers.filter(filter.mayContain).count <= 10)
        #expect(!EvictionFilter().mayContain(added[0]), "an empty filter holds nothing")
    }
}
