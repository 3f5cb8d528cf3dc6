import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldTestSupport
import Testing

@Suite struct IngestorTests {
    static let valid = [
        #"{"id":10,"at":"2020-05-15T13:03:56-04:00","type":"login","customer":{"id":"1"}}"#,
        #"{"id":12,"at":"2020-05-15T13:04:56-04:00","type":"logout","customer":{"id":"1"}}"#,
        #"{"id":15,"at":"2020-05-15T13:05:56-04:00","type":"order.created","order":{"id":"9","total":47.95}}"#,
    ]

    func ingest(_ lines: [String], into directory: TemporaryDirectory, file: String = "in.jsonl", batch: Int = 2)
        throws -> (IngestSummary, Journal)
    {
        let path = directory.file(file)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let journal = try Journal(directory: directory.file("journal"), configuration: .init(durability: .nosync))
        let ingestor = Ingestor(
            journal: journal, options: IngestOptions(batchSize: batch),
            rejects: RejectsWriter(path: directory.file("rejects.jsonl")))
        return (try ingestor.run(try LineReader(source: .file(path))), journal)
    }

    @Test("re-ingesting the same file appends nothing and counts every line as a duplicate")
    func idempotent() throws {
        let directory = try TemporaryDirectory()
        let (first, journal) = try ingest(Self.valid, into: directory)
        #expect(first.line == "ingested 3, duplicates 0, rejected 0")
        let ingestor = Ingestor(journal: journal, rejects: nil)
        let second = try ingestor.run(try LineReader(source: .file(directory.file("in.jsonl"))))
        #expect(second.line == "ingested 0, duplicates 3, rejected 0")
        #expect(try journal.head() == 3)
        let records = try journal.records(from: 1, limit: 10)
        #expect(records.map(\.platformID) == [10, 12, 15])
        #expect(records.map { String(decoding: $0.entry, as: UTF8.self) } == Self.valid)
    }

    @Test("bad lines are rejected to the rejects file with line, field and reason; their neighbours are journaled")
    func rejectsKeepNeighbours() throws {
        let directory = try TemporaryDirectory()
        let lines = [
            Self.valid[0],
            #"{"id":11,"at":"2020-05-15T13:03:56-04:00","type":"login","customer":{"id":1}}"#,
            "{not json",
            Self.valid[1],
            "",
            #"{"id":12,"at":"2020-05-15T13:04:56-04:00","type":"logout","customer":{"id":"2"}}"#,
            Self.valid[1],
            Self.valid[2],
        ]
        let (summary, journal) = try ingest(lines, into: directory, batch: 3)
        #expect(summary.line == "ingested 3, duplicates 1, rejected 3")
        #expect(try journal.records(from: 1, limit: 10).map(\.platformID) == [10, 12, 15])
        let rejects = try String(contentsOfFile: directory.file("rejects.jsonl"), encoding: .utf8)
            .split(separator: "\n").map {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
            }
        #expect(rejects.count == 3)
        #expect(rejects.map { $0["line"] as? Int } == [2, 3, 6])
        #expect(rejects[0]["field"] as? String == "customer.id")
        #expect(rejects[0]["code"] as? String == "wrong_type")
        #expect(rejects[0]["raw"] as? String == lines[1])
        #expect(rejects[1]["code"] as? String == "malformed_json")
        #expect(rejects[2]["code"] as? String == "conflicting_duplicate")
        #expect((rejects[2]["reason"] as? String)?.contains("seq 2") == true)
        #expect(rejects.allSatisfy { ($0["source"] as? String)?.hasSuffix("in.jsonl") == true })
    }

    @Test("a line without a final newline is still ingested; CRLF endings are accepted")
    func lastLineAndCRLF() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("crlf.jsonl")
        try Data((Self.valid[0] + "\r\n" + Self.valid[1] + "\r\n" + Self.valid[2]).utf8).write(
            to: URL(fileURLWithPath: path))
        let journal = try Journal(directory: directory.file("journal"), configuration: .init(durability: .nosync))
        let summary = try Ingestor(journal: journal, rejects: nil).run(try LineReader(source: .file(path)))
        #expect(summary.line == "ingested 3, duplicates 0, rejected 0")
        #expect(try journal.record(at: 3)?.entry == Array(Self.valid[2].utf8))
    }

    @Test("the journal's compact form decodes to the parsed entry, so replay never parses JSON")
    func compactFormStored() throws {
        let directory = try TemporaryDirectory()
        let (_, journal) = try ingest(Self.valid, into: directory)
        for record in try journal.records(from: 1, limit: 3) {
            let decoded = try CompactEntryCodec.decode(record.compact)
            #expect(decoded == (try EntryParser().parse(record.entry)))
        }
    }

    @Test("an unreadable input file is an operator error naming the path")
    func missingFile() {
        #expect {
            _ = try LineReader(source: .file("/nonexistent/platform.jsonl"))
        } throws: { error in
            "\(error)".contains("/nonexistent/platform.jsonl")
        }
    }
}
