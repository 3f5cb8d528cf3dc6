import LogfoldDomain
import LogfoldKlaviyo
import Testing

@Suite struct PolicyTests {
    @Test(
        "phone numbers become E.164 or are dropped",
        arguments: [
            ("828-555-0142", "+18285550142"), ("(828) 555.0142", "+18285550142"), ("1 828 555 0142", "+18285550142"),
            ("+44 20 7946 0958", "+442079460958"), ("555-0142", nil), ("828-555-0142 x12", nil), ("", nil),
        ] as [(String, String?)])
    func e164(raw: String, expected: String?) {
        #expect(PhoneNumber.e164(raw) == expected)
    }

    @Test(
        "retry decisions follow the contract",
        arguments: [
            (202, RetryPolicy.Decision.accepted), (204, .accepted), (400, .rejected), (404, .rejected),
            (409, .rejected), (415, .rejected), (401, .stop(.unauthorized)), (403, .stop(.forbidden)),
            (410, .stop(.revisionRetired)), (429, .retry(afterSeconds: 0)),
        ] as [(Int, RetryPolicy.Decision)])
    func decisions(status: Int, expected: RetryPolicy.Decision) {
        #expect(RetryPolicy().decide(status: status, attempt: 1, jitter: 0.5) == expected)
    }

    @Test("5xx, 524 and lost connections back off exponentially with jitter, capped, then give up")
    func backoff() {
        let policy = RetryPolicy(baseDelay: 0.5, maxDelay: 64, maxAttempts: 14)
        for status in [500, 502, 503, 504, 524, nil] as [Int?] {
            guard case .retry(let first) = policy.decide(status: status, attempt: 1, jitter: 0) else {
                Issue.record("no retry for \(String(describing: status))")
                continue
            }
            #expect(first == 0.25)
        }
        #expect(policy.backoff(attempt: 3, jitter: 0) == 1)
        #expect(policy.backoff(attempt: 3, jitter: 0.999) < 2)
        #expect(policy.backoff(attempt: 30, jitter: 1) == 64)
        #expect(policy.decide(status: 503, attempt: 14, jitter: 0) == .giveUp)
    }

    @Test("error documents are read with their pointers")
    func errorDocument() {
        let body = Array(
            #"{"errors":[{"id":"x","code":"invalid","title":"Invalid input.","detail":"Invalid phone number format","source":{"pointer":"/data/attributes/events-bulk-create/data/3/attributes/events/data/1/attributes/time"}}]}"#
                .utf8)
        let errors = KlaviyoAPIError.parse(body, status: 400)
        #expect(errors.count == 1)
        #expect(errors[0].code == "invalid")
        #expect(
            KlaviyoPointer.indices(errors[0].pointer ?? "", after: "/data/attributes/events-bulk-create") == [3, 1])
        #expect(
            KlaviyoPointer.indices(
                "/data/attributes/profiles/data/7/attributes/email", after: "/data/attributes/profiles") == [7])
        #expect(KlaviyoPointer.indices("/data/attributes/other", after: "/data/attributes/profiles") == nil)
        #expect(KlaviyoAPIError.parse(Array("<html>".utf8), status: 502)[0].code == "http_502")
    }

    @Test("rate-limit specs parse, and bad ones say what to write")
    func rateLimitSpec() throws {
        let limits = try KlaviyoRateLimits.parse("event-bulk-create-jobs=2/1s,20/60s")
        #expect(limits[.bulkCreateEvents] == [RateWindow(limit: 2, seconds: 1), RateWindow(limit: 20, seconds: 60)])
        #expect(limits[.profileImport] == KlaviyoRateLimits.defaults[.profileImport])
        #expect(throws: KlaviyoError.self) { try KlaviyoRateLimits.parse("nope=1/1s") }
        #expect(throws: KlaviyoError.self) { try KlaviyoRateLimits.parse("events=1/1m") }
        #expect(KlaviyoRateLimits.defaults.requestsPerMinute(.bulkCreateEvents) == 150)
    }
}
