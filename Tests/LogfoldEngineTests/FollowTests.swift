import Foundation
import LogfoldJournal
import LogfoldTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.serialized, .offThePool) struct FollowTests {
    static func line(_ id: Int) -> String {
        #"{"id":\#(id),"at":"2020-05-15T13:03:56-04:00","type":"login","customer":{"id":"\#(id % 7)"}}"#
    }

    func append(_ ids: ClosedRange<Int>, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(ids.map { Self.line($0) + "\n" }.joined().utf8))
        try handle.close()
    }

    @Test(
        "--follow picks up appended lines, survives rotation and truncation, and exits 0 on SIGTERM",
        arguments: [false, true])
    func followRotateTruncate(pollOnly: Bool) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("live.jsonl")
        let data = directory.file("data")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        try append(1...5, to: path)
        // Woken by inotify, or (LOGFOLD_FOLLOW_POLL_ONLY) finding each change at its next poll.
        let child = try LogfoldProcess(
            ["ingest", "--data", data, "--follow", "--poll-interval-ms", "20", path],
            environment: pollOnly ? ["LOGFOLD_FOLLOW_POLL_ONLY": "1"] : [:])
        let watcher = JournalWatcher(data: data)
        func head() throws -> UInt64 { try watcher.head() }
        #expect(try eventually(timeout: .seconds(30)) { try head() == 5 })

        try append(6...8, to: path)
        #expect(try eventually(timeout: .seconds(30)) { try head() == 8 })

        // Rotation: the old file moves away, a new one appears at the path.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        try append(9...10, to: path)
        #expect(try eventually(timeout: .seconds(30)) { try head() == 10 })

        // Copy-truncate: the file is emptied in place and refilled with other lines of the same length,
        // faster than a poll; the size alone cannot tell, the bytes before the read offset can.
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: 0)
        try append(11...12, to: path)
        #expect(try eventually(timeout: .seconds(30)) { try head() == 12 })

        // Truncated and refilled with the same lines plus more: the rest is read, nothing twice.
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: 0)
        try append(11...14, to: path)
        #expect(try eventually(timeout: .seconds(30)) { try head() == 14 })

        child.send(SIGTERM)
        let result = child.finish()
        #expect(result.status == 0, "\(result.stderr)")
        // Duplicates are 0, or 2 if a poll fell between a truncation and its refill (then 11 and 12 were
        // read again and skipped); either way each entry is journaled once.
        #expect(result.stdout.hasPrefix("ingested 14, duplicates "), "\(result.stdout)")
        #expect(result.stdout.hasSuffix(", rejected 0\n"), "\(result.stdout)")
        let ids = try #require(watcher.journal).records(from: 1, limit: 20).map(\.platformID)
        #expect(ids == Array(1...14).map(UInt64.init))
    }

    /// Whether this machine gives a process an inotify instance: without one the follower polls, and the
    /// test below, which waits far less than its poll interval, cannot pass.
    static let inotifyWorks: Bool = {
        #if os(Linux)
            let descriptor = inotify_init1(0)
            guard descriptor >= 0 else { return false }
            close(descriptor)
            return true
        #else
            return false
        #endif
    }()

    @Test(
        "a followed file's new lines and its rotation are read when they happen, not at the next poll",
        .enabled(if: inotifyWorks, "the follower polls where inotify is not available"))
    func followIsWokenByChanges() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("live.jsonl")
        let data = directory.file("data")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        try append(1...2, to: path)
        // An hour between polls: only the file-change notification can bring the lines in within the test's
        // bounded waits, and only the stop check between slices of the wait lets SIGTERM end it in time.
        let child = try LogfoldProcess(["ingest", "--data", data, "--follow", "--poll-interval-ms", "3600000", path])
        let watcher = JournalWatcher(data: data)
        #expect(try eventually(timeout: .seconds(30)) { try watcher.head() == 2 })
        try append(3...4, to: path)
        #expect(try eventually(timeout: .seconds(30)) { try watcher.head() == 4 })
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        try append(5...6, to: path)
        #expect(try eventually(timeout: .seconds(30)) { try watcher.head() == 6 })
        child.send(SIGTERM)
        let result = child.finish(timeout: .seconds(60))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ingested 6, duplicates 0, rejected 0\n", "\(result.stdout)")
    }

    @Test("standard input is read to its end with `-`")
    func standardInput() throws {
        let directory = try TemporaryDirectory()
        let input = directory.file("in.jsonl")
        try Data((1...4).map { Self.line($0) + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: input))
        let result = try LogfoldProcess.run(
            ["ingest", "--data", directory.file("data"), "-"],
            stdin: try FileHandle(forReadingFrom: URL(fileURLWithPath: input)))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ingested 4, duplicates 0, rejected 0\n")
    }

    @Test("a failing command prints one line on stderr and exits non-zero")
    func failureIsOneLine() throws {
        let directory = try TemporaryDirectory()
        let result = try LogfoldProcess.run([
            "ingest", "--data", directory.file("data"), directory.file("missing.jsonl"),
        ])
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("missing.jsonl"))
    }
}
