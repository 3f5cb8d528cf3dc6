import Foundation
import LogfoldTestSupport
import Testing

/// `send --destination activecampaign` against `logfold sandbox --api activecampaign`, both real processes.
@Suite(.serialized, .offThePool) struct ActiveCampaignSendTests {
    static let credentials = [
        "ACTIVECAMPAIGN_API_TOKEN": "ac-token", "ACTIVECAMPAIGN_EVENT_ACTID": "1",
        "ACTIVECAMPAIGN_EVENT_KEY": "event-key",
    ]

    /// The local ActiveCampaign as a child process.
    final class Sandbox: @unchecked Sendable {
        // @unchecked: driven from one test at a time.
        let child: LogfoldProcess
        let url: String

        init(data: String, _ extra: [String] = []) throws {
            child = try LogfoldProcess(
                ["sandbox", "--api", "activecampaign", "--port", "0", "--data", data] + extra,
                environment: ActiveCampaignSendTests.credentials)
            let line = try #require(child.readLine(timeout: .seconds(30)), "the sandbox did not start")
            let range = try #require(line.range(of: "http://"))
            url = String(line[range.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func stop() {
            child.send(SIGTERM)
            _ = child.finish()
        }

        func lines(_ path: String) throws -> [[String: Any]] {
            let (status, body) = try httpRequest("GET", url + path)
            try #require(status == 200)
            return try body.split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        var environment: [String: String] {
            ActiveCampaignSendTests.credentials.merging(
                ["ACTIVECAMPAIGN_URL": url, "ACTIVECAMPAIGN_EVENT_URL": url + "/event"]) { $1 }
        }
    }

    /// A data directory with an empty journal, projected, and ActiveCampaign added when `addingActiveCampaign`.
    static func emptyDirectory(in directory: TemporaryDirectory, addingActiveCampaign: Bool) throws -> String {
        let data = directory.file("data")
        let empty = directory.file("empty.jsonl")
        try #require(FileManager.default.createFile(atPath: empty, contents: nil))
        var steps = [["ingest", "--data", data, empty], ["project", "--data", data]]
        if addingActiveCampaign { steps.append(["destination", "add", "activecampaign", "--data", data]) }
        for arguments in steps {
            let result = try LogfoldProcess.run(arguments)
            try #require(result.status == 0, "\(arguments[0]): \(result.stderr)")
        }
        return data
    }

    /// Ingests and projects `log`, then adds ActiveCampaign.
    static func prepare(_ log: String, in directory: TemporaryDirectory) throws -> String {
        let data = try SendEndToEndTests.project(log, in: directory)
        let mapping = String(log.dropLast(".jsonl".count)) + ".mapping.json"
        let add =
            ["destination", "add", "activecampaign", "--data", data]
            + (FileManager.default.fileExists(atPath: mapping) ? ["--mapping", mapping] : [])
        let result = try LogfoldProcess.run(add)
        try #require(result.status == 0, "\(result.stderr)")
        return data
    }

    static func send(
        _ data: String, _ sandbox: Sandbox, _ extra: [String] = ["--no-rate-limits"],
        environment: [String: String]? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        try LogfoldProcess.run(
            ["send", "--destination", "activecampaign", "--data", data, "--once"] + extra,
            environment: environment ?? sandbox.environment)
    }

    static func pending(_ data: String) throws -> Int {
        try LogfoldProcess.run(["outbox", "--data", data, "--destination", "activecampaign", "--status", "pending"])
            .stdout.split(separator: "\n").count
    }

    @Test("each golden scenario reaches ActiveCampaign: its contacts, one tag each, its events, historical orders")
    func goldenScenarios() throws {
        for name in GoldenScenarioTests.scenarios {
            let directory = try TemporaryDirectory()
            let data = try Self.prepare(GoldenScenarioTests.journal.path + "/samples/\(name).jsonl", in: directory)
            let sandbox = try Sandbox(data: directory.file("sandbox"), ["--no-rate-limits"])
            defer { sandbox.stop() }
            let result = try Self.send(data, sandbox)
            try #require(result.status == 0, "\(name): \(result.stderr)")
            #expect(try Self.pending(data) == 0, "\(name)")
            #expect(result.stdout.contains("dead 0"), "\(name): \(result.stdout)")

            let golden = try String(
                contentsOfFile: GoldenScenarioTests.journal.path + "/golden/\(name).activecampaign.jsonl",
                encoding: .utf8
            ).split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            let contacts = try sandbox.lines("/sandbox/contacts")
            let emails = Set(golden.compactMap { $0["email"] as? String }.map { $0.lowercased() })
            #expect(Set(contacts.compactMap { ($0["email"] as? String)?.lowercased() }) == emails, "\(name)")
            for contact in contacts {
                #expect(
                    (contact["tags"] as? [String])?.count == 1,
                    "\(name): \(contact["email"] ?? "?") \(contact["tags"] ?? "?")")
            }
            // The fields each contact was last sent are the ones it has.
            var lastSync: [String: [String: Any]] = [:]
            for row in golden where row["kind"] as? String == "contact" {
                lastSync[(row["email"] as? String ?? "").lowercased()] = row
            }
            for (email, row) in lastSync {
                let contact = try #require(contacts.first { ($0["email"] as? String)?.lowercased() == email })
                let have = NSDictionary(dictionary: contact["fields"] as? [String: Any] ?? [:])
                #expect(have.isEqual(to: row["fields"] as? [String: Any] ?? [:]), "\(name): \(email)")
            }
            let events = try sandbox.lines("/sandbox/events")
            #expect(events.count == golden.filter { $0["kind"] as? String == "event" }.count, "\(name)")
            for order in try sandbox.lines("/sandbox/orders") {
                #expect((order["source"] as? NSNumber)?.intValue == 0, "\(name): a 2020 order must be historical")
            }
        }
    }
}

extension ActiveCampaignSendTests {
    static func generated(_ directory: TemporaryDirectory, customers: Int = 12, days: Int = 30) throws -> String {
        let log = directory.file("log.jsonl")
        let result = try LogfoldProcess.run([
            "generate", "--seed", "17", "--customers", "\(customers)", "--days", "\(days)", "--out", log,
        ])
        try #require(result.status == 0, "\(result.stderr)")
        return log
    }

    @Test("a bad token stops the sender with exit 1 and the remedy; the token is never printed; nothing dies")
    func badToken() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.prepare(GoldenScenarioTests.journal.path + "/samples/order-refunded.jsonl", in: directory)
        let sandbox = try Sandbox(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        var environment = sandbox.environment
        environment["ACTIVECAMPAIGN_API_TOKEN"] = "s3cret-wrong-token"
        let result = try Self.send(data, sandbox, environment: environment)
        #expect(result.status != 0)
        #expect(result.stderr.contains("ACTIVECAMPAIGN_API_TOKEN"), "\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("s3cret-wrong-token"))
        #expect(try Self.pending(data) > 0)
        let dead = try LogfoldProcess.run([
            "outbox", "--data", data, "--destination", "activecampaign", "--status", "dead",
        ])
        #expect(dead.stdout.isEmpty)
    }

    @Test("at ActiveCampaign's pace with 429s injected: Retry-After honoured, never more than 5 calls in a second")
    func pacedAndThrottled() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.prepare(GoldenScenarioTests.journal.path + "/samples/order-refunded.jsonl", in: directory)
        let sandbox = try Sandbox(data: directory.file("sandbox"), ["--faults", "429:0.25", "--faults-seed", "5"])
        defer { sandbox.stop() }
        let result = try Self.send(data, sandbox, [])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(try Self.pending(data) == 0)
        let requests = try sandbox.lines("/sandbox/requests")
        let received = requests.compactMap { ($0["received_at_ms"] as? NSNumber)?.int64Value }.sorted()
        for (index, time) in received.enumerated() {
            let inWindow = received[index...].prefix { $0 < time + 1_000 }.count
            #expect(inWindow <= 5, "\(inWindow) calls within a second from \(time)")
        }
        var throttled = 0
        for request in requests where (request["status"] as? NSNumber)?.intValue == 429 {
            throttled += 1
            let answered = (request["answered_at_ms"] as? NSNumber)?.int64Value ?? 0
            let next = received.first { $0 > answered }
            if let next {
                #expect(next - answered >= 990, "a call \(next - answered) ms after a 429 with Retry-After: 1")
            }
        }
        #expect(throttled > 0, "no 429 was injected")
        #expect(result.stdout.contains("throttled \(throttled)"), "\(result.stdout)")
    }

    @Test("killed between answers and markings, then restarted: contacts, tags and orders once; repeats as reported")
    func killedMidSend() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.prepare(try Self.generated(directory), in: directory)
        let sandbox = try Sandbox(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        var kills = 0
        for arrival in [7, 19, 31] {
            var environment = sandbox.environment
            environment["LOGFOLD_TEST_CRASH_AT"] = "send.answered.before-marking:\(arrival)"
            let result = try Self.send(data, sandbox, environment: environment)
            if result.status == SIGKILL { kills += 1 } else { try #require(result.status == 0, "\(result.stderr)") }
        }
        #expect(kills == 3)
        let final = try Self.send(data, sandbox)
        try #require(final.status == 0, "\(final.stderr)")
        #expect(try Self.pending(data) == 0)
        let contacts = try sandbox.lines("/sandbox/contacts")
        let emails = contacts.compactMap { ($0["email"] as? String)?.lowercased() }
        #expect(emails.count == Set(emails).count)
        for contact in contacts { #expect((contact["tags"] as? [String])?.count == 1, "\(contact["email"] ?? "?")") }
        let orders = try sandbox.lines("/sandbox/orders").compactMap { $0["externalid"] as? String }
        #expect(orders.count == Set(orders).count, "an order was created twice")
        let expected = try LogfoldProcess.run(["outbox", "--data", data, "--destination", "activecampaign", "--json"])
            .stdout.split(separator: "\n").filter { $0.contains(#""kind":"event""#) }.count
        let events = try sandbox.lines("/sandbox/events").count
        let status = try LogfoldProcess.run(["status", "--data", data, "--json"])
        let repeated = events - expected
        #expect(repeated >= 0 && repeated <= kills, "\(repeated) events repeated after \(kills) kills")
        let reported = try #require(
            (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?[
                "activecampaign_possibly_repeated"] as? NSNumber)
        // Each kill after ActiveCampaign recorded an event left that event in flight: counted, and sent again.
        #expect(reported.intValue == repeated, "status reports \(reported) possibly repeated; \(repeated) repeats")
    }

    @Test("ActiveCampaign added to a directory that delivered everything to Klaviyo: Klaviyo gets no request")
    func addedAfterKlaviyoDelivered() throws {
        let directory = try TemporaryDirectory()
        let data = try SendEndToEndTests.project(try Self.generated(directory), in: directory)
        let klaviyo = try SandboxProcess(data: directory.file("klaviyo"), ["--no-rate-limits"])
        defer { klaviyo.stop() }
        try #require(try SendEndToEndTests.send(data, klaviyo).status == 0)
        let before = try klaviyo.stats()["requests"] ?? 0
        try #require(try LogfoldProcess.run(["destination", "add", "activecampaign", "--data", data]).status == 0)
        let ac = try Sandbox(data: directory.file("ac"), ["--no-rate-limits"])
        defer { ac.stop() }
        let sent = try Self.send(data, ac)
        try #require(sent.status == 0, "\(sent.stderr)")
        // A history has many syncs per customer: only each customer's last contact sync and list status go.
        let superseded =
            sent.stdout.split(separator: ",").first { $0.contains("superseded") }
            .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        #expect(superseded > 0, "\(sent.stdout)")
        let contacts = try ac.lines("/sandbox/contacts")
        let requests = try ac.lines("/sandbox/requests").filter { ($0["path"] as? String) == "/api/3/contact/sync" }
        #expect(requests.count <= contacts.count * 2, "\(requests.count) syncs for \(contacts.count) contacts")
        // Klaviyo's sender finds nothing new to send.
        let again = try SendEndToEndTests.send(data, klaviyo)
        #expect(again.status == 0)
        #expect(try klaviyo.stats()["requests"] == before, "Klaviyo received requests after ActiveCampaign was added")
        #expect(try Self.pending(data) == 0)
        #expect(try ac.lines("/sandbox/contacts").count > 0)
    }
}

extension ActiveCampaignSendTests {
    @Test("a history send says its calls and drain time first; --history-events skip sends no event, orders historical")
    func historyEstimateAndSkip() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.prepare(GoldenScenarioTests.journal.path + "/samples/order-refunded.jsonl", in: directory)
        let status = try LogfoldProcess.run(["status", "--data", data])
        #expect(status.stdout.contains("to drain at 5 requests/s"), "\(status.stdout)")
        let sandbox = try Sandbox(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        let result = try Self.send(data, sandbox, ["--no-rate-limits", "--history", "--history-events", "skip"])
        try #require(result.status == 0, "\(result.stderr)")
        let estimate = try #require(
            result.stdout.split(separator: "\n").first { $0.hasPrefix("activecampaign history:") })
        #expect(estimate.contains("1 event") && estimate.contains("events skipped") && estimate.contains("calls"))
        #expect(try sandbox.lines("/sandbox/events").isEmpty)
        #expect(try sandbox.lines("/sandbox/orders").allSatisfy { ($0["source"] as? NSNumber)?.intValue == 0 })
        #expect(try Self.pending(data) == 0)
    }
}

extension ActiveCampaignSendTests {
    @Test("run sends to ActiveCampaign beside Klaviyo: entries posted live reach both; SIGTERM exits 0")
    func daemonSendsToBoth() throws {
        let directory = try TemporaryDirectory()
        // An empty directory with ActiveCampaign enabled from the first entry.
        let data = try Self.emptyDirectory(in: directory, addingActiveCampaign: true)
        let klaviyo = try SandboxProcess(data: directory.file("klaviyo"), ["--no-rate-limits"])
        defer { klaviyo.stop() }
        let ac = try Sandbox(data: directory.file("ac"), ["--no-rate-limits"])
        defer { ac.stop() }
        let daemon = try RunDaemonTests.Daemon(
            data: data, ["--klaviyo-url", klaviyo.url, "--no-rate-limits"],
            environment: ac.environment.merging(SendEndToEndTests.key) { $1 })
        let sample = try SendEndToEndTests.sample("order-refunded")
        #expect(try daemon.post(sample.split(separator: "\n")).0 == 200)
        #expect(try eventually { try ac.lines("/sandbox/orders").count == 1 })
        #expect(try eventually { try Self.pending(data) == 0 })
        #expect(try eventually { try klaviyo.lines("/sandbox/events").count > 0 })
        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("activecampaign: delivered"), "\(result.stdout)")
        #expect((try ac.lines("/sandbox/contacts").first?["tags"] as? [String])?.count == 1)
    }
}
