import LogfoldSandbox
import Testing

@Suite struct AuthAndRevisionTests {
    @Test("no key or a non-private key → 401 not_authenticated; a forbidden key → 403 permission_denied")
    func anyPrivateKey() async throws {
        try await Sandbox.with({ $0.forbiddenKeys = ["pk_readonly"] }) { sandbox in
            let body = Bodies.createEvent()
            let missing = try await sandbox.post("/api/events", body, key: .some(nil))
            #expect(missing.status == 401)
            #expect(missing.codes == ["not_authenticated"])
            #expect(try await sandbox.post("/api/events", body, key: "public_abc").status == 401)
            let forbidden = try await sandbox.post("/api/events", body, key: "pk_readonly")
            #expect(forbidden.status == 403)
            #expect(forbidden.codes == ["permission_denied"])
            #expect(try await sandbox.post("/api/events", body, key: "pk_noscope_1").status == 403)
            #expect(try await sandbox.post("/api/events", body, key: "pk_anything").status == 202)
            #expect(try await sandbox.stats()["accepted"] == 1)
        }
    }

    @Test("with --api-key only that key is accepted")
    func configuredKey() async throws {
        try await Sandbox.with({ $0.apiKey = "pk_right" }) { (sandbox: Sandbox) async throws in
            #expect(try await sandbox.post("/api/events", Bodies.createEvent(), key: "pk_wrong").status == 401)
            #expect(try await sandbox.post("/api/events", Bodies.createEvent(), key: "pk_right").status == 202)
        }
    }

    static let revisions: [(String?, Int, String?)] = [
        (nil, 400, "invalid"),
        ("yesterday", 400, "invalid"),
        ("2023-02-22", 410, "gone"),
        ("2024-07-14", 410, "gone"),
        ("2024-07-15", 202, nil),
        ("2025-10-15.pre", 202, nil),
        ("2026-07-15", 202, nil),
        ("2027-01-15", 400, "invalid"),
    ]

    @Test("the revision header: missing 400, retired 410 gone, served 202, unknown future 400", arguments: revisions)
    func revision(_ case: (String?, Int, String?)) async throws {
        try await Sandbox.with { sandbox in
            let body = Bodies.createEvent(Bodies.event(backfill: nil))
            let answer = try await sandbox.post("/api/events", body, revision: .some(`case`.0))
            #expect(answer.status == `case`.1)
            if let code = `case`.2 { #expect(answer.codes == [code]) }
        }
    }

    @Test("backfill with a revision before 2026-04-15 answers 400 at the backfill pointer")
    func backfillRevision() async throws {
        try await Sandbox.with { sandbox in
            let body = Bodies.createEvent(Bodies.event(backfill: true))
            let answer = try await sandbox.post("/api/events", body, revision: "2025-10-15")
            #expect(answer.status == 400)
            #expect(answer.pointers == ["/data/attributes/backfill"])
        }
    }

    @Test("unknown paths answer 404 and wrong methods 405, in Klaviyo's error shape")
    func routing() async throws {
        try await Sandbox.with { sandbox in
            let missing = try await sandbox.send(.GET, "/api/nothing")
            #expect(missing.status == 404)
            #expect(missing.codes == ["not_found"])
            #expect(try await sandbox.send(.GET, "/api/events").status == 405)
            #expect(try await sandbox.post("/api/events/", Bodies.createEvent()).status == 202)
        }
    }
}
