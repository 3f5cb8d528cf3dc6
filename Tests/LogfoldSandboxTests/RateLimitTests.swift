import LogfoldSandbox
import LogfoldTestSupport
import Testing

@Suite struct RateLimitTests {
    static let start: Int64 = 1_767_225_600_000

    @Test("a fixed window admits its limit, refuses the next with the seconds to its end, and resets on the boundary")
    func fixedWindow() {
        var limiter = RateLimiter(table: RateLimitTable(windows: ["events": [.perSeconds(2, 1), .perSeconds(3, 60)]]))
        #expect(limiter.admit(.events, now: Self.start) == .allowed(.init(limit: 2, remaining: 1, resetSeconds: 1)))
        #expect(
            limiter.admit(.events, now: Self.start + 100) == .allowed(.init(limit: 2, remaining: 0, resetSeconds: 1)))
        #expect(limiter.admit(.events, now: Self.start + 200) == .throttled(retryAfterSeconds: 1))
        // Next second: the burst window is fresh, the minute window has one left and is now the tightest.
        #expect(
            limiter.admit(.events, now: Self.start + 1_000) == .allowed(.init(limit: 3, remaining: 0, resetSeconds: 59))
        )
        #expect(limiter.admit(.events, now: Self.start + 1_500) == .throttled(retryAfterSeconds: 59))
        #expect(limiter.admit(.events, now: Self.start + 59_001) == .throttled(retryAfterSeconds: 1))
        #expect(limiter.admit(.events, now: Self.start + 60_000) != .throttled(retryAfterSeconds: 1))
        // Other endpoints have their own windows; an endpoint without any is unlimited.
        #expect(limiter.admit(.profileImport, now: Self.start + 200) == .allowed(nil))
    }

    @Test("the spec overrides named endpoints and keeps Klaviyo's figures for the others")
    func spec() throws {
        let table = try RateLimitTable.parse("event-bulk-create-jobs=2/1s,20/60s; profile-import=5/500ms")
        #expect(table.windows(for: .eventBulkCreate) == [.perSeconds(2, 1), .perSeconds(20, 60)])
        #expect(table.windows(for: .profileImport) == [RateLimitWindow(limit: 5, milliseconds: 500)])
        #expect(table.windows(for: .events) == [.perSeconds(350, 1), .perSeconds(3_500, 60)])
        #expect(RateLimitTable.klaviyo.windows(for: .listProfilesAdd) == [.perSeconds(10, 1), .perSeconds(150, 60)])
        #expect(throws: SandboxSpecError.self) { try RateLimitTable.parse("nope=1/1s") }
        #expect(throws: SandboxSpecError.self) { try RateLimitTable.parse("events=fast") }
        let all = try RateLimitTable.parse("*=1/2s")
        #expect(all.windows(for: .listsGet) == [.perSeconds(1, 2)])
    }

    @Test("over HTTP: 429 throttled with only Retry-After; successes carry RateLimit-* headers; 429s are not accepted")
    func overHTTP() async throws {
        let clock = ManualClock(Self.start + 250)
        let limits = try RateLimitTable.parse("events=2/1s,3/10s")
        try await Sandbox.with({
            $0.clock = clock.sandboxClock
            $0.rateLimits = limits
        }) { sandbox in
            let first = try await sandbox.post("/api/events", Bodies.createEvent(Bodies.event(uniqueID: "1")))
            #expect(first.status == 202)
            #expect(first.header("RateLimit-Limit") == "2")
            #expect(first.header("RateLimit-Remaining") == "1")
            #expect(first.header("RateLimit-Reset") == "1")
            _ = try await sandbox.post("/api/events", Bodies.createEvent(Bodies.event(uniqueID: "2")))
            let throttled = try await sandbox.post("/api/events", Bodies.createEvent(Bodies.event(uniqueID: "3")))
            #expect(throttled.status == 429)
            #expect(throttled.codes == ["throttled"])
            #expect(throttled.header("Retry-After") == "1")
            #expect(throttled.header("RateLimit-Limit") == nil)
            clock.advance(milliseconds: 1_000)
            let third = try await sandbox.post("/api/events", Bodies.createEvent(Bodies.event(uniqueID: "3")))
            #expect(third.status == 202)
            #expect(third.header("RateLimit-Remaining") == "0")
            #expect(third.header("RateLimit-Reset") == "9")
            let long = try await sandbox.post("/api/events", Bodies.createEvent(Bodies.event(uniqueID: "4")))
            #expect(long.header("Retry-After") == "9")
            let stats = try await sandbox.stats()
            #expect(stats["rate_limited"] == 2)
            #expect(stats["accepted"] == 3)
            #expect(stats["received"] == 3)
            #expect(stats["requests"] == 5)
            let log = try await sandbox.lines("/sandbox/requests")
            #expect(
                log.map { $0["status"] } == [
                    .number("202"), .number("202"), .number("429"), .number("202"), .number("429"),
                ])
        }
    }

    @Test("a short real window: the request after Retry-After seconds is admitted")
    func realClockWindow() async throws {
        let limits = try RateLimitTable.parse("lists-create=1/1s")
        try await Sandbox.with({ $0.rateLimits = limits }) { sandbox in
            let body = #"{"data":{"type":"list","attributes":{"name":"L"}}}"#
            var answer = try await sandbox.post("/api/lists", body)
            #expect(answer.status == 201)
            answer = try await sandbox.post("/api/lists", body)
            if answer.status == 429 {
                let seconds = try #require(Int(answer.header("Retry-After") ?? ""))
                #expect(seconds == 1)
                try await Task.sleep(for: .seconds(seconds))
                #expect(try await sandbox.post("/api/lists", body).status == 201)
            }
        }
    }

    @Test("--no-rate-limits admits everything without RateLimit headers")
    func unlimited() async throws {
        try await Sandbox.with({ $0.rateLimits = .unlimited }) { sandbox in
            for i in 0..<15 {
                let answer = try await sandbox.post(
                    "/api/lists", #"{"data":{"type":"list","attributes":{"name":"L\#(i)"}}}"#)
                #expect(answer.status == 201)
                #expect(answer.header("RateLimit-Limit") == nil)
            }
        }
    }
}
