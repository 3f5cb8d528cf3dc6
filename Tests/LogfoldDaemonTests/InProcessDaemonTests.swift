import Foundation
import LogfoldDaemon
import LogfoldEngine
import LogfoldSandbox
import LogfoldTestSupport
import Testing

/// `logfold run` in the test process, on a manual clock that nothing advances unless the test says so:
/// whatever reaches the local Klaviyo got there by signals (journal commit → projector → outbox commit →
/// sender), not by a timer running out.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct InProcessDaemonTests {
    @Test("a post and a followed-file append each reach the local Klaviyo exactly once; a restart sends nothing again")
    func postAndFollowExactlyOnce() async throws {
        let directory = try TemporaryDirectory(prefix: "logfold-inprocess")
        let clock = ManualClock()
        let lines = try sampleLines("activities")
        try await LocalKlaviyo.with(clock: clock, directory: directory) { klaviyo in
            let daemon = InProcessDaemon(directory: directory, clock: clock, klaviyo: klaviyo)
            let running = try await daemon.start()
            try daemon.append(lines[0])
            #expect(try await daemon.post(lines[1], to: running) == 200)
            // Two entries of one customer: a profile, a list subscription and two events.
            await running.sent.wait(delivered: 4)
            let report = await running.stop()
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.follow.ingested == 1 && report.http.ingested == 1)
            #expect(report.projected.entries == 2)
            #expect(report.sent?.events == 2)
            let counts = try daemon.outboxCounts()
            #expect(counts["pending"] == nil, "\(counts)")

            let events = try await klaviyo.lines("/sandbox/events")
            let ids = events.compactMap { $0["unique_id"] as? String }
            #expect(ids.count == 2 && Set(ids).count == 2, "\(events)")
            #expect(clock.elapsed == .zero, "nothing in the path waited for time")

            // The followed file resumes at its committed offset: nothing is read, journaled or sent twice.
            let restarted = try await daemon.start()
            #expect(try await daemon.post(lines[1], to: restarted) == 200)
            let again = await restarted.stop()
            #expect(again.failures.isEmpty, "\(again.failures)")
            #expect(again.follow.ingested == 0 && again.follow.lines == 0)
            #expect(again.http.duplicates == 1 && again.http.ingested == 0)
            #expect(try await klaviyo.lines("/sandbox/events").count == 2)
        }
    }

    @Test(
        "a stop while the sender waits out a 429's Retry-After drains without the clock moving; the rows go after a restart"
    )
    func stopDuringBackoff() async throws {
        let directory = try TemporaryDirectory(prefix: "logfold-inprocess")
        let clock = ManualClock()
        let lines = try sampleLines("activities")
        let faults = try FaultSpec.parse("429:1.0")
        try await LocalKlaviyo.with(clock: clock, directory: directory, { $0.faults = faults }) { klaviyo in
            let daemon = InProcessDaemon(directory: directory, clock: clock, klaviyo: klaviyo)
            let running = try await daemon.start()
            try daemon.append(lines[0])
            // The first answer is a 429: the endpoint is held until the clock passes its Retry-After.
            await running.transport.wait { $0.contains { $0.status == 429 } }
            let report = await running.stop()
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.sent?.delivered == 0)
            let counts = try daemon.outboxCounts()
            #expect(counts["pending"] == 3, "\(counts)")
            #expect(try await klaviyo.lines("/sandbox/events").isEmpty)

            try await klaviyo.setFaults("")
            let restarted = try await daemon.start()
            await restarted.sent.wait(delivered: 3)
            _ = await restarted.stop()
            #expect(try daemon.outboxCounts()["pending"] == nil)
            #expect(try await klaviyo.lines("/sandbox/events").count == 1)
        }
    }
}

extension InProcessDaemonTests {
    @Test("a stop while Klaviyo cannot be reached drains without the clock moving; the rows stay pending")
    func stopWhileUnreachable() async throws {
        let directory = try TemporaryDirectory(prefix: "logfold-inprocess")
        let clock = ManualClock()
        let lines = try sampleLines("activities")
        try await LocalKlaviyo.with(clock: clock, directory: directory) { klaviyo in
            let daemon = InProcessDaemon(directory: directory, clock: clock, klaviyo: klaviyo)
            let running = try await daemon.start()
            // Every call now fails in the transport, as when the network is down.
            await running.transport.shutdown()
            try daemon.append(lines[0])
            await running.transport.wait { $0.contains { $0.status == nil } }
            let report = await running.stop()
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.sent?.delivered == 0)
            let counts = try daemon.outboxCounts()
            #expect(counts["pending"] == 3, "\(counts)")
        }
    }
}
