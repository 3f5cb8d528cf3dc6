import Foundation
import LogfoldDomain
import Testing

/// The committed samples in `Journal/` are checked by the JSON Schema (scripts/validate-journal-samples.py)
/// and here by the parser: the two must agree on every line.
@Suite struct JournalSamplesTests {
    static let journalDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Journal")

    static func lines(_ relative: String) throws -> [[UInt8]] {
        let data = try Data(contentsOf: journalDirectory.appendingPathComponent(relative))
        return data.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map(Array.init)
    }

    @Test("every line of every sample log is a valid contract-v1 entry")
    func samplesParse() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.journalDirectory.path + "/samples")
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        #expect(names.count >= 15)
        for name in names {
            for (n, line) in try Self.lines("samples/" + name).enumerated() {
                #expect(throws: Never.self, "\(name):\(n + 1)") { try EntryParser().parse(line) }
            }
        }
    }

    @Test("the seed's Started Checkout sample is at unix 1589562236 with cart 1141260")
    func seedSample() throws {
        let entry = try EntryParser().parse(try #require(try Self.lines("samples/seed-started-checkout.jsonl").first))
        #expect(entry.at.unixSeconds == 1_589_562_236)
        #expect(entry.cart?.id == "1141260")
        #expect(entry.cart?.total?.description == "47.95")
    }

    /// Line → field the rejects README names (nil: the whole line).
    static let expectedFields: [Int: String?] = [
        1: nil, 2: nil, 3: "id", 4: "id", 6: "id", 7: "id", 8: "id", 9: "at", 10: "at", 11: "at", 12: "at",
        13: "type", 14: "type", 15: "type", 16: "customer", 17: "customer.id", 18: "customer.id",
        19: "customer.subscribed", 20: "customer.status", 21: "order.items", 22: "order.total",
        23: "order.items[1].quantity", 24: "cart.total", 25: "data", 26: "type", 27: nil, 28: "order.items[0]",
        29: "id", 30: "at",
    ]

    @Test("every malformed sample is rejected at the field the rejects README names; line 5 is valid")
    func malformedRejected() throws {
        let lines = try Self.lines("rejects/malformed.jsonl")
        #expect(lines.count == 30)
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if number == 5 {
                #expect(throws: Never.self) { try EntryParser().parse(line) }
                continue
            }
            let rejection = try #require(throws: Rejection.self, "line \(number)") { try EntryParser().parse(line) }
            let expected = try #require(Self.expectedFields[number], "line \(number) has no expectation")
            if let expected {
                #expect(rejection.field == expected, "line \(number): \(rejection)")
            }
        }
    }

    @Test("of two lines sharing an id, identical content is a duplicate and different content a conflict")
    func duplicateConflictSamples() throws {
        let lines = try Self.lines("rejects/duplicate-conflict.jsonl").map { try EntryParser().parse($0) }
        #expect(lines.count == 4)
        #expect(lines[0].id == lines[1].id && CompactEntryCodec.encode(lines[0]) != CompactEntryCodec.encode(lines[1]))
        #expect(lines[2].id == lines[3].id && CompactEntryCodec.encode(lines[2]) == CompactEntryCodec.encode(lines[3]))
    }
}
