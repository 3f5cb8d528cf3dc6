import LogfoldSandbox
import Testing

/// The pure validation rules of Create Event, each with the pointer its error names.
@Suite struct EventValidatorTests {
    /// 2026-01-01T00:00:00Z.
    static let now: Int64 = 1_767_225_600
    let validator = EventValidator(backfillAllowed: true, now: EventValidatorTests.now)

    static let attributes = "/data/attributes"
    static let profileAttributes = "/data/attributes/profile/data/attributes"

    static let invalidEvents: [(String, String, String)] = [
        (
            "properties missing", #"{"metric":{"data":{"type":"metric","attributes":{"name":"M"}}}}"#,
            "\(attributes)/properties"
        ),
        ("properties not an object", Bodies.event(properties: "[1]"), "\(attributes)/properties"),
        ("time without offset", Bodies.event(time: "2025-06-01T12:00:00"), "\(attributes)/time"),
        ("time not a date", Bodies.event(time: "June 1st"), "\(attributes)/time"),
        ("time before 2000", Bodies.event(time: "1999-12-31T23:59:59Z"), "\(attributes)/time"),
        ("time over a year ahead", Bodies.event(time: "2027-01-02T00:00:00Z"), "\(attributes)/time"),
        ("impossible date", Bodies.event(time: "2025-02-30T00:00:00Z"), "\(attributes)/time"),
        ("value a string", Bodies.event(value: #""9.99""#), "\(attributes)/value"),
        ("currency lower-case", Bodies.event(currency: "usd"), "\(attributes)/value_currency"),
        ("currency too long", Bodies.event(currency: "USDX"), "\(attributes)/value_currency"),
        ("unique_id a number", Bodies.event(uniqueID: nil, extra: #""unique_id":12"#), "\(attributes)/unique_id"),
        ("unique_id too long", Bodies.event(uniqueID: String(repeating: "u", count: 256)), "\(attributes)/unique_id"),
        ("metric name empty", Bodies.event(metric: ""), "\(attributes)/metric/data/attributes/name"),
        ("backfill not boolean", Bodies.event(extra: #""backfill":"yes""#), "\(attributes)/backfill"),
        ("unknown attribute", Bodies.event(extra: #""uniqueId":"x""#), "\(attributes)/uniqueId"),
        (
            "string over 100 KB",
            Bodies.event(properties: #"{"a":{"b":"\#(String(repeating: "x", count: 102_401))"}}"#),
            "\(attributes)/properties/a/b"
        ),
    ]

    @Test("each event rule rejects with a pointer to its field", arguments: invalidEvents)
    func eventRules(_ rule: (String, String, String)) throws {
        let (_, event, pointer) = rule
        let rejection = try #require(throws: SandboxRejection.self) {
            try validator.createEvent(try SandboxJSON.parse(Bodies.createEvent(event)))
        }
        #expect(rejection.errors.map(\.pointer) == [pointer], "\(rule.0)")
        #expect(rejection.errors.allSatisfy { $0.status == 400 && $0.code == "invalid" })
    }

    static let invalidProfiles: [(String, String, String)] = [
        (
            "no identifier", Bodies.profile(email: nil, externalID: nil, extra: #""first_name":"Ann""#),
            profileAttributes
        ),
        ("email malformed", Bodies.profile(email: "ann@"), "\(profileAttributes)/email"),
        ("phone not E.164", Bodies.profile(phone: "0612345678"), "\(profileAttributes)/phone_number"),
        ("phone too short", Bodies.profile(phone: "+12345"), "\(profileAttributes)/phone_number"),
        (
            "external_id a number", Bodies.profile(externalID: nil, extra: #""external_id":5"#),
            "\(profileAttributes)/external_id"
        ),
        ("location not an object", Bodies.profile(extra: #""location":"Paris""#), "\(profileAttributes)/location"),
        ("properties not an object", Bodies.profile(extra: #""properties":3"#), "\(profileAttributes)/properties"),
    ]

    @Test("each profile rule rejects with a pointer to its field", arguments: invalidProfiles)
    func profileRules(_ rule: (String, String, String)) throws {
        let (_, profile, pointer) = rule
        let rejection = try #require(throws: SandboxRejection.self) {
            try validator.createEvent(try SandboxJSON.parse(Bodies.createEvent(profile: profile)))
        }
        #expect(rejection.errors.map(\.pointer) == [pointer], "\(rule.0)")
    }

    @Test("400 properties are accepted, 401 are not")
    func propertyCount() throws {
        func properties(_ n: Int) -> String { "{" + (0..<n).map { #""p\#($0)":\#($0)"# }.joined(separator: ",") + "}" }
        _ = try validator.createEvent(
            try SandboxJSON.parse(Bodies.createEvent(Bodies.event(properties: properties(400)))))
        #expect(throws: SandboxRejection.self) {
            try validator.createEvent(
                try SandboxJSON.parse(Bodies.createEvent(Bodies.event(properties: properties(401)))))
        }
    }

    @Test("backfill before revision 2026-04-15 is refused at its pointer")
    func backfillNeedsRevision() throws {
        let old = EventValidator(backfillAllowed: false, now: Self.now)
        let rejection = try #require(throws: SandboxRejection.self) {
            try old.createEvent(try SandboxJSON.parse(Bodies.createEvent(Bodies.event(backfill: true))))
        }
        #expect(rejection.errors.map(\.pointer) == ["/data/attributes/backfill"])
    }

    @Test("a valid event normalises time, keeps the value's text, and accepts E.164 phones and offsets")
    func validEvent() throws {
        let body = Bodies.createEvent(
            Bodies.event(time: "2025-06-01T14:00:00.750+02:00", value: "10.50"),
            profile: Bodies.profile(phone: "+447700900123"))
        let batch = try validator.createEvent(try SandboxJSON.parse(body))
        let event = try #require(batch.groups.first?.events.first)
        #expect(event.time == 1_748_779_200)
        #expect(event.value == "10.50")
        #expect(event.backfill == false)
        #expect(batch.groups.first?.profile.phoneNumber == .set("+447700900123"))
    }

    @Test("profile fields sent null are cleared, omitted ones kept")
    func nullVersusOmitted() throws {
        let body = Bodies.createEvent(profile: Bodies.profile(extra: #""first_name":null,"properties":{"a":1}"#))
        let profile = try #require(try validator.createEvent(try SandboxJSON.parse(body)).groups.first?.profile)
        #expect(profile.strings["first_name"] == .clear)
        #expect(profile.strings["last_name"] == nil)
        #expect(profile.phoneNumber == .keep)
        #expect(profile.properties == .merge([.init("a", .number("1"))]))
    }
}
