import Foundation
import LogfoldTestSupport
import Testing

/// ActiveCampaign's two lanes and its bulk import, against `logfold sandbox --api activecampaign`.
@Suite(.serialized, .offThePool) struct ActiveCampaignLanesTests {
    typealias Sandbox = ActiveCampaignSendTests.Sandbox

    /// A generated month of 2024 with a mapping file that renames `login`'s tracked event, projected with
    /// ActiveCampaign added; then one `login` of a customer of that history, stamped now (a live entry).
    static func historyWithLiveEntry(_ directory: TemporaryDirectory) throws -> (data: String, liveEmail: String) {
        let log = try ActiveCampaignSendTests.generated(directory, customers: 40)
        let mapping = directory.file("log.mapping.json")
        try #"{"version": 1, "activecampaign": {"events": {"login": "Live Login Test"}}}"#.write(
            toFile: mapping, atomically: true, encoding: .utf8)
        let data = try ActiveCampaignSendTests.prepare(log, in: directory)
        let entries = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        var live = try #require(
            entries.last { $0["type"] as? String == "login" && ($0["customer"] as? [String: Any])?["email"] != nil })
        let email = try #require((live["customer"] as? [String: Any])?["email"] as? String)
        live["id"] = (entries.compactMap { ($0["id"] as? NSNumber)?.int64Value }.max() ?? 0) + 1_000
        let formatter = ISO8601DateFormatter()
        live["at"] = formatter.string(from: Date())
        let file = directory.file("live.jsonl")
        try (String(decoding: try JSONSerialization.data(withJSONObject: live), as: UTF8.self) + "\n").write(
            toFile: file, atomically: true, encoding: .utf8)
        for arguments in [["ingest", "--data", data, file], ["project", "--data", data, "--mapping", mapping]] {
            let result = try LogfoldProcess.run(arguments)
            try #require(result.status == 0, "\(arguments[0]): \(result.stderr)")
        }
        return (data, email)
    }

    @Test("a live entry goes before the history; new contacts go by bulk import with their tag; events as mapped")
    func liveFirstAndBulkImport() throws {
        let directory = try TemporaryDirectory()
        let (data, liveEmail) = try Self.historyWithLiveEntry(directory)
        let sandbox = try Sandbox(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        let result = try ActiveCampaignSendTests.send(data, sandbox)
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dead 0"), "\(result.stdout)")
        #expect(try ActiveCampaignSendTests.pending(data) == 0)

        // The live login is ActiveCampaign's first event, under the mapping file's name.
        let events = try sandbox.lines("/sandbox/events")
        let first = try #require(events.first)
        #expect(first["email"] as? String == liveEmail && first["event"] as? String == "Live Login Test", "\(first)")
        #expect(!events.contains { $0["event"] as? String == "Logged in" }, "a login kept seed 002's name")

        // New contacts of the history went in one bulk import, not one sync each.
        let bulkImported =
            result.stdout.split(separator: ",").first { $0.contains("bulk imported") }
            .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        #expect(bulkImported >= 10, "\(result.stdout)")
        let requests = try sandbox.lines("/sandbox/requests").compactMap { $0["path"] as? String }
        #expect(requests.filter { $0 == "/api/3/import/bulk_import" }.count == 1)
        let contacts = try sandbox.lines("/sandbox/contacts")
        // Without it every contact costs a sync; with it, only the live ones and those whose list status or
        // tag needs the contact's id (an import's answer names none).
        #expect(requests.filter { $0 == "/api/3/contact/sync" }.count < contacts.count - bulkImported / 2)

        // Whatever lane and call carried them, each contact holds its latest fields and exactly one tag.
        let outbox = try LogfoldProcess.run(["outbox", "--data", data, "--destination", "activecampaign", "--json"])
        var latest: [String: [String: Any]] = [:]
        for line in outbox.stdout.split(separator: "\n") {
            guard let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                row["kind"] as? String == "contact", let email = row["email"] as? String
            else { continue }
            latest[email.lowercased()] = row
        }
        #expect(contacts.count == latest.count)
        for contact in contacts {
            let email = (contact["email"] as? String ?? "").lowercased()
            #expect((contact["tags"] as? [String])?.count == 1, "\(email): \(contact["tags"] ?? "?")")
            let want = NSDictionary(dictionary: latest[email]?["fields"] as? [String: Any] ?? [:])
            #expect(want.isEqual(to: contact["fields"] as? [String: Any] ?? [:]), "\(email)")
        }
    }

    @Test("status --json nests each destination (checkpoint, lag, counts, drain estimate); --destination shows one")
    func statusNestsDestinations() throws {
        let directory = try TemporaryDirectory()
        let data = try ActiveCampaignSendTests.prepare(try ActiveCampaignSendTests.generated(directory), in: directory)
        let status = try LogfoldProcess.run(["status", "--data", data, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let destination = try #require(
            (object["destinations"] as? [String: Any])?["activecampaign"] as? [String: Any], "\(status.stdout)")
        #expect(destination["state"] as? String == "enabled")
        #expect((destination["checkpoint"] as? NSNumber) == (object["journal_head"] as? NSNumber))
        #expect((destination["lag"] as? NSNumber)?.intValue == 0)
        let pending = try #require((destination["outbox"] as? [String: Any])?["pending"] as? NSNumber)
        #expect(pending.intValue == (try ActiveCampaignSendTests.pending(data)))
        #expect(((destination["drain_calls"] as? NSNumber)?.intValue ?? 0) > 0)

        // --destination: one destination's figures only.
        let one = try LogfoldProcess.run(["status", "--data", data, "--json", "--destination", "activecampaign"])
        let part = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        #expect(part["destination"] as? String == "activecampaign")
        #expect(((part["outbox"] as? [String: Any])?["pending"] as? NSNumber) == pending)
        #expect(part["dead_letters"] == nil, "Klaviyo's figures in ActiveCampaign's status")
        let klaviyo = try LogfoldProcess.run(["status", "--data", data, "--destination", "klaviyo"])
        #expect(klaviyo.stdout.contains("checkpoint") && !klaviyo.stdout.contains("activecampaign"))
        #expect(try LogfoldProcess.run(["status", "--data", data, "--destination", "mailchimp"]).status != 0)
    }
}

extension ActiveCampaignLanesTests {
    @Test("destination add while run runs: Klaviyo goes on, ActiveCampaign gets the whole history and what follows")
    func addedWhileTheDaemonRuns() throws {
        let directory = try TemporaryDirectory()
        let data = try ActiveCampaignSendTests.emptyDirectory(in: directory, addingActiveCampaign: false)
        let klaviyo = try SandboxProcess(data: directory.file("klaviyo"), ["--no-rate-limits"])
        defer { klaviyo.stop() }
        let ac = try Sandbox(data: directory.file("ac"), ["--no-rate-limits"])
        defer { ac.stop() }
        // ActiveCampaign's account is configured, but it is not a destination yet.
        let daemon = try RunDaemonTests.Daemon(
            data: data, ["--klaviyo-url", klaviyo.url, "--no-rate-limits"],
            environment: ac.environment.merging(SendEndToEndTests.key) { $1 })
        let before = try SendEndToEndTests.sample("order-refunded")
        #expect(try daemon.post(before.split(separator: "\n")).0 == 200)
        #expect(try eventually { try SendEndToEndTests.nothingPending(data) })
        #expect(try eventually { try klaviyo.lines("/sandbox/events").count > 0 })
        #expect(try ac.lines("/sandbox/requests").isEmpty, "ActiveCampaign was called before it was added")

        let add = try LogfoldProcess.run(["destination", "add", "activecampaign", "--data", data])
        try #require(add.status == 0, "\(add.stderr)")
        let after = try SendEndToEndTests.sample("unsubscribe-resubscribe")
        #expect(try daemon.post(after.split(separator: "\n")).0 == 200)
        #expect(try eventually { try ActiveCampaignSendTests.pending(data) == 0 && (try Self.acRows(data)) > 0 })
        #expect(try eventually { try SendEndToEndTests.nothingPending(data) })
        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr)")

        // ActiveCampaign holds the history from before it was added (the refunded order) and what came after,
        // exactly as a directory that had it from the start: the digests of a replay match.
        #expect(try ac.lines("/sandbox/orders").count == 1)
        let emails = Set(try ac.lines("/sandbox/contacts").compactMap { ($0["email"] as? String)?.lowercased() })
        let golden = try ["order-refunded", "unsubscribe-resubscribe"].flatMap { name in
            try String(
                contentsOfFile: GoldenScenarioTests.journal.path + "/golden/\(name).activecampaign.jsonl",
                encoding: .utf8
            ).split(separator: "\n").compactMap {
                (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["email"] as? String
            }.map { $0.lowercased() }
        }
        #expect(emails == Set(golden))
        let replayed = directory.file("replayed")
        try #require(try LogfoldProcess.run(["replay", "--data", data, "--into", replayed]).status == 0)
        for destination in ["klaviyo", "activecampaign"] {
            let live = try LogfoldProcess.run(["digest", "--data", data, "--destination", destination]).stdout
            let again = try LogfoldProcess.run(["digest", "--data", replayed, "--destination", destination]).stdout
            #expect(live == again, "\(destination): \(live) vs \(again)")
        }
        // Klaviyo got each of its events once.
        let keys = try klaviyo.lines("/sandbox/events").map(SendEndToEndTests.eventKey)
        #expect(keys.count == Set(keys).count)
    }

    static func acRows(_ data: String) throws -> Int {
        try LogfoldProcess.run(["outbox", "--data", data, "--destination", "activecampaign"])
            .stdout.split(separator: "\n").count
    }
}
