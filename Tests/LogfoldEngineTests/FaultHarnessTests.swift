import Foundation
import LogfoldTestSupport
import Testing

/// The fault harness (docs/reliability.md): the sender against a sandbox that fails 10% of calls with
/// 5xx, 5% with 429 and 2% with a reset connection, and goes down completely for a while in the middle
/// (10 s in CI; 60 s with `LOGFOLD_HARNESS_LONG=1`).
@Suite(.serialized, .offThePool) struct FaultHarnessTests {
    @Test("faults and an outage: everything delivered once, Retry-After honoured, no hot loop while down")
    func faultsAndOutage() throws {
        let outageSeconds = CrashPointHarnessTests.long ? 60 : 10
        let directory = try TemporaryDirectory()
        let log = directory.file("log.jsonl")
        let generated = try LogfoldProcess.run([
            "generate", "--seed", "31", "--customers", "25", "--days", "40", "--out", log,
        ])
        try #require(generated.status == 0, "\(generated.stderr)")
        let data = try SendEndToEndTests.project(log, in: directory)
        let faults = "500:0.05,503:0.05,429:0.05,reset:0.02,outage:\(outageSeconds)s:40"
        let sandbox = try SandboxProcess(
            data: directory.file("sandbox"), ["--no-rate-limits", "--faults", faults, "--faults-seed", "3"])
        defer { sandbox.stop() }
        // Small windows make many requests, so the outage falls in the middle of the work.
        let result = try SendEndToEndTests.send(data, sandbox, ["--concurrency", "1", "--window", "60"])
        try #require(result.status == 0, "send: \(result.stderr)")

        let expected = try SendEndToEndTests.outbox(data).filter { $0["kind"] as? String == "event" }
        let stored = try sandbox.lines("/sandbox/events").map(SendEndToEndTests.eventKey)
        #expect(stored.count == Set(stored).count, "an event is stored twice")
        #expect(Set(stored) == Set(expected.map(SendEndToEndTests.eventKey)))
        #expect(try SendEndToEndTests.outbox(data, status: "pending").isEmpty)
        #expect(try SendEndToEndTests.outbox(data, status: "dead").isEmpty)

        let requests = try sandbox.lines("/sandbox/requests").filter {
            ($0["path"] as? String ?? "").hasPrefix("/api/")
        }
        let injected = requests.filter { $0["fault"] is String }
        var byFault: [String: Int] = [:]
        for request in injected { byFault[request["fault"] as? String ?? "?", default: 0] += 1 }

        // Retry-After: 1 on each 429: the same route is not called again sooner.
        var shortestGap = Int.max
        for request in requests where request["status"] as? Int == 429 {
            guard let answered = request["answered_at_ms"] as? Int else { continue }
            let later = requests.filter {
                SendEndToEndTests.route($0) == SendEndToEndTests.route(request)
                    && ($0["received_at_ms"] as? Int ?? 0) >= answered && $0["seq"] as? Int != request["seq"] as? Int
            }
            guard let next = later.compactMap({ $0["received_at_ms"] as? Int }).min() else { continue }
            shortestGap = min(shortestGap, next - answered)
        }
        #expect(byFault["429", default: 0] > 0, "no 429 was injected")
        #expect(shortestGap >= 990, "a route was called \(shortestGap) ms after a 429 with Retry-After: 1")

        // The outage happened, and the sender waited it out with backoff instead of hammering.
        let down = requests.filter { $0["fault"] as? String == "outage" }
        let times = down.compactMap { $0["received_at_ms"] as? Int }
        let first = try #require(times.min(), "the outage never began")
        let last = try #require(times.max())
        #expect(last - first <= outageSeconds * 1_000)
        let downSeconds = Double(outageSeconds)
        // Three lanes backing off from 0.5 s: a handful of calls each. A hot loop would be thousands.
        #expect(Double(down.count) <= downSeconds * 2, "\(down.count) calls in a \(outageSeconds) s outage")
        print(
            "fault harness: \(requests.count) API calls, injected "
                + byFault.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                + "; \(outageSeconds) s outage met by \(down.count) calls; shortest gap after a 429 "
                + "\(shortestGap) ms; \(stored.count) events delivered, each once")
    }
}
