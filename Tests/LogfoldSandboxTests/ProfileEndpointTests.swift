import LogfoldSandbox
import Testing

@Suite struct ProfileEndpointTests {
    @Test(
        "profile-import creates (201), then updates (200) the same profile: null clears, omitted keeps, properties merge"
    )
    func upsertSemantics() async throws {
        try await Sandbox.with { sandbox in
            let created = try await sandbox.post(
                "/api/profile-import",
                Bodies.profileImport(
                    #""email":"ann@example.com","external_id":"c1","first_name":"Ann","last_name":"Lee","#
                        + #""location":{"city":"Lyon","zip":"69001"},"properties":{"plan":"weekly","box":"Family"}"#))
            #expect(created.status == 201)
            let data = try #require(created.json?["data"])
            #expect(data["type"] == "profile")
            let id = try #require(data["id"]?.stringValue)
            #expect(id.count == 26)
            #expect(data["attributes"]?["first_name"] == "Ann")

            let updated = try await sandbox.post(
                "/api/profile-import",
                Bodies.profileImport(
                    #""external_id":"c1","first_name":null,"location":{"zip":null},"properties":{"plan":"biweekly","vip":true}"#
                ))
            #expect(updated.status == 200)
            let attributes = try #require(updated.json?["data"]?["attributes"])
            #expect(updated.json?["data"]?["id"] == .string(id))
            #expect(attributes["first_name"] == .null)
            #expect(attributes["last_name"] == "Lee")
            #expect(attributes["email"] == "ann@example.com")
            #expect(attributes["location"] == .object(["city": "Lyon"]))
            #expect(attributes["properties"] == .object(["plan": "biweekly", "box": "Family", "vip": .bool(true)]))
            #expect(try await sandbox.lines("/sandbox/profiles").count == 1)
        }
    }

    @Test("meta.patch_properties.unset removes properties as Klaviyo does; a malformed unset is a 400")
    func unsetProperties() async throws {
        try await Sandbox.with { sandbox in
            _ = try await sandbox.post(
                "/api/profile-import",
                Bodies.profileImport(
                    #""external_id":"c1","properties":{"Box":"Small","Schedule":"Weekly","Status":"Active"}"#))
            let unset = try await sandbox.post(
                "/api/profile-import",
                #"{"data":{"type":"profile","attributes":{"external_id":"c1","properties":{"Status":"Dead"}},"#
                    + #""meta":{"patch_properties":{"unset":["Box","Schedule"]}}}}"#)
            #expect(unset.status == 200)
            #expect(unset.json?["data"]?["attributes"]?["properties"] == .object(["Status": "Dead"]))
            let one = try await sandbox.post(
                "/api/profile-import",
                #"{"data":{"type":"profile","attributes":{"external_id":"c1"},"meta":{"patch_properties":{"unset":"Status"}}}}"#
            )
            #expect(one.json?["data"]?["attributes"]?["properties"] == .object([:]))
            let bad = try await sandbox.post(
                "/api/profile-import",
                #"{"data":{"type":"profile","attributes":{"external_id":"c1"},"meta":{"patch_properties":{"unset":[1]}}}}"#
            )
            #expect(bad.status == 400)
        }
    }

    @Test("profiles are matched by external_id, then email, then phone number")
    func matchingOrder() async throws {
        try await Sandbox.with { sandbox in
            let first = try await sandbox.post("/api/profile-import", Bodies.profileImport(#""email":"a@example.com""#))
            let id = first.json?["data"]?["id"]
            // Email matches the existing profile, which gains the external id and phone.
            let second = try await sandbox.post(
                "/api/profile-import",
                Bodies.profileImport(#""email":"A@Example.com","external_id":"x1","phone_number":"+15005550006""#))
            #expect(second.status == 200)
            #expect(second.json?["data"]?["id"] == id)
            let byPhone = try await sandbox.post(
                "/api/profile-import", Bodies.profileImport(#""phone_number":"+15005550006""#))
            #expect(byPhone.status == 200)
            #expect(byPhone.json?["data"]?["id"] == id)
            let byID = try await sandbox.post(
                "/api/profile-import", Bodies.profileImport(#""last_name":"Byid""#, id: id?.stringValue))
            #expect(byID.status == 200)
            let unknownID = try await sandbox.post(
                "/api/profile-import", Bodies.profileImport(#""last_name":"X""#, id: "01XXXXXXXXXXXXXXXXXXXXXXXX"))
            #expect(unknownID.status == 400)
            #expect(unknownID.pointers == ["/data/id"])
        }
    }

    @Test("identifiers belonging to two different profiles answer 409 duplicate_profile and change nothing")
    func conflict() async throws {
        try await Sandbox.with { sandbox in
            _ = try await sandbox.post("/api/profile-import", Bodies.profileImport(#""email":"a@example.com""#))
            let b = try await sandbox.post(
                "/api/profile-import", Bodies.profileImport(#""phone_number":"+15005550006""#))
            let answer = try await sandbox.post(
                "/api/profile-import", Bodies.profileImport(#""email":"a@example.com","phone_number":"+15005550006""#))
            #expect(answer.status == 409)
            #expect(answer.codes == ["duplicate_profile"])
            #expect(answer.errors.first?["meta"]?["duplicate_profile_id"] == b.json?["data"]?["id"])
            let extAndEmail = try await sandbox.post(
                "/api/profile-import", Bodies.profileImport(#""external_id":"e1""#))
            #expect(extAndEmail.status == 201)
            let clash = try await sandbox.post(
                "/api/profile-import", Bodies.profileImport(#""external_id":"e1","email":"a@example.com""#))
            #expect(clash.status == 409)
            let profiles = try await sandbox.lines("/sandbox/profiles")
            #expect(profiles.map { $0["email"] } == ["a@example.com", .null, .null])
        }
    }

    @Test("profile-import validates like events: a bad phone is 400 at /data/attributes/phone_number")
    func importValidation() async throws {
        try await Sandbox.with { sandbox in
            let answer = try await sandbox.post(
                "/api/profile-import", Bodies.profileImport(#""email":"a@example.com","phone_number":"555-1234""#))
            #expect(answer.status == 400)
            #expect(answer.pointers == ["/data/attributes/phone_number"])
        }
    }

    @Test("bulk import upserts every profile, adds them to the related list, and its job can be read back")
    func bulkImport() async throws {
        try await Sandbox.with { sandbox in
            let list = try await sandbox.post("/api/lists", #"{"data":{"type":"list","attributes":{"name":"Buyers"}}}"#)
            let listID = try #require(list.json?["data"]?["id"]?.stringValue)
            let profiles = (0..<3).map { #"{"type":"profile","attributes":{"email":"p\#($0)@example.com"}}"# }
            let body =
                #"{"data":{"type":"profile-bulk-import-job","attributes":{"profiles":{"data":[\#(profiles.joined(separator: ","))]}},"relationships":{"lists":{"data":[{"type":"list","id":"\#(listID)"}]}}}}"#
            let answer = try await sandbox.post("/api/profile-bulk-import-jobs", body)
            #expect(answer.status == 202)
            let job = try #require(answer.json?["data"])
            #expect(job["type"] == "profile-bulk-import-job")
            #expect(job["attributes"]?["status"] == "complete")
            #expect(job["attributes"]?["total_count"] == .number("3"))
            #expect(job["attributes"]?["completed_count"] == .number("3"))
            #expect(job["attributes"]?["failed_count"] == .number("0"))
            let jobID = try #require(job["id"]?.stringValue)
            let read = try await sandbox.send(.GET, "/api/profile-bulk-import-jobs/\(jobID)")
            #expect(read.status == 200)
            #expect(read.json?["data"]?["id"] == .string(jobID))
            let errors = try await sandbox.send(.GET, "/api/profile-bulk-import-jobs/\(jobID)/import-errors")
            #expect(errors.status == 200)
            #expect(errors.json?["data"] == .array([]))
            #expect(try await sandbox.send(.GET, "/api/profile-bulk-import-jobs/nope").status == 404)
            let stored = try await sandbox.lines("/sandbox/profiles")
            #expect(stored.count == 3)
            #expect(stored.allSatisfy { $0["lists"] == .array([.object(["id": .string(listID), "name": "Buyers"])]) })
        }
    }

    @Test("bulk import is all-or-nothing with pointers per profile")
    func bulkImportValidation() async throws {
        try await Sandbox.with { sandbox in
            let profiles = (0..<9).map { i in
                i == 7
                    ? #"{"type":"profile","attributes":{"email":"broken"}}"#
                    : #"{"type":"profile","attributes":{"email":"p\#(i)@example.com"}}"#
            }
            let body =
                #"{"data":{"type":"profile-bulk-import-job","attributes":{"profiles":{"data":[\#(profiles.joined(separator: ","))]}}}}"#
            let answer = try await sandbox.post("/api/profile-bulk-import-jobs", body)
            #expect(answer.status == 400)
            #expect(answer.pointers == ["/data/attributes/profiles/data/7/attributes/email"])
            #expect(try await sandbox.lines("/sandbox/profiles").isEmpty)
        }
    }

    @Test("events create and update the profile they carry")
    func eventsUpdateProfiles() async throws {
        try await Sandbox.with { sandbox in
            let profile = Bodies.profile(extra: #""first_name":"Ann","properties":{"plan":"weekly"}"#)
            _ = try await sandbox.post("/api/events", Bodies.createEvent(profile: profile))
            let later = Bodies.profile(email: nil, extra: #""last_name":"Lee","properties":{"box":"Veggie"}"#)
            _ = try await sandbox.post("/api/events", Bodies.createEvent(Bodies.event(uniqueID: "o-2"), profile: later))
            let profiles = try await sandbox.lines("/sandbox/profiles")
            #expect(profiles.count == 1)
            #expect(profiles.first?["first_name"] == "Ann")
            #expect(profiles.first?["last_name"] == "Lee")
            #expect(profiles.first?["properties"] == .object(["plan": "weekly", "box": "Veggie"]))
            #expect(profiles.first?["events"] == .number("2"))
        }
    }
}
