import LogfoldSandbox
import Testing

@Suite struct JSONAndTimeTests {
    @Test("JSON round-trips with number text and member order kept, escapes decoded and re-encoded")
    func roundTrip() throws {
        let text = #"{"b":9.990,"a":[1e3,-0,true,null],"s":"q\"\\\n\u00e9\ud83d\ude00\u0001"}"#
        let value = try SandboxJSON.parse(text)
        #expect(value["b"] == .number("9.990"))
        #expect(value.objectMembers?.map(\.key) == ["b", "a", "s"])
        #expect(value["s"] == .string("q\"\\\n\u{e9}\u{1F600}\u{1}"))
        #expect(value.rendered == #"{"b":9.990,"a":[1e3,-0,true,null],"s":"q\"\\\né😀\u0001"}"#)
        #expect(try SandboxJSON.parse(value.rendered) == value)
    }

    static let malformed = [
        "", "{", #"{"a":}"#, "[1,]", "01", "1.", "-", "tru", #"{"a":1} x"#, #""\ud800""#, "\"\u{1}\"",
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ]

    @Test("malformed JSON is refused with a reason", arguments: malformed)
    func malformedJSON(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try SandboxJSON.parse(text) }
    }

    @Test("ISO 8601 times with offsets parse to Unix seconds; incomplete ones do not")
    func timestamps() {
        #expect(Timestamp.unixSeconds("2025-06-01T12:00:00Z") == 1_748_779_200)
        #expect(Timestamp.unixSeconds("2025-06-01T14:00:00+02:00") == 1_748_779_200)
        #expect(Timestamp.unixSeconds("2025-06-01T07:30:00-0430") == 1_748_779_200)
        #expect(Timestamp.unixSeconds("2025-06-01T12:00:00.999999Z") == 1_748_779_200)
        #expect(Timestamp.unixSeconds("2024-02-29T00:00:00Z") != nil)
        for bad in [
            "2025-06-01T12:00:00", "2025-06-01", "2023-02-29T00:00:00Z", "2025-13-01T00:00:00Z",
            "2025-06-01T24:00:00Z", "2025-06-01T12:00:00+25:00", "2025-06-01T12:00:00Zjunk",
        ] {
            #expect(Timestamp.unixSeconds(bad) == nil, "\(bad)")
        }
        #expect(Timestamp.format(unixSeconds: 1_748_779_200) == "2025-06-01T12:00:00+00:00")
        #expect(Timestamp.format(unixSeconds: 0) == "1970-01-01T00:00:00+00:00")
    }

    @Test("E.164, email and currency rules")
    func fieldRules() {
        #expect(FieldRules.isE164("+15005550006"))
        #expect(FieldRules.isE164("+4915123456789"))
        #expect(!FieldRules.isE164("+05005550006"))
        #expect(!FieldRules.isE164("15005550006"))
        #expect(!FieldRules.isE164("+1 500 555 0006"))
        #expect(!FieldRules.isE164("+1234567890123456"))
        #expect(FieldRules.looksLikeEmail("ann.lee+box@mail.example.com"))
        #expect(!FieldRules.looksLikeEmail("ann@example"))
        #expect(!FieldRules.looksLikeEmail("ann@@example.com"))
        #expect(!FieldRules.looksLikeEmail("ann lee@example.com"))
        #expect(FieldRules.isCurrencyCode("EUR"))
        #expect(!FieldRules.isCurrencyCode("eur"))
    }

    @Test("revision policy: retired 410, future 400, suffixes allowed, backfill from 2026-04-15")
    func revisions() {
        let policy = RevisionPolicy()
        #expect((try? policy.check("2026-07-15").get()) == "2026-07-15")
        #expect((try? policy.check("2024-10-15.pre").get()) == "2024-10-15")
        #expect(policy.check("2024-06-30").failureStatus == 410)
        #expect(policy.check("2026-07-16").failureStatus == 400)
        #expect(policy.check("2026-02-30").failureStatus == 400)
        #expect(policy.check(nil).failureStatus == 400)
        #expect(policy.allowsBackfill("2026-04-15"))
        #expect(!policy.allowsBackfill("2026-01-15"))
    }
}

extension Result where Failure == SandboxAPIError {
    var failureStatus: Int? {
        if case .failure(let error) = self { return error.status }
        return nil
    }
}

extension JSONAndTimeTests {
    @Test("JSON pointers escape ~ and / in member names (RFC 6901)")
    func pointers() {
        let pointer = JSONPointer(path: "/data").appending("a/b").appending("m~n").appending(3).appending("plain")
        #expect(pointer.path == "/data/a~1b/m~0n/3/plain")
    }
}
