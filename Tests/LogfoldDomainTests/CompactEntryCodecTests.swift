import LogfoldDomain
import Testing

@Suite struct CompactEntryCodecTests {
    @Test("decode(encode(entry)) is the entry, for the fixtures and thousands of mutated valid lines")
    func roundTrip() throws {
        var random = SplitMix64(seed: 42)
        var checked = 0
        for line in EntryFixtures.all {
            let base = Array(line.utf8)
            let entry = try EntryParser().parse(base)
            #expect(try CompactEntryCodec.decode(CompactEntryCodec.encode(entry)) == entry)
            checked += 1
            // Mutations that still parse give odd but valid entries: the codec must carry them exactly.
            for _ in 0..<3_000 {
                var bytes = base
                let position = Int(random.next() % UInt64(bytes.count))
                bytes[position] = UInt8(0x20 + random.next() % 0x5F)
                guard let mutated = try? EntryParser().parse(bytes) else { continue }
                #expect(try CompactEntryCodec.decode(CompactEntryCodec.encode(mutated)) == mutated)
                checked += 1
            }
        }
        #expect(checked > 1_000)
    }

    @Test("equal entries encode to equal bytes; different entries to different bytes")
    func canonical() throws {
        let a = try EntryParser().parse(Array(#"{"id":5,"at":"2020-05-15T13:03:56Z","type":"x","order":{"id":"1","total":47.90}}"#.utf8))
        let b = try EntryParser().parse(Array(#"{"type":"x","order":{"total":47.9,"id":"1"},"at":"2020-05-15T13:03:56Z","id":5}"#.utf8))
        let c = try EntryParser().parse(Array(#"{"id":5,"at":"2020-05-15T13:03:56Z","type":"x","order":{"id":"1","total":47.91}}"#.utf8))
        #expect(CompactEntryCodec.encode(a) == CompactEntryCodec.encode(b))
        #expect(CompactEntryCodec.encode(a) != CompactEntryCodec.encode(c))
    }

    @Test("a truncated or damaged compact form throws instead of returning data")
    func damaged() throws {
        let encoded = CompactEntryCodec.encode(try EntryParser().parse(Array(EntryFixtures.orderCreated.utf8)))
        for cut in stride(from: 0, to: encoded.count - 1, by: 7) {
            #expect(throws: CompactDecodingError.self) { try CompactEntryCodec.decode(Array(encoded[..<cut])) }
        }
        var wrongVersion = encoded
        wrongVersion[0] = 99
        let error = try #require(throws: CompactDecodingError.self) { try CompactEntryCodec.decode(wrongVersion) }
        #expect(error.reason.contains("version 99"))
    }
}
