import LogfoldSandbox
import Testing

@Suite struct EventEndpointTests {
    @Test("Create Event answers 202 with an empty body and stores the event with its profile")
    func createEvent() async throws {
        try await Sandbox.with { sandbox in
            let answer = try await sandbox.post("/api/events", Bodies.createEvent())
            #expect(answer.status == 202)
            #expect(answer.body.isEmpty)
            let events = try await sandbox.lines("/sandbox/events")
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event["metric"] == "Placed Order")
            #expect(event["unique_id"] == "o-1")
            #expect(event["time"] == "2025-06-01T12:00:00+00:00")
            #expect(event["value"] == .number("9.99"))
            #expect(event["value_currency"] == "USD")
            #expect(event["email"] == "ann@example.com")
            #expect(event["external_id"] == "c1")
            #expect(event["backfill"] == .bool(false))
            #expect(event["fires_flows"] == .bool(true))
            #expect(event["properties"] == .object(["OrderId": "o-1"]))
            let profiles = try await sandbox.lines("/sandbox/profiles")
            #expect(profiles.count == 1)
            #expect(event["profile_id"] == profiles.first?["id"])
        }
    }

    @Test("a repeated (profile, metric, unique_id) is answered 202, dropped and counted as deduplicated")
    func dedupe() async throws {
        try await Sandbox.with { sandbox in
            for _ in 0..<3 {
                #expect(try await sandbox.post("/api/events", Bodies.createEvent()).status == 202)
            }
            // Same key, profile found by external id alone: still the same profile, still a repeat.
            let byExternalID = Bodies.createEvent(profile: Bodies.profile(email: nil, externalID: "c1"))
            #expect(try await sandbox.post("/api/events", byExternalID).status == 202)
            // Another metric with the same unique_id is another event.
            let other = Bodies.createEvent(Bodies.event(metric: "Fulfilled Order"))
            #expect(try await sandbox.post("/api/events", other).status == 202)
            #expect(try await sandbox.lines("/sandbox/events").count == 2)
            let stats = try await sandbox.stats()
            #expect(stats["received"] == 5)
            #expect(stats["accepted"] == 2)
            #expect(stats["deduplicated"] == 3)
            #expect(stats["requests"] == 5)
        }
    }

    @Test("a bulk request is stored whole: every event of every profile, in order")
    func bulkAccepted() async throws {
        try await Sandbox.with { sandbox in
            let body = Bodies.bulk([
                (
                    Bodies.profile(email: "a@example.com", externalID: "a"),
                    [Bodies.event(uniqueID: "1"), Bodies.event(uniqueID: "2")]
                ),
                (Bodies.profile(email: "b@example.com", externalID: "b"), [Bodies.event(uniqueID: "1")]),
            ])
            let answer = try await sandbox.post("/api/event-bulk-create-jobs", body)
            #expect(answer.status == 202)
            #expect(answer.body.isEmpty)
            let events = try await sandbox.lines("/sandbox/events")
            #expect(events.map { $0["external_id"] } == ["a", "a", "b"])
            #expect(try await sandbox.stats()["accepted"] == 3)
            let requests = try await sandbox.lines("/sandbox/requests")
            #expect(requests.last?["events"] == .number("3"))
        }
    }

    @Test("bulk validation is all-or-nothing: one error per problem, each pointing at its field, nothing stored")
    func bulkAllOrNothing() async throws {
        try await Sandbox.with { sandbox in
            let good = Bodies.event(uniqueID: "ok")
            let body = Bodies.bulk([
                (Bodies.profile(), [good]),
                (Bodies.profile(email: "b@example.com", externalID: "b"), [good, Bodies.event(time: "yesterday")]),
                (Bodies.profile(email: "not-an-email", externalID: "c"), [Bodies.event(currency: "usd")]),
            ])
            let answer = try await sandbox.post("/api/event-bulk-create-jobs", body)
            #expect(answer.status == 400)
            #expect(
                answer.pointers == [
                    "/data/attributes/events-bulk-create/data/1/attributes/events/data/1/attributes/time",
                    "/data/attributes/events-bulk-create/data/2/attributes/profile/data/attributes/email",
                    "/data/attributes/events-bulk-create/data/2/attributes/events/data/0/attributes/value_currency",
                ])
            #expect(answer.codes == ["invalid", "invalid", "invalid"])
            #expect(answer.errors.allSatisfy { $0["status"] == .number("400") && $0["id"]?.stringValue != nil })
            #expect(try await sandbox.lines("/sandbox/events").isEmpty)
            #expect(try await sandbox.lines("/sandbox/profiles").isEmpty)
            let stats = try await sandbox.stats()
            #expect(stats["rejected"] == 4)
            #expect(stats["accepted"] == 0)
        }
    }

    @Test("two events with one key in a bulk request → 400 duplicate at the second unique_id, nothing stored")
    func inRequestDuplicate() async throws {
        try await Sandbox.with { sandbox in
            let body = Bodies.bulk([
                (Bodies.profile(), [Bodies.event(uniqueID: "x"), Bodies.event(uniqueID: "y")]),
                // The same customer again, found by email only: same profile, same key as data/0/events/0.
                (Bodies.profile(email: "ann@example.com", externalID: nil), [Bodies.event(uniqueID: "x")]),
            ])
            let answer = try await sandbox.post("/api/event-bulk-create-jobs", body)
            #expect(answer.status == 400)
            #expect(answer.codes == ["duplicate"])
            #expect(
                answer.pointers == [
                    "/data/attributes/events-bulk-create/data/1/attributes/events/data/0/attributes/unique_id"
                ])
            #expect(try await sandbox.lines("/sandbox/events").isEmpty)
            #expect(try await sandbox.lines("/sandbox/profiles").isEmpty)
        }
    }

    @Test("a re-sent bulk request is answered 202 and deduplicated by default")
    func bulkResendDeduplicated() async throws {
        try await Sandbox.with { (sandbox: Sandbox) async throws in
            let body = Bodies.bulk([(Bodies.profile(), [Bodies.event(uniqueID: "1"), Bodies.event(uniqueID: "2")])])
            #expect(try await sandbox.post("/api/event-bulk-create-jobs", body).status == 202)
            #expect(try await sandbox.post("/api/event-bulk-create-jobs", body).status == 202)
            #expect(try await sandbox.lines("/sandbox/events").count == 2)
            #expect(try await sandbox.stats()["deduplicated"] == 2)
        }
    }

    @Test("--strict-duplicates refuses a bulk request holding a stored event, naming it, and stores nothing of it")
    func strictDuplicates() async throws {
        try await Sandbox.with({ $0.strictDuplicates = true }) { sandbox in
            let first = Bodies.bulk([(Bodies.profile(), [Bodies.event(uniqueID: "1")])])
            #expect(try await sandbox.post("/api/event-bulk-create-jobs", first).status == 202)
            let second = Bodies.bulk([(Bodies.profile(), [Bodies.event(uniqueID: "2"), Bodies.event(uniqueID: "1")])])
            let answer = try await sandbox.post("/api/event-bulk-create-jobs", second)
            #expect(answer.status == 400)
            #expect(answer.codes == ["duplicate"])
            #expect(
                answer.pointers == [
                    "/data/attributes/events-bulk-create/data/0/attributes/events/data/1/attributes/unique_id"
                ])
            #expect(try await sandbox.lines("/sandbox/events").map { $0["unique_id"] } == ["1"])
            // Single Create Event keeps answering 202 for a repeat, even in strict mode.
            let single = Bodies.createEvent(Bodies.event(uniqueID: "1"))
            #expect(try await sandbox.post("/api/events", single).status == 202)
        }
    }

    @Test("backfill is recorded per event and marks it as not firing flows")
    func backfill() async throws {
        try await Sandbox.with { sandbox in
            let body = Bodies.bulk([
                (Bodies.profile(), [Bodies.event(uniqueID: "1", backfill: true), Bodies.event(uniqueID: "2")])
            ])
            #expect(try await sandbox.post("/api/event-bulk-create-jobs", body).status == 202)
            let events = try await sandbox.lines("/sandbox/events")
            #expect(events.map { $0["backfill"] } == [.bool(true), .bool(false)])
            #expect(events.map { $0["fires_flows"] } == [.bool(false), .bool(true)])
        }
    }

    @Test("a body that is not JSON answers 400; an unknown data.type answers 400 at /data/type")
    func malformedBodies() async throws {
        try await Sandbox.with { sandbox in
            let notJSON = try await sandbox.post("/api/events", "{not json")
            #expect(notJSON.status == 400)
            #expect(notJSON.codes == ["parse_error"])
            let wrongType = try await sandbox.post("/api/events", #"{"data":{"type":"profile","attributes":{}}}"#)
            #expect(wrongType.status == 400)
            #expect(wrongType.pointers == ["/data/type"])
            let html = try await sandbox.send(.POST, "/api/events", body: "{}", contentType: "text/html")
            #expect(html.status == 415)
            let plainJSON = try await sandbox.send(
                .POST, "/api/events", body: Bodies.createEvent(), contentType: "application/json")
            #expect(plainJSON.status == 202)
        }
    }

    @Test("more than 1,000 events in one bulk request answers 400; over 5 MB answers 413")
    func bulkLimits() async throws {
        try await Sandbox.with { sandbox in
            let events = (0..<1_001).map { Bodies.event(uniqueID: "e\($0)") }
            let tooMany = try await sandbox.post(
                "/api/event-bulk-create-jobs", Bodies.bulk([(Bodies.profile(), events)]))
            #expect(tooMany.status == 400)
            #expect(tooMany.pointers == ["/data/attributes/events-bulk-create/data"])
            let big = String(repeating: "x", count: 90_000)
            let heavy = (0..<60).map { Bodies.event(uniqueID: "h\($0)", properties: #"{"blob":"\#(big)"}"#) }
            let tooLarge = try await sandbox.post(
                "/api/event-bulk-create-jobs", Bodies.bulk([(Bodies.profile(), heavy)]))
            #expect(tooLarge.status == 413)
            #expect(try await sandbox.lines("/sandbox/events").isEmpty)
        }
    }
}
