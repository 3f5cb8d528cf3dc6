import Foundation
import LogfoldDomain
import LogfoldKlaviyo
import LogfoldSandbox
import LogfoldTestSupport
import Logging
import Testing

/// The Klaviyo client against the local Klaviyo, over loopback, both on one clock the test steps by hand:
/// waits that depend on time are checked by moving time, never by sleeping and measuring.
@Suite struct InjectedClockTests {
    static func event(_ n: Int) -> KlaviyoCall {
        let event = KlaviyoEvent(
            metric: "Placed Order", uniqueID: "clock-\(n)", time: 1_767_225_000, backfill: false,
            profile: KlaviyoProfile(externalID: "c\(n)", email: "c\(n)@example.com"))
        return KlaviyoCall(
            endpoint: .createEvent, path: "/api/events", body: KlaviyoRequestBody.createEvent(event).renderedBytes)
    }

    /// A client that paces nothing itself, only what the sandbox's answers tell it, on `clock`.
    static func client(_ sandbox: Sandbox, _ clock: ManualClock) throws -> KlaviyoClient {
        try KlaviyoClient(
            configuration: KlaviyoClientConfiguration(baseURL: sandbox.base, apiKey: sandbox.key, rateLimits: .lifted),
            logger: Logger(label: "test"), clock: clock.pacingClock)
    }

    /// Sends `call` in a task and returns once that task waits on `clock`.
    static func waiting(_ client: KlaviyoClient, _ call: KlaviyoCall, on clock: ManualClock) async
        -> Task<KlaviyoResponse, any Error>
    {
        let task = Task { try await client.send(call) }
        while clock.sleepers == 0 { await Task.yield() }
        return task
    }

    @Test("a 429's Retry-After holds the endpoint's next call until the injected clock has moved past it")
    func retryAfterOnTheInjectedClock() async throws {
        let clock = ManualClock()
        let faults = try FaultSpec.parse("429:1.0")
        try await Sandbox.with({
            $0.clock = clock.sandboxClock
            $0.faults = faults
        }) { sandbox in
            let client = try Self.client(sandbox, clock)
            let refused = try await client.send(Self.event(1))
            #expect(refused.status == 429)
            let retryAfter = try #require(refused.retryAfter)
            let next = await Self.waiting(client, Self.event(2), on: clock)
            clock.advance(milliseconds: Int64(retryAfter * 1_000) - 1)
            #expect(clock.sleepers == 1, "the call went out before Retry-After had passed on the clock")
            #expect(try await sandbox.stats()["requests"] == 1)
            clock.advance(milliseconds: 251)  // past Retry-After and the pacer's jitter
            _ = try await next.value
            #expect(try await sandbox.stats()["requests"] == 2)
            await client.shutdown()
        }
    }

    @Test("a window Klaviyo says is spent (RateLimit-Remaining 0) holds the next call until its reset, on the clock")
    func rateLimitResetOnTheInjectedClock() async throws {
        let clock = ManualClock()
        let limits = try RateLimitTable.parse("events=1/1s")
        try await Sandbox.with({
            $0.clock = clock.sandboxClock
            $0.rateLimits = limits
        }) { sandbox in
            let client = try Self.client(sandbox, clock)
            let first = try await client.send(Self.event(1))
            #expect(first.status == 202)
            let next = await Self.waiting(client, Self.event(2), on: clock)
            clock.advance(milliseconds: 999)
            #expect(clock.sleepers == 1, "the call went out inside the spent window")
            clock.advance(milliseconds: 1_000)
            #expect(try await next.value.status == 202, "the call after the reset was refused")
            #expect(try await sandbox.stats()["rate_limited"] == 0)
            await client.shutdown()
        }
    }
}
