import Foundation
import LogfoldTestSupport
import Testing

/// `logfold run` as a real child process: a followed file and the HTTP endpoint feed the journal, the
/// projector folds what they commit, the sender delivers to the real sandbox, and SIGTERM drains.
@Suite(.serialized, .offThePool) struct RunDaemonTests {
    /// A running `logfold run … --http-port 0` and the endpoint it announced; killed if a test ends
    /// without stopping it.
    final class Daemon: Sendable {
        let child: LogfoldProcess
        let url: String
        /// The bearer token ``post(_:)`` sends.
        let token: String?

        /// The headers of a post from the platform's servers: JSON Lines, and the token when there is one.
        var postHeaders: [String: String] {
            ["Content-Type": "application/x-ndjson"].merging(token.map { ["Authorization": "Bearer \($0)"] } ?? [:]) {
                first, _ in first
            }
        }

        /// A daemon on `data` with the HTTP endpoint on a free port.
        ///
        /// Without `weekTicks` the daemon journals no `logfold.tick` (the tests' entries are years old, so
        /// the current week would get one at once). Without a token given (`token`, a token file or
        /// `LOGFOLD_HTTP_TOKEN`) the endpoint runs with `--http-insecure-no-token`.
        init(
            data: String, _ extra: [String], environment: [String: String] = [:], weekTicks: Bool = false,
            token: String? = nil
        ) throws {
            var arguments = [
                "run", "--data", data, "--http-port", "0", "--poll-interval-ms", "20", "--project-interval-ms", "20",
            ]
            if !weekTicks { arguments.append("--no-week-ticks") }
            // `token: ""`: the daemon makes its own (the test reads it from the data directory).
            if token == nil, !extra.contains("--http-token-file"), environment["LOGFOLD_HTTP_TOKEN"] == nil {
                arguments.append("--http-insecure-no-token")
            }
            self.token = token?.isEmpty == false ? token : nil
            child = try LogfoldProcess(arguments + extra, environment: environment)
            let line = child.readLine(timeout: .seconds(60))
            guard let line, let range = line.range(of: "http://") else {
                child.send(SIGKILL)
                let result = child.finish()
                throw CocoaError(
                    .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "run did not start: \(result.stderr)"])
            }
            url = String(line[range.lowerBound...])
        }

        func post(_ lines: some Sequence<Substring>) throws -> (Int, [String: Any]) {
            let (status, body) = try httpRequest(
                "POST", url + "/v1/entries", body: lines.map { $0 + "\n" }.joined(), headers: postHeaders)
            return (status, try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:])
        }

        func health() throws -> [String: Int] {
            let (_, body) = try httpRequest("GET", url + "/v1/health")
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
            return object.compactMapValues { ($0 as? NSNumber)?.intValue }
        }

        /// SIGTERM, then the exit status and output.
        func stop() -> (status: Int32, stdout: String, stderr: String) {
            child.send(SIGTERM)
            return child.finish()
        }

        deinit {
            if child.process.isRunning {
                child.send(SIGKILL)
                _ = child.finish()
            }
        }
    }

    /// A generated platform log's lines.
    static func generated(in directory: TemporaryDirectory, customers: Int = 40, days: Int = 30) throws -> [Substring] {
        let path = directory.file("platform.jsonl")
        let result = try LogfoldProcess.run(
            ["generate", "--seed", "5", "--customers", "\(customers)", "--days", "\(days)", "--out", path])
        try #require(result.status == 0, "\(result.stderr)")
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    }

    static func append(_ lines: ArraySlice<Substring>, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
        try handle.close()
    }

    @Test("a followed file and HTTP posts fold into exactly the state and outbox a batch ingest and project gives")
    func followAndHTTPMatchBatch() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.generated(in: directory)
        try #require(lines.count > 300)
        let third = lines.count / 3
        let live = directory.file("live.jsonl")
        _ = FileManager.default.createFile(atPath: live, contents: nil)
        try Self.append(lines[..<third], to: live)
        let daemon = try Daemon(data: directory.file("data"), ["--follow", live, "--no-send"])

        #expect(try eventually { try daemon.health()["journal_head"] == third })
        let (status, answer) = try daemon.post(lines[third..<(2 * third)])
        #expect(status == 200)
        #expect(answer["ingested"] as? Int == third)
        #expect(answer["journal_head"] as? Int == 2 * third)
        // The projector follows without being asked.
        #expect(try eventually { try daemon.health()["checkpoint"] == 2 * third })
        try Self.append(lines[(2 * third)...], to: live)
        #expect(try eventually { try daemon.health()["checkpoint"] == lines.count })

        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ingested \(lines.count), duplicates 0, rejected 0"), "\(result.stdout)")

        // The same lines through `ingest` and `project`: the same digest.
        let whole = directory.file("whole.jsonl")
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: whole))
        let batch = directory.file("batch")
        for arguments in [["ingest", "--data", batch, whole], ["project", "--data", batch]] {
            let step = try LogfoldProcess.run(arguments)
            try #require(step.status == 0, "\(step.stderr)")
        }
        let digests = try [directory.file("data"), batch].map {
            try LogfoldProcess.run(["digest", "--data", $0]).stdout
        }
        #expect(digests[0] == digests[1] && digests[0].count == 65)
    }

    @Test("posted entries reach the sandbox as Klaviyo events, each once, and SIGTERM exits 0")
    func sendsWhatItIngests() throws {
        let directory = try TemporaryDirectory()
        let scenario = "order-placed-fulfilled"
        let log = try SendEndToEndTests.sample(scenario).split(separator: "\n")
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        let daemon = try Daemon(
            data: directory.file("data"), ["--klaviyo-url", sandbox.url, "--no-rate-limits"],
            environment: SendEndToEndTests.key)
        #expect(try daemon.post(log).0 == 200)
        // Posting again appends nothing and sends nothing twice.
        let (status, again) = try daemon.post(log)
        #expect(status == 200 && again["ingested"] as? Int == 0 && again["duplicates"] as? Int == log.count)

        let golden = try String(
            contentsOfFile: GoldenScenarioTests.journal.path + "/golden/\(scenario).outbox.jsonl", encoding: .utf8)
        let expected = try golden.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["kind"] as? String == "event" }.map(SendEndToEndTests.eventKey).sorted()
        #expect(!expected.isEmpty)
        #expect(try eventually { try sandbox.lines("/sandbox/events").count >= expected.count })
        // Stopped once every row is marked: a stop cancels requests in flight, leaving their rows pending.
        #expect(try eventually { try SendEndToEndTests.nothingPending(directory.file("data")) })
        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sandbox.lines("/sandbox/events").map(SendEndToEndTests.eventKey).sorted() == expected)
        #expect(result.stdout.contains("delivered "), "\(result.stdout)")
        #expect(try SendEndToEndTests.outbox(directory.file("data"), status: "pending").isEmpty)
    }

    @Test("SIGTERM while clients post: every acknowledged entry is journaled and projected before exit 0")
    func drainsOnSIGTERM() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.generated(in: directory, customers: 150, days: 90)
        let data = directory.file("data")
        let daemon = try Daemon(data: data, ["--no-send"])
        let acknowledged = Counter()
        let poster = Thread {
            var start = 0
            while start < lines.count {
                let end = min(start + 50, lines.count)
                guard let (status, answer) = try? daemon.post(lines[start..<end]), status == 200 else { return }
                acknowledged.add(answer["ingested"] as? Int ?? 0)
                start = end
            }
        }
        poster.start()
        #expect(eventually { acknowledged.value >= 500 })
        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr)")
        poster.cancel()
        // The stop came while entries were still being posted (else this tested no drain).
        #expect(acknowledged.value < lines.count, "\(lines.count) lines")

        let status = try LogfoldProcess.run(["status", "--data", data, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any] ?? [:]
        let head = (object["journal_head"] as? NSNumber)?.intValue ?? -1
        let checkpoint = (object["checkpoint"] as? NSNumber)?.intValue ?? -2
        #expect(head >= acknowledged.value, "\(status.stdout)")
        #expect(checkpoint == head, "\(status.stdout)")
    }

    @Test("bad lines get 422 with line, field and reason, and go to the rejects file; an oversized body gets 413")
    func rejectsAndLimits() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let daemon = try Daemon(data: data, ["--no-send", "--http-max-body-bytes", "2000"])
        let good = #"{"id":7,"at":"2020-05-15T13:03:56-04:00","type":"login","customer":{"id":"3"}}"#
        let (status, answer) = try daemon.post([Substring(good), "", #"{"id":8,"at":"yesterday","type":"login"}"#])
        #expect(status == 422)
        #expect(answer["ingested"] as? Int == 1 && answer["rejected"] as? Int == 1)
        let rejection = (answer["rejections"] as? [[String: Any]])?.first ?? [:]
        #expect(rejection["line"] as? Int == 3 && rejection["id"] as? Int == 8 && rejection["field"] as? String == "at")
        #expect((rejection["remedy"] as? String)?.isEmpty == false)

        let big = (0..<40).map { Substring(good.replacingOccurrences(of: "\"id\":7", with: "\"id\":\(100 + $0)")) }
        #expect(try daemon.post(big).0 == 413)
        #expect(try daemon.health()["journal_head"] == 1)

        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr)")
        let rejects = try String(contentsOfFile: data + "/rejects.jsonl", encoding: .utf8)
        #expect(rejects.contains("yesterday") && rejects.contains("\"line\":3"), "\(rejects)")
    }

    @Test("SIGTERM during the first pass over a large followed file stops after the batch in hand, exit 0")
    func stopsDuringLargeFollowPass() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.generated(in: directory, customers: 2_000, days: 90)
        let daemon = try Daemon(
            data: directory.file("data"), ["--no-send", "--follow", directory.file("platform.jsonl")])
        #expect(try eventually { try daemon.health()["journal_head"] ?? 0 >= 2_000 })
        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr)")
        let status = try LogfoldProcess.run(["status", "--data", directory.file("data"), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any] ?? [:]
        let head = (object["journal_head"] as? NSNumber)?.intValue ?? 0
        // Stopped well before the end of the file, with what it journaled projected.
        #expect(head > 0 && head < lines.count / 2, "head \(head) of \(lines.count)")
        #expect((object["checkpoint"] as? NSNumber)?.intValue == head, "\(status.stdout)")
    }

    @Test("a second daemon on the same data directory is refused, naming the first one's pid")
    func oneDaemonPerDirectory() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let first = try Daemon(data: data, ["--no-send"])
        let second = try LogfoldProcess.run(["run", "--data", data, "--no-send"])
        #expect(second.status != 0)
        #expect(second.stderr.contains("pid \(first.child.pid)") && second.stderr.contains("another --data"))
        #expect(first.stop().status == 0)
    }

    @Test("a port already taken stops the daemon with a non-zero exit that names the port")
    func portInUse() throws {
        let directory = try TemporaryDirectory()
        let first = try Daemon(data: directory.file("one"), ["--no-send"])
        defer { _ = first.stop() }
        let port = try #require(first.url.split(separator: ":").last.map(String.init))
        let result = try LogfoldProcess.run(["run", "--data", directory.file("two"), "--http-port", port, "--no-send"])
        #expect(result.status != 0)
        #expect(
            result.stderr.contains("127.0.0.1:\(port)") && result.stderr.contains("--http-port"), "\(result.stderr)")
    }
}

/// A counter the posting thread writes and the test reads.
private final class Counter: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var count = 0

    func add(_ amount: Int) { lock.withLock { count += amount } }
    var value: Int { lock.withLock { count } }
}
