import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldTestSupport
import Testing

/// A line past `--max-line-bytes` is never held: the reader keeps its first bytes, length and checksum,
/// skips the rest while looking for the newline, and the rejects file records that, not the line.
@Suite struct OversizedLineTests {
    @Test(
        "oversized lines, read in small blocks, mid-file and at the end without a newline, keep prefix, length and checksum",
        arguments: [100, 1 << 16])
    func oversizedLines(blockSize: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("in.jsonl")
        let good = IngestorTests.valid
        let huge = [UInt8](repeating: 0, count: 50_000)
        let tail = [UInt8]((0..<9_000).map { UInt8(ascii: "a") + UInt8($0 % 26) })
        var bytes = Array((good[0] + "\n").utf8) + huge + [0x0A] + Array((good[1] + "\n").utf8)
        bytes += tail  // the input ends inside a long line
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let reader = try LineReader(source: .file(path), blockSize: blockSize, maximumLineLength: 1_000)
        var lines: [(bytes: [UInt8], line: LineBatch.Line)] = []
        while let batch = try reader.nextBatch(maximumLines: 2) {
            for line in batch.lines { lines.append((Array(batch.bytes(of: line)), line)) }
        }
        #expect(lines.map(\.line.number) == [1, 2, 3, 4])
        #expect(lines[0].bytes == Array(good[0].utf8) && lines[0].line.oversize == nil)
        #expect(lines[2].bytes == Array(good[1].utf8) && lines[2].line.oversize == nil)
        #expect(lines[1].line.oversize == LineBatch.Oversize(length: huge.count, checksum: CRC32C.checksum(huge)))
        #expect(lines[1].bytes == Array(huge.prefix(LineBatch.oversizePrefix)))
        #expect(lines[3].line.oversize == LineBatch.Oversize(length: tail.count, checksum: CRC32C.checksum(tail)))
        #expect(lines[3].bytes == Array(tail.prefix(LineBatch.oversizePrefix)))
    }

    @Test("the rejects file keeps the prefix, the length and the checksum of an oversized line; the rest is ingested")
    func rejectsRecord() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("in.jsonl")
        let huge = [UInt8](repeating: 0, count: 3 << 20)
        try Data(huge + [0x0A] + Array((IngestorTests.valid.joined(separator: "\n") + "\n").utf8))
            .write(to: URL(fileURLWithPath: path))
        let journal = try Journal(directory: directory.file("journal"), configuration: .init(durability: .nosync))
        let rejects = directory.file("rejects.jsonl")
        let ingestor = Ingestor(
            journal: journal, options: IngestOptions(parser: EntryParser(maximumLineLength: 1 << 20)),
            rejects: RejectsWriter(path: rejects))
        let summary = try ingestor.run(try LineReader(source: .file(path), maximumLineLength: 1 << 20))
        #expect(summary.line == "ingested 3, duplicates 0, rejected 1")
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: rejects))) as? [String: Any])
        #expect(record["code"] as? String == "too_long")
        #expect(record["line_bytes"] as? Int == huge.count)
        #expect((record["line_crc32c"] as? NSNumber)?.uint32Value == CRC32C.checksum(huge))
        #expect((record["raw_prefix"] as? String)?.utf8.count == LineBatch.oversizePrefix)
        #expect(record["raw"] == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: rejects)).count < 40_000, "not the 3 MiB line")
    }
}
