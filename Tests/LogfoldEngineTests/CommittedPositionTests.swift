import Foundation
import LogfoldTestSupport
import Testing

/// Sources resume where the journal says their last batch was committed: the position goes into the
/// journal's transaction with the batch's entries (a followed file's identity and offset, a table's key).
@Suite(.serialized, .offThePool) struct CommittedPositionTests {
    /// Distinct valid entries: a generated log's lines.
    static func lines(_ directory: TemporaryDirectory, count: Int) throws -> [String] {
        let log = directory.file("generated.jsonl")
        let result = try LogfoldProcess.run([
            "generate", "--seed", "9", "--customers", "4", "--days", "20", "--out", log,
        ])
        try #require(result.status == 0, "\(result.stderr)")
        let all = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        try #require(all.count >= count)
        return Array(all.prefix(count))
    }

    static func write(_ lines: [String], to path: String, appending: Bool = false) throws {
        let text = lines.map { $0 + "\n" }.joined()
        if appending, let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try handle.close()
        } else {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }
    }

    /// One run of the daemon following `file` until the journal reaches `head`; its summary line.
    static func follow(_ file: String, data: String, until head: Int) throws -> String {
        let daemon = try RunDaemonTests.Daemon(data: data, ["--follow", file, "--no-send"])
        #expect(try eventually { try daemon.health()["journal_head"] == head }, "the journal did not reach \(head)")
        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test("a restarted follow resumes at the committed offset: after a stop, a rotation, a truncation, a copy-truncate")
    func followResumes() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.lines(directory, count: 40)
        let data = directory.file("data")
        let file = directory.file("platform.jsonl")
        try Self.write(Array(lines[0..<5]), to: file)
        #expect(try Self.follow(file, data: data, until: 5).contains("ingested 5, duplicates 0"))

        // Stopped, then more lines: only they are read.
        try Self.write(Array(lines[5..<8]), to: file, appending: true)
        #expect(try Self.follow(file, data: data, until: 8).contains("ingested 3, duplicates 0"))

        // Rotated while stopped, with two lines the last run never read: they come from the rotated file.
        try Self.write(Array(lines[8..<10]), to: file, appending: true)
        try FileManager.default.moveItem(atPath: file, toPath: file + ".1")
        try Self.write(Array(lines[10..<13]), to: file)
        #expect(try Self.follow(file, data: data, until: 13).contains("ingested 5, duplicates 0"))

        // Truncated and rewritten while stopped, no copy beside it: read from its start.
        try Self.write(Array(lines[13..<15]), to: file)
        #expect(try Self.follow(file, data: data, until: 15).contains("ingested 2, duplicates 0"))

        // Copy-truncated while stopped (logrotate's copytruncate), with a line not yet read in the copy.
        try Self.write(Array(lines[15..<17]), to: file, appending: true)
        try FileManager.default.copyItem(atPath: file, toPath: file + ".2")
        try Self.write(Array(lines[17..<18]), to: file)
        #expect(try Self.follow(file, data: data, until: 18).contains("ingested 3, duplicates 0"))

        // Every line once, in the order it was written.
        for (index, line) in lines.prefix(18).enumerated() {
            let id = try #require(line.split(separator: ",").first?.split(separator: ":").last)
            let shown = try LogfoldProcess.run(["journal", "show", "--data", data, "\(index + 1)"]).stdout
            #expect(shown.contains("\"id\":\(id),"), "seq \(index + 1): \(shown.prefix(80))")
        }
    }

    @Test("killed right after a commit: the followed file and the table resume after it, nothing lost or re-read")
    func killedAfterCommit() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.lines(directory, count: 12)
        let data = directory.file("data")
        let file = directory.file("platform.jsonl")
        try Self.write(lines, to: file)
        // Two lines a batch; the process kills itself right after the journal commits the second batch.
        let killed = try LogfoldProcess.run(
            ["ingest", "--data", data, "--follow", "--batch", "2", file],
            environment: ["LOGFOLD_TEST_CRASH_AT": "journal.append.after:2"])
        #expect(killed.status == SIGKILL)
        #expect(try Self.follow(file, data: data, until: 12).contains("ingested 8, duplicates 0"))

        let database = directory.file("platform.sqlite")
        let queue = try TableSourceTests.platform(database)
        try TableSourceTests.insert((1...6).map { ($0, TableSourceTests.entry(1_000 + $0)) }, into: queue)
        let arguments = ["ingest", "--data", data, "--batch", "2"] + TableSourceTests.columns + [database]
        let tableKilled = try LogfoldProcess.run(
            arguments, environment: ["LOGFOLD_TEST_CRASH_AT": "journal.append.after:2"])
        #expect(tableKilled.status == SIGKILL)
        let resumed = try LogfoldProcess.run(arguments)
        #expect(resumed.stdout.contains("ingested 2, duplicates 0"), "\(resumed.stdout)")
        #expect(resumed.stderr.contains("resuming table system_log after seq 4"), "\(resumed.stderr)")
    }
}

extension CommittedPositionTests {
    @Test("an earlier build's position file under DATA/sources is read once, checked, moved into the journal")
    func sideFileMigrates() throws {
        let directory = try TemporaryDirectory()
        let database = URL(fileURLWithPath: directory.file("platform.sqlite")).standardizedFileURL.path
        let queue = try TableSourceTests.platform(database)
        try TableSourceTests.insert((1...6).map { ($0, TableSourceTests.entry(2_000 + $0)) }, into: queue)
        let data = directory.file("data")
        // What that build wrote after reading rows 1-4: the key, a digest of row 4, the journal's high mark.
        var digest: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in TableSourceTests.entry(2_004).utf8 {
            digest ^= UInt64(byte)
            digest &*= 0x0000_0100_0000_01b3
        }
        var name: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "sqlite|\(database)|system_log|seq".utf8 {
            name ^= UInt64(byte)
            name &*= 0x0000_0100_0000_01b3
        }
        let hex = String(name, radix: 16)
        let side = data + "/sources/table-system_log-\(String(repeating: "0", count: 16 - hex.count) + hex).json"
        try FileManager.default.createDirectory(atPath: data + "/sources", withIntermediateDirectories: true)
        try #"{"after":4,"afterDigest":\#(digest),"database":"\#(database)","keyColumn":"seq","table":"system_log"}"#
            .write(toFile: side, atomically: true, encoding: .utf8)

        let arguments = ["ingest", "--data", data] + TableSourceTests.columns + [database]
        let first = try LogfoldProcess.run(arguments)
        #expect(first.stdout.contains("ingested 2, duplicates 0"), "\(first.stdout)")
        #expect(first.stderr.contains("migrated"), "\(first.stderr)")
        #expect(!FileManager.default.fileExists(atPath: side), "the side file is still there")
        let again = try LogfoldProcess.run(arguments)
        #expect(again.stdout.contains("ingested 0, duplicates 0"), "\(again.stdout)")
        #expect(again.stderr.contains("resuming table system_log after seq 6"), "\(again.stderr)")
    }
}

extension CommittedPositionTests {
    @Test("a stop while the followed file's last line is half written leaves it whole for the next start")
    func halfWrittenLineAtStop() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.lines(directory, count: 4)
        let data = directory.file("data")
        let file = directory.file("platform.jsonl")
        let last = lines[3]
        let half = last.index(last.startIndex, offsetBy: last.count / 2)
        try (lines[0..<3].map { $0 + "\n" }.joined() + last[..<half]).write(
            toFile: file, atomically: false, encoding: .utf8)
        #expect(try Self.follow(file, data: data, until: 3).contains("ingested 3, duplicates 0, rejected 0"))
        // The writer finishes the line while nothing follows the file.
        let handle = try #require(FileHandle(forWritingAtPath: file))
        handle.seekToEndOfFile()
        handle.write(Data((String(last[half...]) + "\n").utf8))
        try handle.close()
        #expect(try Self.follow(file, data: data, until: 4).contains("ingested 1, duplicates 0, rejected 0"))
        let rejects = (try? String(contentsOfFile: data + "/rejects.jsonl", encoding: .utf8)) ?? ""
        #expect(rejects.isEmpty, "a half of the line was rejected: \(rejects)")
    }
}
