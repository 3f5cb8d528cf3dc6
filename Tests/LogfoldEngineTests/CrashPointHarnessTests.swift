import Foundation
import LogfoldJournal
import LogfoldTestSupport
import Testing

/// The crash-point harness (docs/reliability.md): ingest → project → send of a generated log against the
/// sandbox, the process killed with SIGKILL at seeded random crash points (`LOGFOLD_TEST_CRASH_AT`) in
/// every stage — inside the journal's and the store's transactions, before a request, between Klaviyo's
/// answer and the marking, inside and after the marking — and restarted each time.
///
/// 50 kills in CI; `LOGFOLD_HARNESS_LONG=1` makes 1,000 (`scripts/harness`).
@Suite(.serialized, .offThePool) struct CrashPointHarnessTests {
    static let long = ProcessInfo.processInfo.environment["LOGFOLD_HARNESS_LONG"] != nil

    /// One stage of the pipeline as a command, and the crash points it passes through.
    struct Stage {
        var name: String
        var arguments: [String]
        var points: [String]
        /// Arrivals at a point to choose the crash among, given the lines written so far: about twice the
        /// run's real count, so about half the runs are killed and half complete.
        var arrivals: (Int) -> Int
        var environment: [String: String] = [:]
    }

    @Test("SIGKILLed at seeded crash points across ingest, project and send: nothing lost, nothing doubled")
    func crashPoints() throws {
        let target = Self.long ? 1_000 : 50
        let directory = try TemporaryDirectory()
        let log = directory.file("log.jsonl")
        // The long mode's log is big enough that each of its ~700 rounds has new entries to work on.
        let size = Self.long ? ["--customers", "300", "--days", "365"] : ["--customers", "30", "--days", "45"]
        let generated = try LogfoldProcess.run(["generate", "--seed", "21", "--out", log] + size)
        try #require(generated.status == 0, "\(generated.stderr)")
        let lines = try Data(contentsOf: URL(fileURLWithPath: log)).split(separator: 0x0A).map(Array.init)
        let reference = try Self.uninterruptedDigest(log, in: directory)

        // The platform keeps writing: the file ingest reads grows by a chunk every round, so each stage
        // has new work to be killed in. A round kills about 1.5 times.
        let input = directory.file("input.jsonl")
        let chunk = max(20, lines.count * 3 / (2 * target))
        var written = 0
        func grow() throws {
            let next = min(lines.count, written + chunk)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: input))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: lines[written..<next].flatMap { $0 + [0x0A] })
            written = next
        }
        try #require(FileManager.default.createFile(atPath: input, contents: nil))
        try grow()

        let data = directory.file("data")
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        let stages = [
            Stage(
                name: "ingest", arguments: ["ingest", "--data", data, "--batch", "20", input],
                points: ["journal.append.inside", "journal.append.after"],
                // Ingest reads the whole file each time: its earlier lines come back as duplicates.
                arrivals: { 2 * ($0 / 20 + 1) }),
            Stage(
                name: "project", arguments: ["project", "--data", data, "--batch", "20"],
                points: ["store.commit.inside", "store.commit.after"], arrivals: { _ in 2 * (chunk / 20 + 1) }),
            Stage(
                name: "send",
                arguments: [
                    "send", "--data", data, "--klaviyo-url", sandbox.url, "--once", "--window", "120",
                    "--concurrency", "1",
                ],
                points: [
                    "send.request.before", "send.answered.before-marking", "send.marking.inside",
                    "send.marking.after",
                ],
                arrivals: { _ in 10 }, environment: SendEndToEndTests.key),
        ]

        var random = SplitMix(seed: 2_026)
        var killed: [String: Int] = [:]
        var completed: [String: Int] = [:]
        var runs = 0
        // Runs that complete (the crash point lay past the run's work) do not count toward the target.
        while killed.values.reduce(0, +) < target && runs < 6 * target {
            // Rounds of ingest, project, send, in order; the file grows after each round's ingest.
            let stage = stages[runs % stages.count]
            runs += 1
            let point = stage.points[Int(random.next() % UInt64(stage.points.count))]
            let arrival = 1 + Int(random.next() % UInt64(stage.arrivals(written)))
            var environment = stage.environment
            environment["LOGFOLD_TEST_CRASH_AT"] = "\(point):\(arrival)"
            let result = try LogfoldProcess.run(stage.arguments, environment: environment)
            if result.status == SIGKILL {
                killed[point, default: 0] += 1
            } else {
                try #require(result.status == 0, "\(stage.name) at \(point):\(arrival): \(result.stderr)")
                completed[stage.name, default: 0] += 1
            }
            if stage.name == "ingest" { try grow() }
        }
        while written < lines.count { try grow() }
        for stage in stages {
            let result = try LogfoldProcess.run(stage.arguments, environment: stage.environment)
            try #require(result.status == 0, "the final \(stage.name): \(result.stderr)")
        }

        // The journal holds each input line once, in file order.
        let journal = try Journal(directory: data + "/journal")
        #expect(try journal.head() == UInt64(lines.count))
        try journal.forEach(from: 1) { record in
            #expect(Array(record.entry) == lines[Int(record.seq) - 1], "seq \(record.seq)")
            return true
        }
        // State and outbox are what one uninterrupted projection makes.
        #expect(try Self.digest(data) == reference)
        // Klaviyo holds each event once, and every one of them.
        let expected = try SendEndToEndTests.outbox(data).filter { $0["kind"] as? String == "event" }
        let stored = try sandbox.lines("/sandbox/events").map(SendEndToEndTests.eventKey)
        #expect(stored.count == Set(stored).count, "an event is stored twice")
        #expect(Set(stored) == Set(expected.map(SendEndToEndTests.eventKey)))
        let profiles = try sandbox.lines("/sandbox/profiles").compactMap { $0["external_id"] as? String }
        #expect(profiles.count == Set(profiles).count, "a customer has two Klaviyo profiles")
        #expect(try SendEndToEndTests.outbox(data, status: "pending").isEmpty)
        #expect(try SendEndToEndTests.outbox(data, status: "dead").isEmpty)

        let absorbed = try sandbox.stats()["deduplicated"] ?? 0
        let kills = killed.values.reduce(0, +)
        #expect(kills == target, "\(runs) runs were killed only \(kills) times: \(killed)")
        // The figures docs/reliability.md quotes.
        print(
            "crash-point harness: \(runs) runs, \(kills) killed "
                + killed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                + "; completed "
                + completed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", ")
                + "; \(lines.count) entries, \(stored.count) events, each once; Klaviyo absorbed \(absorbed) "
                + "resent events as duplicates")
    }

    /// The digest of `log` ingested and projected with no interruption.
    static func uninterruptedDigest(_ log: String, in directory: TemporaryDirectory) throws -> String {
        let data = directory.file("reference")
        for arguments in [["ingest", "--data", data, log], ["project", "--data", data]] {
            let result = try LogfoldProcess.run(arguments)
            try #require(result.status == 0, "\(arguments[0]): \(result.stderr)")
        }
        return try digest(data)
    }

    static func digest(_ data: String) throws -> String {
        let result = try LogfoldProcess.run(["digest", "--data", data])
        try #require(result.status == 0, "digest: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
