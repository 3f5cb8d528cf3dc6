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
        let a = try EntryParser().parse(
            Array(#"{"id":5,"at":"2020-05-15T13:03:56Z","type":"x","order":{"id":"1","total":47.90}}"#.utf8))
        let b = try EntryParser().parse(
            Array(#"{"type":"x","order":{"total":47.9,"id":"1"},"at":"2020-05-15T13:03:56Z","id":5}"#.utf8))
        let c = try EntryParser().parse(
            Array(#"{"id":5,"at":"2020-05-15T13:03:56Z","type":"x","order":{"id":"1","total":47.91}}"#.utf8))
        #expect(CompactEntryCodec.encode(a) == CompactEntryCodec.encode(b))
        #expect(CompactEntryCodec.encode(a) != CompactEntryCodec.encode(c))
    }

    @Test("decoding with a snapshot memo gives what decoding without one gives, over streams of repeats and changes")
    func memoIsInvisible() throws {
        var random = SplitMix64(seed: 7)
        var forms: [[UInt8]] = []
        for line in EntryFixtures.all {
            let base = Array(line.utf8)
            forms.append(CompactEntryCodec.encode(try EntryParser().parse(base)))
            // Mutations keep most ids, so the memo sees the same customer and order with other data.
            for _ in 0..<2_000 {
                var bytes = base
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(0x20 + random.next() % 0x5F)
                if let mutated = try? EntryParser().parse(bytes) { forms.append(CompactEntryCodec.encode(mutated)) }
            }
        }
        var memo = SnapshotMemo()
        for round in 0..<20_000 {
            // Repeats of a recent form (memo hits) mixed with random ones (misses and replacements).
            let form = forms[Int(random.next() % UInt64(round % 3 == 0 ? forms.count : min(forms.count, 8)))]
            let plain = try CompactEntryCodec.decode(form)
            let remembered = try form.withUnsafeBytes { bytes throws(CompactDecodingError) in
                try CompactEntryCodec.decode(bytes, memo: &memo)
            }
            #expect(remembered == plain)
        }
        #expect(memo.count.customers > 1 && memo.count.orders > 1)
    }

    @Test("a truncated form still throws when the memo remembers its snapshots")
    func memoKeepsDamageVisible() throws {
        let encoded = CompactEntryCodec.encode(try EntryParser().parse(Array(EntryFixtures.orderCreated.utf8)))
        var memo = SnapshotMemo()
        _ = try encoded.withUnsafeBytes { bytes throws(CompactDecodingError) in
            try CompactEntryCodec.decode(bytes, memo: &memo)
        }
        for cut in stride(from: 0, to: encoded.count - 1, by: 5) {
            let truncated = Array(encoded[..<cut])
            #expect(throws: CompactDecodingError.self) {
                try truncated.withUnsafeBytes { bytes throws(CompactDecodingError) in
                    try CompactEntryCodec.decode(bytes, memo: &memo)
                }
            }
        }
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

@Suite struct VocabularyCodeTests {
    @Test("compact codes are the positions in allCases, so decoding maps them back")
    func codes() {
        #expect(CustomerStatus.allCases.map(\.code) == Array(0..<UInt8(CustomerStatus.allCases.count)))
        #expect(DeliverySchedule.allCases.map(\.code) == Array(0..<UInt8(DeliverySchedule.allCases.count)))
        #expect(OrderStatus.allCases.map(\.code) == Array(0..<UInt8(OrderStatus.allCases.count)))
        #expect(ItemKind.allCases.map(\.code) == Array(0..<UInt8(ItemKind.allCases.count)))
    }
}

@Suite struct TranscodeTests {
    func transcoded(_ line: [UInt8]) throws(Rejection) -> [UInt8] {
        var workspace = ParseWorkspace()
        var writer = CompactWriter()
        let result = line.withUnsafeBytes { buffer in
            Result { () throws(Rejection) in try EntryParser().transcode(buffer, workspace: &workspace, into: &writer) }
        }
        _ = try result.get()
        return writer.bytes
    }

    @Test("transcode gives the same bytes as encode(parse) and the same verdicts, on fixtures and 15,000 mutations")
    func sameAsParseThenEncode() throws {
        var random = SplitMix64(seed: 99)
        let alphabet = Array(#"{}[]:,"\0123456789.-eEtrufalsn x\u"#.utf8) + [0xC3, 0xA9, 0xFF]
        var compared = 0
        for line in EntryFixtures.all {
            let base = Array(line.utf8)
            for round in 0..<5_000 {
                var bytes = base
                if round > 0 {
                    let position = Int(random.next() % UInt64(bytes.count))
                    bytes[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
                let viaEntry = Result { () throws(Rejection) in CompactEntryCodec.encode(try EntryParser().parse(bytes))
                }
                let direct = Result { () throws(Rejection) in try transcoded(bytes) }
                switch (viaEntry, direct) {
                case (.success(let a), .success(let b)):
                    #expect(a == b, "bytes differ for \(String(decoding: bytes, as: UTF8.self))")
                    compared += 1
                case (.failure(let a), .failure(let b)):
                    #expect(a == b, "different rejections")
                default:
                    Issue.record("verdicts differ for \(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
        #expect(compared > 1_000)
    }

    @Test("one workspace reused across lines gives the same bytes as a fresh one")
    func workspaceReuse() throws {
        var workspace = ParseWorkspace()
        var writer = CompactWriter()
        for line in EntryFixtures.all + EntryFixtures.all.reversed() {
            writer.reset()
            let bytes = Array(line.utf8)
            _ = try bytes.withUnsafeBytes { try EntryParser().transcode($0, workspace: &workspace, into: &writer) }
            #expect(writer.bytes == CompactEntryCodec.encode(try EntryParser().parse(bytes)))
        }
    }

    @Test("compact strings are read back iff they are UTF-8, as the standard library decides, for 20,000 byte runs")
    func utf8Validation() throws {
        var random = SplitMix64(seed: 3629)
        // Long ASCII runs (the eight-byte fast path) around every kind of lead, continuation and invalid byte.
        let special: [UInt8] = [
            0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xA0, 0xED, 0x9F, 0xEF, 0xF0, 0x90, 0xF4, 0x8F, 0xF5, 0xFF,
        ]
        for _ in 0..<20_000 {
            let count = Int(random.next() % 40)
            let bytes = (0..<count).map { _ -> UInt8 in
                random.next() % 6 == 0
                    ? special[Int(random.next() % UInt64(special.count))] : UInt8(0x20 + random.next() % 95)
            }
            var writer = CompactWriter()
            writer.varint(UInt64(bytes.count))
            var framed = writer.bytes
            framed.append(contentsOf: bytes)
            let expected = String(validating: bytes, as: UTF8.self)
            let read = framed.withUnsafeBytes { raw -> String? in
                var reader = CompactReader(raw)
                return try? reader.string()
            }
            #expect(read == expected, "\(bytes)")
        }
    }
}
