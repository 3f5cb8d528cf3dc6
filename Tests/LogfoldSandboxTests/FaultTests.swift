import AsyncHTTPClient
import LogfoldSandbox
import LogfoldTestSupport
import Testing

@Suite struct FaultTests {
    @Test("the spec parses outcomes, probabilities and the delay, and refuses nonsense")
    func spec() throws {
        let spec = try FaultSpec.parse("500:0.1,429:0.05,reset:0.02,timeout:0.01,524:0.01,delay:200ms")
        #expect(spec.entries.map(\.outcome) == [.status(500), .status(429), .reset, .timeout, .status(524)])
        #expect(spec.entries.map(\.probability) == [0.1, 0.05, 0.02, 0.01, 0.01])
        #expect(spec.delayMilliseconds == 200)
        #expect(try FaultSpec.parse("").isEmpty)
        #expect(throws: SandboxSpecError.self) { try FaultSpec.parse("500:2") }
        #expect(throws: SandboxSpecError.self) { try FaultSpec.parse("500:0.6,503:0.6") }
        #expect(throws: SandboxSpecError.self) { try FaultSpec.parse("explode:0.1") }
    }

    @Test("the same seed gives the same failures, request by request, with the probabilities roughly kept")
    func deterministic() throws {
        let spec = try FaultSpec.parse("500:0.2,reset:0.1")
        var a = FaultInjector(spec: spec, seed: 42)
        var b = FaultInjector(spec: spec, seed: 42)
        var c = FaultInjector(spec: spec, seed: 43)
        let runA = (0..<1_000).map { _ in a.next(now: 0).outcome }
        let runB = (0..<1_000).map { _ in b.next(now: 0).outcome }
        let runC = (0..<1_000).map { _ in c.next(now: 0).outcome }
        #expect(runA == runB)
        #expect(runA != runC)
        let fivehundreds = runA.filter { $0 == .status(500) }.count
        let resets = runA.filter { $0 == .reset }.count
        #expect((140...260).contains(fivehundreds))
        #expect((60...140).contains(resets))
    }

    @Test("an outage begins after its request count and answers every request for its length, then ends")
    func outage() throws {
        let spec = try FaultSpec.parse("outage:2s:3")
        #expect(spec.outage == FaultSpec.Outage(afterRequests: 3, milliseconds: 2_000))
        #expect(try FaultSpec.parse(spec.description) == spec)
        #expect(throws: SandboxSpecError.self) { try FaultSpec.parse("outage:2s") }
        #expect(throws: SandboxSpecError.self) { try FaultSpec.parse("outage:0s:3") }
        var injector = FaultInjector(spec: spec, seed: 1)
        // Three requests served, then down from the fourth's arrival (t = 10 s) until t = 12 s.
        let times: [Int64] = [0, 1_000, 9_000, 10_000, 10_500, 11_999, 12_000, 20_000]
        let outcomes = times.map { injector.next(now: $0).outcome }
        #expect(outcomes == [nil, nil, nil, .outage, .outage, .outage, nil, nil])
    }

    @Test("over HTTP a seeded run injects the same statuses twice; injected 429 carries Retry-After: 1")
    func seededOverHTTP() async throws {
        func run() async throws -> [Int] {
            var statuses: [Int] = []
            let spec = try FaultSpec.parse("500:0.25,429:0.25,503:0.1")
            try await Sandbox.with({
                $0.faults = spec
                $0.faultsSeed = 7
            }) { sandbox in
                for i in 0..<20 {
                    let answer = try await sandbox.post(
                        "/api/events", Bodies.createEvent(Bodies.event(uniqueID: "\(i)")))
                    statuses.append(answer.status)
                    if answer.status == 429 {
                        #expect(answer.header("Retry-After") == "1")
                        #expect(answer.codes == ["throttled"])
                    }
                }
                let stats = try await sandbox.stats()
                #expect(stats["failed_injected"] == statuses.filter { $0 != 202 }.count)
                #expect(stats["accepted"] == statuses.filter { $0 == 202 }.count)
            }
            return statuses
        }
        let first = try await run()
        #expect(first == (try await run()))
        #expect(Set(first).isSuperset(of: [202, 500, 429]))
    }

    @Test("reset closes the connection without an answer; POST /sandbox/faults changes faults at runtime")
    func resetAndRuntimeChange() async throws {
        try await Sandbox.with { sandbox in
            #expect(try await sandbox.post("/api/events", Bodies.createEvent()).status == 202)
            let set = try await sandbox.send(.POST, "/sandbox/faults", body: "reset:1", key: nil, revision: nil)
            #expect(set.status == 200)
            await #expect(throws: (any Error).self) {
                _ = try await sandbox.post("/api/events", Bodies.createEvent(Bodies.event(uniqueID: "2")))
            }
            _ = try await sandbox.send(.POST, "/sandbox/faults", body: "", key: nil, revision: nil)
            #expect(
                try await sandbox.post("/api/events", Bodies.createEvent(Bodies.event(uniqueID: "3"))).status == 202)
            let log = try await sandbox.lines("/sandbox/requests")
            #expect(log.map { $0["status"] } == [.number("202"), .number("0"), .number("202")])
            #expect(log[1]["fault"] == "reset")
            #expect(try await sandbox.lines("/sandbox/events").count == 2)
            let bad = try await sandbox.send(.POST, "/sandbox/faults", body: "500:7", key: nil, revision: nil)
            #expect(bad.status == 400)
        }
    }

    @Test("timeout holds the request without answering until the clock passes its length, then closes the connection")
    func timeout() async throws {
        let spec = try FaultSpec.parse("timeout:1")
        let clock = ManualClock()
        try await Sandbox.with({
            $0.faults = spec
            $0.timeoutFaultDuration = .milliseconds(300)
            $0.clock = clock.sandboxClock
        }) { sandbox in
            let attempt = Task { try await sandbox.post("/api/events", Bodies.createEvent()) }
            await clock.waitForSleeper()
            clock.advance(milliseconds: 299)
            await clock.waitForSleeper()
            // The request log is written when a request ends: still held.
            let whileHeld = try await sandbox.lines("/sandbox/requests")
            #expect(whileHeld.isEmpty)
            clock.advance(milliseconds: 1)
            let outcome = await attempt.result
            #expect(throws: (any Error).self) { _ = try outcome.get() }
            let afterwards = try await sandbox.lines("/sandbox/requests")
            #expect(afterwards.count == 1)
        }
    }

    @Test("delay answers once the clock has moved by the delay, and the request log says so")
    func delay() async throws {
        let spec = try FaultSpec.parse("delay:150ms")
        let clock = ManualClock()
        try await Sandbox.with({
            $0.faults = spec
            $0.clock = clock.sandboxClock
        }) { sandbox in
            let answer = Task { try await sandbox.post("/api/events", Bodies.createEvent()) }
            await clock.waitForSleeper()
            #expect(try await sandbox.lines("/sandbox/requests").isEmpty, "answered before the delay")
            clock.advance(milliseconds: 150)
            #expect(try await answer.value.status == 202)
            let log = try await sandbox.lines("/sandbox/requests")
            let entry = try #require(log.first)
            let received = try #require(entry["received_at_ms"]?.doubleValue)
            let answered = try #require(entry["answered_at_ms"]?.doubleValue)
            #expect(answered - received == 150)
        }
    }
}

extension FaultTests {
    // The time limit is a guard against a hang (a hold the stop cannot end), not a speed check.
    @Test(
        "a graceful stop does not wait out a timeout fault in flight, with the clock standing still",
        .timeLimit(.minutes(2)))
    func stopDuringTimeout() async throws {
        let spec = try FaultSpec.parse("timeout:1")
        let clock = ManualClock()
        // The fault holds the request for an hour of a clock that nothing advances: only the stop can end
        // the hold, so this test finishes only if the stop cuts it short.
        try await Sandbox.with({
            $0.faults = spec
            $0.timeoutFaultDuration = .seconds(3_600)
            $0.clock = clock.sandboxClock
        }) { sandbox in
            let attempt = Task { try await sandbox.post("/api/events", Bodies.createEvent()) }
            await clock.waitForSleeper()
            await sandbox.server.stop()
            let outcome = await attempt.result
            #expect(throws: (any Error).self) { _ = try outcome.get() }
        }
        #expect(clock.elapsed == .zero)
    }
}
