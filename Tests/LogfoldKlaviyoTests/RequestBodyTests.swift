import LogfoldDomain
import LogfoldKlaviyo
import Testing

@Suite struct RequestBodyTests {
    static let profile = KlaviyoProfile(
        externalID: "1141260", email: "ktest@example.com", phoneNumber: "+18285550142", firstName: "test",
        lastName: "mcgee", location: PostalAddress(line1: "1 Main St", city: "Asheville", region: "NC", zip: "28801"),
        properties: .object([.init("Status", .string("Active"))])
    )

    static let placed = KlaviyoEvent(
        metric: "Placed Order", uniqueID: "5001", time: 1_590_000_000, value: "47.95", valueCurrency: "USD",
        properties: .object([.init("ItemNames", .array([.string("Kale")]))]), backfill: true, profile: profile
    )

    @Test("Create Event puts unique_id, value and backfill at the top level and the profile by identifiers only")
    func createEventGolden() {
        let body = KlaviyoRequestBody.createEvent(Self.placed).rendered
        #expect(
            body
                == #"{"data":{"type":"event","attributes":{"properties":{"ItemNames":["Kale"]},"time":"2020-05-20T18:40:00Z","value":47.95,"value_currency":"USD","unique_id":"5001","backfill":true,"metric":{"data":{"type":"metric","attributes":{"name":"Placed Order"}}},"profile":{"data":{"type":"profile","attributes":{"email":"ktest@example.com","external_id":"1141260"}}}}}}"#
        )
    }

    @Test("unique_id is never only a $event_id property")
    func uniqueIDIsTopLevel() {
        let body = KlaviyoRequestBody.createEvent(Self.placed).rendered
        #expect(!body.contains("$event_id"))
        #expect(body.contains(#""unique_id":"5001""#))
    }

    @Test("Bulk Create Events groups events under one item per profile")
    func bulkGolden() {
        let second = KlaviyoEvent(
            metric: "Ordered Product", uniqueID: "5001_L1", time: 1_590_000_000, properties: .object([]),
            backfill: false, profile: Self.profile
        )
        let body = KlaviyoRequestBody.bulkCreateEvents([
            ProfileEvents(profile: Self.profile, events: [Self.placed, second])
        ])
        .rendered
        #expect(
            body
                == #"{"data":{"type":"event-bulk-create-job","attributes":{"events-bulk-create":{"data":[{"type":"event-bulk-create","attributes":{"profile":{"data":{"type":"profile","attributes":{"email":"ktest@example.com","external_id":"1141260"}}},"events":{"data":[{"type":"event","attributes":{"properties":{"ItemNames":["Kale"]},"time":"2020-05-20T18:40:00Z","value":47.95,"value_currency":"USD","unique_id":"5001","backfill":true,"metric":{"data":{"type":"metric","attributes":{"name":"Placed Order"}}}}},{"type":"event","attributes":{"properties":{},"time":"2020-05-20T18:40:00Z","unique_id":"5001_L1","backfill":false,"metric":{"data":{"type":"metric","attributes":{"name":"Ordered Product"}}}}}]}}}]}}}}"#
        )
    }

    @Test("bulk bodies built from pre-rendered items equal the JSON builder's byte for byte")
    func renderedBulkEqualsBuilder() {
        let other = KlaviyoProfile(externalID: "42", email: "q\"uote\\@example.com")
        let tricky = KlaviyoEvent(
            metric: "Note\nAdded", uniqueID: "u\u{1}", time: 1_600_000_000, value: "0.10",
            properties: .object([.init("text", .string("tab\there, é, 🥕")), .init("n", .null)]), backfill: false,
            profile: other)
        // A profile known by its external id alone (no email) is written without one.
        let anonymous = KlaviyoProfile(externalID: "7\"7")
        var third = tricky
        third.profile = anonymous
        let groups = [
            ProfileEvents(profile: Self.profile, events: [Self.placed]),
            ProfileEvents(profile: other, events: [tricky, Self.placed]),
            ProfileEvents(profile: anonymous, events: [third]),
        ]
        let built = Array(KlaviyoRequestBody.bulkCreateEvents(groups).rendered.utf8)
        let rendered = KlaviyoRequestBody.bulkCreateEvents(
            rendered: groups.map { ($0.profile, $0.events.map { KlaviyoRequestBody.bulkEventItem($0) }) })
        #expect(rendered == built)
        let withoutBackfill = KlaviyoRequestBody.bulkCreateEvents(
            rendered: groups.map {
                ($0.profile, $0.events.map { KlaviyoRequestBody.bulkEventItem($0, includeBackfill: false) })
            })
        #expect(
            withoutBackfill == Array(KlaviyoRequestBody.bulkCreateEvents(groups, includeBackfill: false).rendered.utf8))
        #expect(
            KlaviyoRequestBody.createEvent(tricky).renderedBytes
                == Array(KlaviyoRequestBody.createEvent(tricky).rendered.utf8))
    }

    @Test("profile import carries names, phone, location and custom properties")
    func profileImportGolden() {
        #expect(
            KlaviyoRequestBody.profileImport(Self.profile).rendered
                == #"{"data":{"type":"profile","attributes":{"email":"ktest@example.com","phone_number":"+18285550142","external_id":"1141260","first_name":"test","last_name":"mcgee","location":{"address1":"1 Main St","city":"Asheville","region":"NC","zip":"28801"},"properties":{"Status":"Active"}}}}"#
        )
    }

    @Test("a profile upsert clears names and phone with null and removes properties with patch_properties.unset")
    func profileImportClears() {
        let profile = KlaviyoProfile(
            externalID: "7", email: "a@example.com", firstName: "Ann",
            properties: .object([.init("Status", .string("Dead"))]),
            unsetProperties: ["Box", "NextDelivery"], cleared: [.lastName, .phone])
        #expect(
            KlaviyoRequestBody.profileImport(profile).rendered
                == #"{"data":{"type":"profile","attributes":{"email":"a@example.com","phone_number":null,"external_id":"7","first_name":"Ann","last_name":null,"properties":{"Status":"Dead"}},"meta":{"patch_properties":{"unset":["Box","NextDelivery"]}}}}"#
        )
        let bulk = KlaviyoRequestBody.profileBulkImport([profile]).rendered
        #expect(bulk.contains(#""meta":{"patch_properties":{"unset":["Box","NextDelivery"]}}"#))
    }

    @Test("coalescing upserts keeps an earlier removal unless the later upsert sets the property again")
    func coalescedRemovals() {
        let earlier = KlaviyoProfile(
            externalID: "7", properties: .object([]), unsetProperties: ["Box", "Schedule"],
            cleared: [.phone, .lastName])
        let later = KlaviyoProfile(
            externalID: "7", lastName: "Lee", properties: .object([.init("Box", .string("Large"))]),
            unsetProperties: ["CancelDate"])
        let merged = later.coalesced(after: earlier)
        #expect(merged.unsetProperties == ["CancelDate", "Schedule"])
        #expect(merged.cleared == [.phone])
        #expect(merged.properties == later.properties)
    }

    @Test("bulk import adds every profile to the list through its relationship")
    func bulkImportIntoList() {
        let body = KlaviyoRequestBody.profileBulkImport([Self.profile.identifiersOnly], listIDs: ["L1"]).rendered
        #expect(
            body
                == #"{"data":{"type":"profile-bulk-import-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"ktest@example.com","external_id":"1141260"}}]}},"relationships":{"lists":{"data":[{"type":"list","id":"L1"}]}}}}"#
        )
    }

    @Test("suppression jobs name profiles by email; the delete job lifts it")
    func suppressionGolden() {
        #expect(
            KlaviyoRequestBody.suppression(emails: ["a@example.com"], delete: false).rendered
                == #"{"data":{"type":"profile-suppression-bulk-create-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"a@example.com"}}]}}}}"#
        )
        #expect(
            KlaviyoRequestBody.suppression(emails: ["a@example.com"], delete: true).rendered
                .hasPrefix(#"{"data":{"type":"profile-suppression-bulk-delete-job""#)
        )
    }

    @Test("list relationships name Klaviyo profile ids")
    func listRelationshipsGolden() {
        #expect(
            KlaviyoRequestBody.listRelationships(profileIDs: ["01A", "01B"]).rendered
                == #"{"data":[{"type":"profile","id":"01A"},{"type":"profile","id":"01B"}]}"#
        )
    }

    @Test("an older revision gets no backfill member")
    func noBackfillBeforeItsRevision() {
        #expect(!KlaviyoRequestBody.createEvent(Self.placed, includeBackfill: false).rendered.contains("backfill"))
    }

    @Test("events carry the same identifiers whatever the profile snapshot held")
    func eventsCarryIdentifiersOnly() {
        let other = KlaviyoProfile(externalID: "1141260", email: "ktest@example.com", firstName: "Changed")
        let a = KlaviyoEvent(metric: "M", uniqueID: "1", time: 1_600_000_000, backfill: false, profile: Self.profile)
        let b = KlaviyoEvent(metric: "M", uniqueID: "2", time: 1_600_000_000, backfill: false, profile: other)
        #expect(a.profile == b.profile)
        #expect(a.profile == KlaviyoProfile(externalID: "1141260", email: "ktest@example.com"))
    }

    @Test(
        "events Klaviyo would refuse are caught before sending",
        arguments: [
            (Int64(900_000_000), "before 2000"), (Int64(1_800_000_000 + 366 * 86_400), "a year ahead"),
        ])
    func localValidation(time: Int64, reason: String) {
        let event = KlaviyoEvent(metric: "M", uniqueID: "1", time: time, backfill: false, profile: Self.profile)
        #expect(event.problem(now: 1_800_000_000)?.contains(reason) == true)
        #expect(Self.placed.problem(now: 1_800_000_000) == nil)
    }
}
