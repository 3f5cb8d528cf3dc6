import Foundation
import LogfoldDomain
import Testing

/// Holds the specialised parser to Foundation's `JSONDecoder` (plus the contract's value rules).
@Suite struct EntryParserDifferentialTests {
    /// Where the specialised parser is stricter than Foundation on purpose; anything else that differs
    /// is a bug.
    static func isDocumentedStrictness(_ rejection: Rejection) -> Bool {
        rejection.code == .duplicateMember  // Foundation silently keeps the first copy
            || rejection.reason.contains("trailing comma")  // Foundation accepts `{"a":1,}`
            || rejection.reason.contains("nesting deeper")  // a depth guard against hostile input
    }

    func compare(_ line: [UInt8], context: String) {
        let ours = Result { () throws(Rejection) in try EntryParser().parse(line) }
        let reference = ReferenceEntryDecoder.decode(line)
        switch (ours, reference) {
        case (.success(let entry), .success(let expected)):
            var a = entry
            var b = expected
            a.data = a.data?.canonical
            b.data = b.data?.canonical
            #expect(a == b, "values differ for \(context): \(String(decoding: line, as: UTF8.self))")
        case (.failure, .failure):
            break
        case (.failure(let rejection), .success):
            // `JSONDecoder` never reads the strings of members it does not decode, and tolerates trailing
            // commas; `JSONSerialization` (Foundation's strict reader) must then agree that it is not JSON.
            let strictFoundationRejects = (try? JSONSerialization.jsonObject(with: Data(line))) == nil
            #expect(
                Self.isDocumentedStrictness(rejection) || (rejection.code == .malformedJSON && strictFoundationRejects),
                "we reject what Foundation accepts (\(rejection)) for \(context): \(String(decoding: line, as: UTF8.self))"
            )
        case (.success, .failure(let failure)):
            Issue.record(
                "we accept what Foundation rejects (\(failure.reason)) for \(context): \(String(decoding: line, as: UTF8.self))"
            )
        }
    }

    @Test("valid fixture lines parse to the same values as Foundation's decoder")
    func validFixtures() throws {
        for line in EntryFixtures.all {
            let bytes = Array(line.utf8)
            #expect(throws: Never.self) { try EntryParser().parse(bytes) }
            compare(bytes, context: "fixture")
        }
    }

    @Test("single-byte mutations of valid lines get the same verdicts and values as Foundation")
    func mutatedLines() {
        var random = SplitMix64(seed: 0x10_9f01d)
        // Bytes that change JSON structure or types most often.
        let alphabet = Array(#"{}[]:,"\0123456789.-+eEtrufalsn x\u"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xFF]
        for line in EntryFixtures.all {
            let base = Array(line.utf8)
            for round in 0..<4_000 {
                var bytes = base
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                }
                compare(bytes, context: "mutation \(round)")
            }
        }
    }

    @Test("member-level swaps (wrong types, nulls, odd numbers) get the same verdicts and values")
    func memberSwaps() {
        let replacements = [
            "null", "true", "0", "-0", "1.0", "1e3", "1.5", "-7", "9223372036854775807", "9223372036854775808",
            "18446744073709551616", "\"usd\"", "\"EUR\"",
            "\"x\"", "\"\"", "[]", "{}", "[1]", "{\"id\":\"1\"}", "47.95", "1e-9", "1e-10", "0.000000001",
            "123456789012345678", "1234567890123456789", "\"2020-02-30\"", "\"2020-05-15\"",
            "\"2020-05-15T13:03:56Z\"", "\"Active\"", "\"active\"", "\"sub\"", "\"Weekly\"", "\"\\u0041\"",
        ]
        var random = SplitMix64(seed: 7)
        for line in EntryFixtures.all {
            let text = line
            // Every `:value` position: replace the value that follows a member name.
            let colons = text.indices.filter { text[$0] == ":" }
            for (n, colon) in colons.enumerated() {
                let valueStart = text.index(after: colon)
                guard let valueEnd = valueEnd(in: text, from: valueStart) else { continue }
                for _ in 0..<6 {
                    let replacement = replacements[Int(random.next() % UInt64(replacements.count))]
                    let mutated = text[..<valueStart] + replacement + text[valueEnd...]
                    compare(Array(mutated.utf8), context: "swap at member \(n)")
                }
            }
        }
    }

    /// The end of the JSON value starting at `start` (a crude bracket matcher that respects strings).
    private func valueEnd(in text: String, from start: String.Index) -> String.Index? {
        var depth = 0
        var inString = false
        var escaped = false
        var i = start
        while i < text.endIndex {
            let c = text[i]
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
            } else {
                switch c {
                case "\"": inString = true
                case "{", "[": depth += 1
                case "}", "]":
                    if depth == 0 { return i }
                    depth -= 1
                case ",": if depth == 0 { return i }
                default: break
                }
            }
            i = text.index(after: i)
            if depth == 0 && !inString && (c == "}" || c == "]" || c == "\"") && i > start {
                if text[start] == "{" || text[start] == "[" || text[start] == "\"" { return i }
            }
        }
        return nil
    }
}

/// A tiny seeded generator so test inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
