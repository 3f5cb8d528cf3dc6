import LogfoldSandbox
import LogfoldTestSupport
import Testing

@Suite struct PersistenceAndInspectionTests {
    @Test("state survives a restart: profiles, events, lists, counters, request log, and the dedupe keys")
    func restart() async throws {
        let directory = try TemporaryDirectory(prefix: "logfold-sandbox")
        var profileID: SandboxJSON?
        try await Sandbox.with(directory: directory) { sandbox in
            #expect(try await sandbox.post("/api/events", Bodies.createEvent()).status == 202)
            _ = try await sandbox.post("/api/lists", #"{"data":{"type":"list","attributes":{"name":"Kept"}}}"#)
            profileID = try await sandbox.lines("/sandbox/profiles").first?["id"]
        }
        try await Sandbox.with(directory: directory) { sandbox in
            #expect(try await sandbox.lines("/sandbox/profiles").first?["id"] == profileID)
            #expect(try await sandbox.post("/api/events", Bodies.createEvent()).status == 202)
            #expect(try await sandbox.lines("/sandbox/events").count == 1)
            let stats = try await sandbox.stats()
            #expect(stats["accepted"] == 1)
            #expect(stats["deduplicated"] == 1)
            #expect(stats["requests"] == 3)
            #expect(try await sandbox.lines("/sandbox/requests").count == 3)
            let lists = try await sandbox.send(.GET, "/api/lists?filter=equals(name,%22Kept%22)")
            #expect(lists.json?["data"]?.arrayElements?.count == 1)
            // The counter continues: the next profile gets a new id, not the first one again.
            let next = try await sandbox.post("/api/profile-import", Bodies.profileImport(#""email":"z@example.com""#))
            #expect(next.json?["data"]?["id"] != profileID)
        }
    }

    @Test("profile ids are Klaviyo-shaped and deterministic: a reset sandbox mints the same ones")
    func deterministicIDs() async throws {
        try await Sandbox.with { sandbox in
            let first = try await sandbox.post("/api/profile-import", Bodies.profileImport(#""email":"a@example.com""#))
            let id = try #require(first.json?["data"]?["id"]?.stringValue)
            #expect(id.count == 26)
            #expect(id.hasPrefix("01"))
            #expect(id == SandboxIDs.profile(1))
            let reset = try await sandbox.send(.POST, "/sandbox/reset", key: nil, revision: nil)
            #expect(reset.status == 200)
            #expect(try await sandbox.lines("/sandbox/profiles").isEmpty)
            #expect(try await sandbox.stats()["requests"] == 0)
            let again = try await sandbox.post("/api/profile-import", Bodies.profileImport(#""email":"b@example.com""#))
            #expect(again.json?["data"]?["id"]?.stringValue == id)
        }
    }

    @Test("the inspection endpoints report events, profiles, stats and requests in their documented shapes")
    func shapes() async throws {
        try await Sandbox.with { sandbox in
            _ = try await sandbox.post(
                "/api/events",
                Bodies.createEvent(
                    profile: Bodies.profile(
                        phone: "+15005550006", extra: #""first_name":"Ann","location":{"city":"Lyon"}"#)))
            _ = try await sandbox.post("/api/events", "{bad")
            let event = try #require(try await sandbox.lines("/sandbox/events").first)
            let eventKeys = Set(event.objectMembers?.map(\.key) ?? [])
            #expect(
                eventKeys.isSuperset(of: [
                    "metric", "unique_id", "time", "value", "value_currency", "email", "external_id", "profile_id",
                    "properties", "backfill", "fires_flows",
                ]))
            let profile = try #require(try await sandbox.lines("/sandbox/profiles").first)
            let profileKeys = Set(profile.objectMembers?.map(\.key) ?? [])
            #expect(
                profileKeys.isSuperset(of: [
                    "id", "email", "external_id", "phone_number", "first_name", "last_name", "location", "properties",
                    "suppressed", "suppression_reason", "lists",
                ]))
            #expect(profile["location"] == .object(["city": "Lyon"]))
            let stats = try await sandbox.send(.GET, "/sandbox/stats", key: nil, revision: nil)
            #expect(
                stats.json?.objectMembers?.map(\.key) == [
                    "received", "accepted", "deduplicated", "rate_limited", "failed_injected", "rejected", "requests",
                ])
            let requests = try await sandbox.lines("/sandbox/requests")
            #expect(requests.count == 2)
            let request = try #require(requests.first)
            #expect(request["method"] == "POST")
            #expect(request["path"] == "/api/events")
            #expect(request["status"] == .number("202"))
            #expect(request["events"] == .number("1"))
            #expect(requests.last?["status"] == .number("400"))
            let received = try #require(request["received_at_ms"]?.doubleValue)
            let answered = try #require(request["answered_at_ms"]?.doubleValue)
            #expect(answered >= received)
            // Inspection calls are not API requests.
            #expect(try await sandbox.stats()["requests"] == 2)
            let filtered = try await sandbox.lines("/sandbox/profiles?q=LYON")
            #expect(filtered.isEmpty)
            #expect(try await sandbox.lines("/sandbox/profiles?q=ANN@").count == 1)
        }
    }

    @Test("GET / serves a self-contained page: no external scripts or styles")
    func webPage() async throws {
        try await Sandbox.with { sandbox in
            let page = try await sandbox.send(.GET, "/", key: nil, revision: nil)
            #expect(page.status == 200)
            #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(page.body.contains("/sandbox/profiles"))
            #expect(page.body.contains("would fire flows"))
            #expect(!page.body.contains("http://") && !page.body.contains("https://"))
        }
    }
}
