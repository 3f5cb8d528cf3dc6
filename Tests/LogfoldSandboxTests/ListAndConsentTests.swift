import LogfoldSandbox
import Testing

@Suite struct ListAndConsentTests {
    static func createList(_ sandbox: Sandbox, _ name: String) async throws -> String {
        let answer = try await sandbox.post("/api/lists", #"{"data":{"type":"list","attributes":{"name":"\#(name)"}}}"#)
        #expect(answer.status == 201)
        return try #require(answer.json?["data"]?["id"]?.stringValue)
    }

    static func importProfile(_ sandbox: Sandbox, _ email: String) async throws -> String {
        let answer = try await sandbox.post("/api/profile-import", Bodies.profileImport(#""email":"\#(email)""#))
        return try #require(answer.json?["data"]?["id"]?.stringValue)
    }

    @Test("lists are created, found by an equals(name) filter, and listed whole without one")
    func createAndGet() async throws {
        try await Sandbox.with { sandbox in
            let id = try await Self.createList(sandbox, "All Customers")
            _ = try await Self.createList(sandbox, "VIP")
            let found = try await sandbox.send(.GET, "/api/lists?filter=equals(name,%22All%20Customers%22)")
            #expect(found.status == 200)
            let data = try #require(found.json?["data"]?.arrayElements)
            #expect(data.count == 1)
            #expect(data.first?["id"] == .string(id))
            #expect(data.first?["type"] == "list")
            #expect(data.first?["attributes"]?["name"] == "All Customers")
            let none = try await sandbox.send(.GET, "/api/lists?filter=equals(name,%22Nobody%22)")
            #expect(none.json?["data"] == .array([]))
            let all = try await sandbox.send(.GET, "/api/lists")
            #expect(all.json?["data"]?.arrayElements?.count == 2)
            let bad = try await sandbox.send(.GET, "/api/lists?filter=contains(name,%22x%22)")
            #expect(bad.status == 400)
            let unnamed = try await sandbox.post("/api/lists", #"{"data":{"type":"list","attributes":{}}}"#)
            #expect(unnamed.pointers == ["/data/attributes/name"])
        }
    }

    @Test("profiles are added to and removed from lists by Klaviyo id (204); unknown list 404, unknown profile 400")
    func membership() async throws {
        try await Sandbox.with { sandbox in
            let list = try await Self.createList(sandbox, "Buyers")
            let a = try await Self.importProfile(sandbox, "a@example.com")
            let b = try await Self.importProfile(sandbox, "b@example.com")
            let body = #"{"data":[{"type":"profile","id":"\#(a)"},{"type":"profile","id":"\#(b)"}]}"#
            let added = try await sandbox.post("/api/lists/\(list)/relationships/profiles", body)
            #expect(added.status == 204)
            #expect(try await sandbox.lines("/sandbox/profiles").allSatisfy { $0["lists"]?.arrayElements?.count == 1 })
            let removed = try await sandbox.send(
                .DELETE, "/api/lists/\(list)/relationships/profiles",
                body: #"{"data":[{"type":"profile","id":"\#(a)"}]}"#)
            #expect(removed.status == 204)
            let profiles = try await sandbox.lines("/sandbox/profiles")
            #expect(profiles.map { $0["lists"]?.arrayElements?.count } == [0, 1])

            let missingList = try await sandbox.post("/api/lists/NOPE/relationships/profiles", body)
            #expect(missingList.status == 404)
            #expect(missingList.codes == ["not_found"])
            let unknown = #"{"data":[{"type":"profile","id":"\#(a)"},{"type":"profile","id":"01UNKNOWN"}]}"#
            let missingProfile = try await sandbox.post("/api/lists/\(list)/relationships/profiles", unknown)
            #expect(missingProfile.status == 400)
            #expect(missingProfile.pointers == ["/data/1/id"])
        }
    }

    static func suppressionBody(_ type: String, _ emails: [String]) -> String {
        let profiles = emails.map { #"{"type":"profile","attributes":{"email":"\#($0)"}}"# }.joined(separator: ",")
        return #"{"data":{"type":"\#(type)","attributes":{"profiles":{"data":[\#(profiles)]}}}}"#
    }

    @Test("suppress marks profiles USER_SUPPRESSED (creating unknown ones); unsuppress lifts only that reason")
    func suppressAndUnsuppress() async throws {
        try await Sandbox.with { sandbox in
            _ = try await Self.importProfile(sandbox, "a@example.com")
            let suppress = try await sandbox.post(
                "/api/profile-suppression-bulk-create-jobs",
                Self.suppressionBody("profile-suppression-bulk-create-job", ["a@example.com", "new@example.com"]))
            #expect(suppress.status == 202)
            #expect(suppress.json?["data"]?["type"] == "profile-suppression-bulk-create-job")
            var profiles = try await sandbox.lines("/sandbox/profiles")
            #expect(profiles.map { $0["suppressed"] } == [.bool(true), .bool(true)])
            #expect(profiles.map { $0["suppression_reason"] } == ["USER_SUPPRESSED", "USER_SUPPRESSED"])

            // An unsubscribe is a different reason, which unsuppress must not lift.
            let unsubscribe =
                #"{"data":{"type":"profile-subscription-bulk-delete-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"c@example.com","subscriptions":{"email":{"marketing":{"consent":"UNSUBSCRIBED"}}}}}]}}}}"#
            #expect(try await sandbox.post("/api/profile-subscription-bulk-delete-jobs", unsubscribe).status == 202)

            let unsuppress = try await sandbox.post(
                "/api/profile-suppression-bulk-delete-jobs",
                Self.suppressionBody(
                    "profile-suppression-bulk-delete-job", ["a@example.com", "new@example.com", "c@example.com"]))
            #expect(unsuppress.status == 202)
            profiles = try await sandbox.lines("/sandbox/profiles")
            #expect(profiles.map { $0["suppressed"] } == [.bool(false), .bool(false), .bool(true)])
            #expect(profiles.last?["suppression_reason"] == "UNSUBSCRIBE")
        }
    }

    @Test("more than 100 emails in one suppression job answers 400; a bad email points at it")
    func suppressionLimits() async throws {
        try await Sandbox.with { sandbox in
            let many = (0..<101).map { "p\($0)@example.com" }
            let tooMany = try await sandbox.post(
                "/api/profile-suppression-bulk-create-jobs",
                Self.suppressionBody("profile-suppression-bulk-create-job", many))
            #expect(tooMany.status == 400)
            let bad = try await sandbox.post(
                "/api/profile-suppression-bulk-create-jobs",
                Self.suppressionBody("profile-suppression-bulk-create-job", ["ok@example.com", "nope"]))
            #expect(bad.pointers == ["/data/attributes/profiles/data/1/attributes/email"])
        }
    }

    @Test("subscribe sets consent and joins the list; answered 202 with no body")
    func subscribe() async throws {
        try await Sandbox.with { sandbox in
            let list = try await Self.createList(sandbox, "Newsletter")
            let body =
                #"{"data":{"type":"profile-subscription-bulk-create-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"s@example.com","subscriptions":{"email":{"marketing":{"consent":"SUBSCRIBED"}}}}}]}},"relationships":{"list":{"data":{"type":"list","id":"\#(list)"}}}}}"#
            let answer = try await sandbox.post("/api/profile-subscription-bulk-create-jobs", body)
            #expect(answer.status == 202)
            #expect(answer.body.isEmpty)
            let profile = try #require(try await sandbox.lines("/sandbox/profiles").first)
            #expect(profile["email_consent"] == "SUBSCRIBED")
            #expect(profile["lists"]?.arrayElements?.first?["id"] == .string(list))
        }
    }
}
