import Foundation
import LogfoldStore
import LogfoldTestSupport
import Testing

/// The sender against the real sandbox over loopback, both as child processes of the built `logfold`.
@Suite(.serialized, .offThePool) struct SendEndToEndTests {
    static let key = ["KLAVIYO_API_KEY": "pk_test_logfold"]

    /// Ingests and projects `log` into `DIR/data`.
    ///
    /// The mapping file beside it (`NAME.mapping.json`, as the golden samples keep one) is used when there
    /// is one.
    static func project(_ log: String, in directory: TemporaryDirectory) throws -> String {
        let data = directory.file("data")
        let mapping = String(log.dropLast(".jsonl".count)) + ".mapping.json"
        let project =
            ["project", "--data", data]
            + (FileManager.default.fileExists(atPath: mapping) ? ["--mapping", mapping] : [])
        for arguments in [["ingest", "--data", data, log], project] {
            let result = try LogfoldProcess.run(arguments)
            try #require(result.status == 0, "\(arguments[0]): \(result.stderr)")
        }
        return data
    }

    static func send(
        _ data: String, _ sandbox: SandboxProcess, _ extra: [String] = [], environment: [String: String] = key
    )
        throws -> (status: Int32, stdout: String, stderr: String)
    {
        try LogfoldProcess.run(
            ["send", "--data", data, "--klaviyo-url", sandbox.url, "--once"] + extra, environment: environment)
    }

    /// Whether no row of any destination waits to be sent, read in this process: a test polling while a
    /// daemon sends asks often, and a `logfold outbox` process per poll kept a core busy beside it.
    static func nothingPending(_ data: String) throws -> Bool {
        let store = try StateStore(path: data + "/state.sqlite")
        defer { try? store.close() }
        return try store.outboxCounts()[OutboxStatus.pending] == nil && store.activeCampaignCounts()[.pending] == nil
    }

    static func outbox(_ data: String, status: String? = nil) throws -> [[String: Any]] {
        let result = try LogfoldProcess.run(
            ["outbox", "--data", data, "--json"] + (status.map { ["--status", $0] } ?? []))
        try #require(result.status == 0, "\(result.stderr)")
        return try result.stdout.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// A sample log's text (`Journal/samples/NAME.jsonl`).
    static func sample(_ name: String) throws -> String {
        try String(contentsOfFile: GoldenScenarioTests.journal.path + "/samples/\(name).jsonl", encoding: .utf8)
    }

    /// `text` with each `(from, to)` replaced everywhere: a sample rewritten for another customer.
    static func rewritten(_ text: String, _ replacements: [(String, String)]) -> String {
        replacements.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    static func eventKey(_ object: [String: Any]) -> String {
        let profile = object["profile"] as? [String: Any]
        let externalID = (profile?["external_id"] ?? object["external_id"]) as? String ?? "?"
        return "\(externalID)|\(object["metric"] as? String ?? "?")|\(object["unique_id"] as? String ?? "?")"
    }

    @Test(
        "each golden scenario sent end to end: the sandbox holds exactly its events and profiles",
        arguments: GoldenScenarioTests.scenarios)
    func goldenScenario(_ name: String) throws {
        let directory = try TemporaryDirectory()
        let data = try Self.project(GoldenScenarioTests.journal.path + "/samples/\(name).jsonl", in: directory)
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        let result = try Self.send(data, sandbox)
        try #require(result.status == 0, "send: \(result.stderr)")

        let golden = try String(
            contentsOfFile: GoldenScenarioTests.journal.path + "/golden/\(name).outbox.jsonl", encoding: .utf8)
        let expected = try golden.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let expectedEvents = expected.filter { $0["kind"] as? String == "event" }
        let events = try sandbox.lines("/sandbox/events")
        #expect(events.map(Self.eventKey).sorted() == expectedEvents.map(Self.eventKey).sorted())
        // Historical samples (2020) are older than two days: all of them stored without firing flows.
        #expect(events.allSatisfy { $0["backfill"] as? Bool == true })
        #expect(try Self.outbox(data, status: "pending").isEmpty)
        #expect(try Self.outbox(data, status: "dead").isEmpty)

        // Each customer's profile holds what its profile upserts say, applied in order: a property
        // sent `null` is removed (profile import's `patch_properties.unset`), the others set.
        let profiles = try sandbox.lines("/sandbox/profiles")
        var want: [String: [String: String]] = [:]
        for row in expected where row["kind"] as? String == "profile" {
            guard let id = (row["profile"] as? [String: Any])?["external_id"] as? String else { continue }
            for (key, value) in row["properties"] as? [String: Any] ?? [:] {
                want[id, default: [:]][key] = value is NSNull ? nil : "\(value)"
            }
        }
        for (id, properties) in want {
            let profile = try #require(profiles.first { $0["external_id"] as? String == id }, "no profile \(id)")
            let have = (profile["properties"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
            #expect(have == properties, "\(name): profile \(id)")
        }
    }

    @Test(
        "a sender killed between a request and its marking resends; Klaviyo keeps each event once",
        arguments: [[], ["--strict-duplicates"]])
    func crashBetweenRequestAndMarking(sandboxFlags: [String]) throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("log.jsonl")
        let generated = try LogfoldProcess.run([
            "generate", "--seed", "5", "--customers", "40", "--days", "60", "--out", log,
        ])
        try #require(generated.status == 0, "\(generated.stderr)")
        let data = try Self.project(log, in: directory)
        // Both readings of Klaviyo's contract: a resent event is absorbed (202), or the bulk request is
        // refused naming it as a duplicate (--strict-duplicates); either way it ends delivered, once.
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"] + sandboxFlags)
        defer { sandbox.stop() }
        let events = try Self.outbox(data).filter { $0["kind"] as? String == "event" }

        var environment = Self.key
        environment["LOGFOLD_TEST_CRASH_BEFORE_MARKING"] = "3"
        let crashed = try Self.send(data, sandbox, ["--window", "300"], environment: environment)
        #expect(crashed.status == SIGKILL || crashed.status == 128 + SIGKILL, "the sender was meant to be killed")
        #expect(try Self.outbox(data, status: "pending").count > 0)

        let resumed = try Self.send(data, sandbox, ["--window", "300"])
        try #require(resumed.status == 0, "send: \(resumed.stderr)")
        let accepted = try sandbox.lines("/sandbox/events").map(Self.eventKey)
        #expect(accepted.count == Set(accepted).count, "an event was stored twice")
        #expect(Set(accepted) == Set(events.map(Self.eventKey)))
        if sandboxFlags.isEmpty {
            #expect((try sandbox.stats()["deduplicated"] ?? 0) > 0, "the resent request was not absorbed as duplicates")
        } else {
            let deduplicated = try Self.outbox(data, status: "delivered").filter {
                $0["outcome"] as? String == "deduplicated"
            }
            #expect(!deduplicated.isEmpty, "no event was marked delivered from Klaviyo's duplicate answer")
        }
        #expect(try Self.outbox(data, status: "pending").isEmpty)
    }

    @Test("a poisoned record inside a bulk request: only its rows are dead-lettered, with Klaviyo's error")
    func poisonedRecord() throws {
        let directory = try TemporaryDirectory()
        let sample = try Self.sample("signup-completed")
        let poisoned = Self.rewritten(
            sample, [("1141260", "999"), ("ktest@example.com", "not-an-email"), ("{\"id\":88", "{\"id\":99")])
        let log = directory.file("log.jsonl")
        try Data((sample + poisoned).utf8).write(to: URL(fileURLWithPath: log))
        let data = try Self.project(log, in: directory)
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        let result = try Self.send(data, sandbox, ["--bulk-min", "1"])
        try #require(result.status == 0, "send: \(result.stderr)")

        let dead = try Self.outbox(data, status: "dead")
        #expect(!dead.isEmpty)
        for row in dead {
            #expect((row["profile"] as? [String: Any])?["external_id"] as? String == "999")
            #expect((row["last_error"] as? String)?.contains("HTTP 400") == true)
        }
        #expect(dead.contains { ($0["last_error"] as? String)?.contains("email") == true })
        let goodEvents = try Self.outbox(data).filter {
            $0["kind"] as? String == "event"
                && ($0["profile"] as? [String: Any])?["external_id"] as? String == "1141260"
        }
        let stored = Set(try sandbox.lines("/sandbox/events").map(Self.eventKey))
        #expect(Set(goodEvents.map(Self.eventKey)).isSubset(of: stored))
        #expect(try Self.outbox(data, status: "pending").isEmpty)

        // An operator retries the dead letters: they are sent again and, still invalid, die again.
        let retry = try LogfoldProcess.run(["outbox", "retry", "--data", data, "--all"])
        #expect(retry.stdout.contains("retrying \(dead.count) dead letters"))
        #expect(try Self.outbox(data, status: "dead").isEmpty)
        try #require(try Self.send(data, sandbox, ["--bulk-min", "1"]).status == 0)
        #expect(try Self.outbox(data, status: "dead").count == dead.count)
    }

    @Test("a bad key stops the sender with the operator's error and dead-letters nothing")
    func badKey() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.project(GoldenScenarioTests.journal.path + "/samples/signup-completed.jsonl", in: directory)
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--api-key", "pk_right"])
        defer { sandbox.stop() }
        let result = try Self.send(data, sandbox, environment: ["KLAVIYO_API_KEY": "pk_wrong"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Klaviyo refused the API key"))
        #expect(!result.stderr.contains("pk_wrong"), "the key must never be printed")
        #expect(try Self.outbox(data, status: "dead").isEmpty)
        let status = try LogfoldProcess.run(["status", "--data", data])
        #expect(status.stdout.contains("stopped: Klaviyo refused the API key"))
    }
}

extension SendEndToEndTests {
    @Test("a history rebuild (replay, then send --history) sends only what the ledger does not hold")
    func historyRebuildSkipsTheLedger() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.project(
            GoldenScenarioTests.journal.path + "/samples/order-placed-fulfilled.jsonl", in: directory)
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        try #require(try Self.send(data, sandbox).status == 0)
        let before = try sandbox.lines("/sandbox/events").count
        #expect(before > 0)

        let rebuilt = directory.file("rebuilt")
        let replay = try LogfoldProcess.run(["replay", "--data", data, "--into", rebuilt])
        try #require(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("ledger: \(before) delivered events carried over"))
        let history = try Self.send(rebuilt, sandbox, ["--history"])
        try #require(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.contains("the ledger holds \(before) delivered events"))
        #expect(history.stdout.contains("already in Klaviyo per the ledger \(before)"))
        #expect(try sandbox.stats()["received"] == before, "events the ledger holds were sent again")
        #expect(try Self.outbox(rebuilt, status: "pending").isEmpty)
    }
}

extension SendEndToEndTests {
    @Test("a 429 storm: Retry-After is honoured (measured on the sandbox) and every event arrives")
    func retryAfterHonoured() throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("log.jsonl")
        let generated = try LogfoldProcess.run([
            "generate", "--seed", "9", "--customers", "10", "--days", "20", "--out", log,
        ])
        try #require(generated.status == 0, "\(generated.stderr)")
        let data = try Self.project(log, in: directory)
        // A third of all calls answer 429 with Retry-After: 1 (seeded, so the storm is the same every run).
        let sandbox = try SandboxProcess(
            data: directory.file("sandbox"), ["--no-rate-limits", "--faults", "429:0.35", "--faults-seed", "11"])
        defer { sandbox.stop() }
        let result = try Self.send(data, sandbox, ["--concurrency", "1"])
        try #require(result.status == 0, "send: \(result.stderr)")

        let requests = try sandbox.lines("/sandbox/requests")
        var throttled = 0
        for (index, request) in requests.enumerated() where request["status"] as? Int == 429 {
            throttled += 1
            guard let answered = request["answered_at_ms"] as? Int,
                let next = requests[(index + 1)...].first(where: { Self.route($0) == Self.route(request) }),
                let received = next["received_at_ms"] as? Int
            else { continue }
            // Retry-After is 1 s: nothing may reach that endpoint sooner. (Injected faults answer before
            // routing, so requests are matched by method and path.)
            #expect(received - answered >= 990, "a request arrived \(received - answered) ms after a 429")
        }
        #expect(throttled > 0, "the storm did not happen: no 429 to honour")
        let events = try Self.outbox(data).filter { $0["kind"] as? String == "event" }
        #expect(Set(try sandbox.lines("/sandbox/events").map(Self.eventKey)) == Set(events.map(Self.eventKey)))
        #expect(result.stdout.contains("throttled \(throttled)"))
    }
}

extension SendEndToEndTests {
    @Test("500s, 503s and connection resets are retried with backoff: everything arrives, once, nothing dies")
    func transientFaults() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.project(GoldenScenarioTests.journal.path + "/samples/order-refunded.jsonl", in: directory)
        let sandbox = try SandboxProcess(
            data: directory.file("sandbox"),
            ["--no-rate-limits", "--faults", "500:0.2,503:0.1,reset:0.1", "--faults-seed", "4"])
        defer { sandbox.stop() }
        let result = try Self.send(data, sandbox, ["--concurrency", "2"])
        try #require(result.status == 0, "send: \(result.stderr)")
        #expect((try sandbox.stats()["failed_injected"] ?? 0) > 0, "no fault was injected")
        let events = try Self.outbox(data).filter { $0["kind"] as? String == "event" }
        let stored = try sandbox.lines("/sandbox/events").map(Self.eventKey)
        #expect(stored.count == Set(stored).count)
        #expect(Set(stored) == Set(events.map(Self.eventKey)))
        #expect(try Self.outbox(data, status: "dead").isEmpty)
        #expect(try Self.outbox(data, status: "pending").isEmpty)
    }
}

extension SendEndToEndTests {
    @Test("SIGTERM stops a sender waiting out a backoff at once: exit 0, nothing lost, nothing dead")
    func sigtermDuringBackoff() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.project(GoldenScenarioTests.journal.path + "/samples/order-refunded.jsonl", in: directory)
        let sandbox = try SandboxProcess(
            data: directory.file("sandbox"), ["--faults", "503:1.0", "--faults-seed", "1"])
        defer { sandbox.stop() }
        let sender = try LogfoldProcess(
            ["send", "--data", data, "--klaviyo-url", sandbox.url, "--once"], environment: Self.key)
        #expect(eventually(timeout: .seconds(30)) { (try? sandbox.stats()["failed_injected"] ?? 0) ?? 0 >= 3 })
        let signalled = ContinuousClock.now
        sender.send(SIGTERM)
        let result = sender.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ContinuousClock.now - signalled < .seconds(5), "the sender kept waiting after SIGTERM")
        #expect(try Self.outbox(data, status: "dead").isEmpty)
        #expect(try Self.outbox(data, status: "delivered").isEmpty)
    }
}

extension SendEndToEndTests {
    static func route(_ request: [String: Any]) -> String {
        "\(request["method"] as? String ?? "") \(request["path"] as? String ?? "")"
    }
}
