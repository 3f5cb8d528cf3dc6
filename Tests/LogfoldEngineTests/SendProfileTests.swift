import Foundation
import LogfoldTestSupport
import Testing

// Profile upserts against the sandbox: failures Klaviyo reports only in a bulk import job's errors, and a
// phone number two customers share.

extension SendEndToEndTests {
    @Test("a profile a bulk import job fails to import (identifiers of two profiles) becomes a dead letter")
    func importJobFailure() throws {
        let directory = try TemporaryDirectory()
        let sample = try Self.sample("customer-updates")
        let ruth = try #require(sample.split(separator: "\n").first.map(String.init))
        // Customer 777 exists in Klaviyo with its own email. A signup form (not logfold) then makes a profile
        // for form777@example.com, and 777 takes that email in the platform: importing it names two
        // profiles, so Klaviyo's job fails that profile. Between logfold's own customers the fold settles
        // shared emails before sending (SharedIdentityTests); a profile made elsewhere it cannot know.
        let other = Self.rewritten(
            ruth,
            [
                ("1139874", "777"), ("ruth.alvarez@example.com", "other777@example.com"),
                ("{\"id\":88618584", "{\"id\":99000001"),
            ])
        let moved = Self.rewritten(
            ruth,
            [
                ("1139874", "777"), ("ruth.alvarez@example.com", "form777@example.com"),
                ("{\"id\":88618584", "{\"id\":99000002"), ("2020-07-27T10:05:12", "2020-07-28T09:00:00"),
                ("\"Ruth\"", "\"Ruthie\""),
            ])
        let first = directory.file("first.jsonl")
        try Data((ruth + "\n" + other + "\n").utf8).write(to: URL(fileURLWithPath: first))
        let data = try Self.project(first, in: directory)
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        try #require(try Self.send(data, sandbox, ["--bulk-profile-min", "1"]).status == 0)
        #expect(try Self.outbox(data, status: "dead").isEmpty)

        let (formStatus, _) = try httpRequest(
            "POST", sandbox.url + "/api/profile-import",
            body: #"{"data":{"type":"profile","attributes":{"email":"form777@example.com"}}}"#,
            headers: [
                "Authorization": "Klaviyo-API-Key pk_test_logfold", "revision": "2026-07-15",
                "Content-Type": "application/vnd.api+json",
            ])
        try #require(formStatus == 201 || formStatus == 200)
        let second = directory.file("second.jsonl")
        try Data((moved + "\n").utf8).write(to: URL(fileURLWithPath: second))
        for arguments in [["ingest", "--data", data, second], ["project", "--data", data]] {
            try #require(try LogfoldProcess.run(arguments).status == 0)
        }
        let result = try Self.send(data, sandbox, ["--bulk-profile-min", "1"])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("import failures 1"))
        let dead = try Self.outbox(data, status: "dead")
        #expect(dead.count == 1)
        #expect(dead.first?["kind"] as? String == "profile")
        #expect((dead.first?["last_error"] as? String)?.contains("duplicate_profile") == true)
        #expect((dead.first?["profile"] as? [String: Any])?["external_id"] as? String == "777")
    }
}

extension SendEndToEndTests {
    @Test("a phone number two customers share stays with one profile; the other is sent again without it")
    func sharedPhone() throws {
        let directory = try TemporaryDirectory()
        let sample = try Self.sample("signup-completed")
        let sibling = Self.rewritten(
            sample, [("1141260", "999"), ("ktest@example.com", "sibling@example.com"), ("{\"id\":88", "{\"id\":99")])
        let log = directory.file("log.jsonl")
        try Data((sample + sibling).utf8).write(to: URL(fileURLWithPath: log))
        // Bulk import (the conflict shows in the job's import errors) and profile-import (a 409).
        for (index, flags) in [["--bulk-profile-min", "1"], ["--bulk-profile-min", "1000"]].enumerated() {
            let run = try TemporaryDirectory()
            let data = try Self.project(log, in: run)
            let sandbox = try SandboxProcess(data: directory.file("sandbox\(index)"), ["--no-rate-limits"])
            defer { sandbox.stop() }
            let result = try Self.send(data, sandbox, flags)
            try #require(result.status == 0, "\(result.stderr)")
            #expect(try Self.outbox(data, status: "dead").isEmpty, "\(flags)")
            #expect(try Self.outbox(data, status: "pending").isEmpty, "\(flags)")
            let profiles = try sandbox.lines("/sandbox/profiles")
            let phones = Dictionary(
                uniqueKeysWithValues: profiles.compactMap { p in
                    (p["external_id"] as? String).map { ($0, p["phone_number"] as? String ?? "none") }
                })
            // Whichever reached Klaviyo first keeps it (requests run concurrently); the other has none.
            #expect(
                [phones["1141260"], phones["999"]].sorted { ($0 ?? "") < ($1 ?? "") } == ["+18285550142", "none"],
                "\(flags): \(phones)")
        }
    }

    @Test("a shared email handed over reaches Klaviyo on the right profiles, suppression included, no dead letter")
    func sharedEmailHandOver() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.project(GoldenScenarioTests.journal.path + "/samples/shared-identity.jsonl", in: directory)
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        try #require(try Self.send(data, sandbox).status == 0)
        #expect(try Self.outbox(data, status: "dead").isEmpty)
        let profiles = Dictionary(
            try sandbox.lines("/sandbox/profiles").map { ($0["external_id"] as? String ?? "?", $0) },
            uniquingKeysWith: { first, _ in first })
        #expect(profiles.count == 2)
        #expect(profiles["1142201"]?["email"] as? String == "hana.obi@example.com")
        #expect(profiles["1142201"]?["suppressed"] as? Bool == false, "the unsubscription was Kai's, not Hana's")
        #expect(profiles["1142202"]?["email"] as? String == "Household.Obi@example.com")
        #expect(profiles["1142202"]?["suppressed"] as? Bool == true)
    }
}
