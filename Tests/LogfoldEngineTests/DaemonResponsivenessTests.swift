import Foundation
import GRDB
import LogfoldTestSupport
import Testing

/// `logfold run` stays responsive while the store's write lock is held: the sender's markings wait off
/// Swift's cooperative pool, so the HTTP endpoint (and the stop signal) never wait with them.
@Suite(.serialized, .offThePool) struct DaemonResponsivenessTests {
    @Test("while the sender's markings wait for the store's write lock, the HTTP endpoint answers at once")
    func endpointAnswersWhileMarkingsWait() throws {
        let directory = try TemporaryDirectory()
        _ = try RunDaemonTests.generated(in: directory, customers: 15, days: 20)
        let data = try SendEndToEndTests.project(directory.file("platform.jsonl"), in: directory)
        let events = try SendEndToEndTests.outbox(data).filter { $0["kind"] as? String == "event" }.count
        try #require(events > 100)

        // Every request takes 80 ms, so several are in flight at any moment.
        let sandbox = try SandboxProcess(
            data: directory.file("sandbox"), ["--no-rate-limits", "--faults", "delay:80ms"])
        defer { sandbox.stop() }
        let daemon = try RunDaemonTests.Daemon(
            data: data,
            // More requests in flight than the cooperative pool has threads (one per core), so that
            // markings blocking on pool threads would take all of them.
            [
                "--klaviyo-url", sandbox.url, "--no-rate-limits", "--bulk-min", "1000000", "--concurrency",
                "\(ProcessInfo.processInfo.activeProcessorCount + 2)",
            ],
            environment: SendEndToEndTests.key)
        #expect(try eventually { try sandbox.stats()["accepted", default: 0] >= 10 })

        // Another connection takes the write lock, as the projector does for each batch it commits. The
        // requests in flight come back and their markings wait for the lock (busy timeout: 10 s).
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the transaction spans two accesses on purpose
        // The daemon commits all the time: wait for the lock rather than fail on the first collision.
        configuration.busyMode = .timeout(10)
        let holder = try DatabaseQueue(path: data + "/state.sqlite", configuration: configuration)
        try holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        Thread.sleep(forTimeInterval: 0.5)
        let acceptedWhileLocked = try sandbox.stats()["accepted", default: 0]
        Thread.sleep(forTimeInterval: 0.5)
        // The premise: the event lane is stalled on its markings (an event request goes out only after an
        // earlier one settles). Other requests may go on: polling an import job, say, writes nothing.
        #expect(try sandbox.stats()["accepted", default: 0] == acceptedWhileLocked)

        // The health check answers while the lock is still held: its reads never take the write lock, and
        // wait for nothing the markings hold. (Its latency under the lock is measured, not asserted:
        // Benchmarks/daemon-latency.sh.) Blocked behind the lock, it would time out, since the lock is
        // released only below.
        for _ in 0..<5 {
            let (status, body) = try httpRequest("GET", daemon.url + "/v1/health", timeout: 5)
            #expect(status == 200, "\(body)")
        }
        try holder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }

        // Released, everything is delivered, each event once, and nothing died. Watched through the
        // sandbox (an HTTP call) rather than `logfold outbox`, whose process per poll kept a core busy
        // beside the daemon. On CI the drain once outlasted a 60 s bound (the cause unseen: nothing died
        // and the daemon exited 0); a request lost and retried after the client's 60 s timeout would do
        // that, so the bound is three such timeouts, and a failure now prints what was left and why.
        let delivered = try eventually(timeout: .seconds(180)) {
            try sandbox.lines("/sandbox/events").count >= events
        }
        let drained = try eventually(timeout: .seconds(60)) {
            try SendEndToEndTests.nothingPending(data)
        }
        // What was left, and why: the first rows' attempts and last errors, the sandbox's counts, the log.
        let left = try LogfoldProcess.run(["outbox", "--data", data, "--status", "pending", "--limit", "5"]).stdout
        let stats = try sandbox.stats()
        let result = daemon.stop()
        #expect(delivered && drained, "pending: \(left); sandbox: \(stats); daemon: \(result.stderr)")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try SendEndToEndTests.outbox(data, status: "dead").isEmpty)
        #expect(try sandbox.lines("/sandbox/events").count == events)
    }
}
