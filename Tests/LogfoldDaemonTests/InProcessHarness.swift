import Foundation
import LogfoldDaemon
import LogfoldEngine
import LogfoldJournal
import LogfoldKlaviyo
import LogfoldSandbox
import LogfoldStore
import LogfoldTestSupport
import LogfoldTransport
import Logging
import Synchronization
import Testing

/// The real transport with every exchange noted, so a test waits for "the sandbox has answered N events"
/// as a signal instead of polling or sleeping.
final class ObservedTransport: HTTPTransport {
    /// One answered request.
    struct Exchange: Sendable {
        var method: String
        var path: String
        var status: Int?
    }

    private struct State {
        var exchanges: [Exchange] = []
        var waiters: [(condition: @Sendable ([Exchange]) -> Bool, continuation: CheckedContinuation<Void, Never>)] =
            []
    }

    private let inner = AsyncHTTPClientTransport()
    private let state = Mutex(State())

    /// Every exchange so far, in the order they were answered.
    var exchanges: [Exchange] { state.withLock { $0.exchanges } }

    func execute(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        let path = URLComponents(string: request.url)?.path ?? request.url
        do {
            let response = try await inner.execute(request, timeout: timeout)
            note(Exchange(method: request.method, path: path, status: response.status))
            return response
        } catch {
            note(Exchange(method: request.method, path: path, status: nil))
            throw error
        }
    }

    func shutdown() async { await inner.shutdown() }

    /// Returns once the exchanges so far satisfy `condition`.
    func wait(until condition: @escaping @Sendable ([Exchange]) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                if condition(state.exchanges) { return true }
                state.waiters.append((condition, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func note(_ exchange: Exchange) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.exchanges.append(exchange)
            let exchanges = state.exchanges
            let (done, waiting) = (
                state.waiters.filter { $0.condition(exchanges) }, state.waiters.filter { !$0.condition(exchanges) }
            )
            state.waiters = waiting
            return done.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }
}

/// The sender's running tally, for a test to wait on ("four rows delivered") as a signal.
final class SendWatch: Sendable {
    private struct State {
        var latest = SendReport()
        var waiters: [(delivered: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// The sender's progress callback.
    func update(_ report: SendReport) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.latest = report
            let done = state.waiters.filter { $0.delivered <= report.delivered }
            state.waiters.removeAll { $0.delivered <= report.delivered }
            return done.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once the sender has delivered `count` rows in this run.
    func wait(delivered count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                if state.latest.delivered >= count { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}

/// The local Klaviyo, in this process on a free loopback port, on `clock`.
struct LocalKlaviyo: Sendable {
    let base: String
    let server: SandboxServer
    static let key = "pk_test_sandbox"

    /// Runs `body` with a sandbox keeping its state in `directory`.
    static func with(
        clock: ManualClock, directory: TemporaryDirectory, _ configure: (inout SandboxConfiguration) -> Void = { _ in },
        _ body: (LocalKlaviyo) async throws -> Void
    ) async throws {
        var configuration = SandboxConfiguration(statePath: directory.file("sandbox.sqlite"))
        configuration.port = 0
        configuration.faultsSeed = 1
        configuration.clock = SandboxClock({ clock.milliseconds }, sleep: { try? await clock.sleep($0) })
        configure(&configuration)
        let server = try SandboxServer(configuration: configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await server.run { port in continuation.yield(port) }
            }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next(), "the sandbox stopped before listening")
            do {
                try await body(LocalKlaviyo(base: "http://127.0.0.1:\(port)", server: server))
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
            try await group.waitForAll()
        }
    }

    /// Replaces the sandbox's faults (`""` for none), as `POST /sandbox/faults` does.
    func setFaults(_ spec: String) async throws {
        let transport = AsyncHTTPClientTransport()
        let answer = try await transport.execute(
            TransportRequest(method: "POST", url: base + "/sandbox/faults", body: Array(spec.utf8)),
            timeout: .seconds(30))
        await transport.shutdown()
        #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
    }

    /// The JSON Lines of an inspection endpoint, as objects.
    func lines(_ path: String) async throws -> [[String: Any]] {
        let transport = AsyncHTTPClientTransport()
        let answer = try await transport.execute(
            TransportRequest(method: "GET", url: base + path), timeout: .seconds(30))
        await transport.shutdown()
        return try String(decoding: answer.body, as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }
}

/// `logfold run` inside the test process: its journal and store in `directory`, sending to `klaviyo`
/// through an observed transport, on a manual clock, stopped by a ``DaemonStopper`` rather than a signal.
struct InProcessDaemon {
    let directory: TemporaryDirectory
    let clock: ManualClock
    let klaviyo: LocalKlaviyo
    var followPath: String { directory.file("platform.jsonl") }

    /// A running daemon: its address, the stopper and the task that returns its report.
    struct Running {
        let address: String
        let stopper: DaemonStopper
        let task: Task<DaemonReport, Never>
        /// Every call this run made to the local Klaviyo.
        let transport: ObservedTransport
        /// What the sender has delivered in this run.
        let sent: SendWatch

        /// Stops it as SIGTERM would and returns its report.
        func stop() async -> DaemonReport {
            await stopper.stop()
            return await task.value
        }
    }

    /// Starts the daemon (follow + HTTP on a free port) and returns once it listens.
    func start(faultyRetries: RetryPolicy = RetryPolicy()) async throws -> Running {
        if !FileManager.default.fileExists(atPath: followPath) {
            _ = FileManager.default.createFile(atPath: followPath, contents: nil)
        }
        let data = DataDirectory(directory.file("data"))
        let journal = try data.openJournal()
        let store = try data.openStore()
        let now: @Sendable () -> Int64 = { [clock] in clock.milliseconds / 1_000 }
        let newRows = AsyncDoorbell()
        let transport = ObservedTransport()
        let client = try KlaviyoClient(
            configuration: KlaviyoClientConfiguration(
                baseURL: klaviyo.base, apiKey: LocalKlaviyo.key, rateLimits: .lifted),
            logger: Logger(label: "test.klaviyo"),
            clock: PacingClock(elapsed: { [clock] in clock.elapsed }, sleep: { [clock] in try await clock.sleep($0) }),
            transport: transport)
        var options = SendOptions(retry: faultyRetries)
        options.newRows = newRows
        options.now = now
        let senderStop = StopSignal(handlingSignals: false)
        let sent = SendWatch()
        let sender = Sender(
            store: store, client: client, options: options, logger: Logger(label: "test.send"), stop: senderStop,
            progress: { sent.update($0) })
        var configuration = DaemonConfiguration(
            followPath: followPath, http: HTTPIngestConfiguration(port: 0), followPollInterval: .milliseconds(20),
            logger: Logger(label: "test.run"), now: now)
        configuration.newRows = newRows
        configuration.clock = clock
        configuration.weekTicks = false
        let daemon = Daemon(
            journal: journal, store: store, configuration: configuration, ingestOptions: IngestOptions(),
            rejects: RejectsWriter(path: data.defaultRejectsPath), sender: sender, senderStop: senderStop)
        let stopper = DaemonStopper()
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        let task = Task {
            let report = await daemon.run(handlingSignals: false, stopper: stopper) { continuation.yield($0) }
            continuation.finish()
            await client.shutdown()
            await transport.shutdown()
            return report
        }
        var iterator = lines.makeAsyncIterator()
        guard let line = await iterator.next(), line.hasPrefix("listening on ") else {
            let report = await task.value
            throw DaemonDidNotStart(failures: report.failures)
        }
        return Running(
            address: String(line.dropFirst("listening on ".count)), stopper: stopper, task: task, transport: transport,
            sent: sent)
    }

    /// Posts JSON Lines to the daemon's ingest endpoint and returns the status.
    func post(_ body: String, to running: Running) async throws -> Int {
        let http = AsyncHTTPClientTransport()
        let answer = try await http.execute(
            TransportRequest(
                method: "POST", url: running.address + "/v1/entries",
                headers: [TransportHeader(name: "Content-Type", value: "application/x-ndjson")], body: Array(body.utf8)),
            timeout: .seconds(30))
        await http.shutdown()
        return answer.status
    }

    /// Appends `line` (and a newline) to the followed file.
    func append(_ line: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: followPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
        try handle.close()
    }

    /// The outbox by status.
    func outboxCounts() throws -> [String: Int] {
        try DataDirectory(directory.file("data")).openExistingStore().outboxCounts()
    }
}

struct DaemonDidNotStart: Error, CustomStringConvertible {
    let failures: [String]
    var description: String { "the daemon did not start: " + failures.joined(separator: "; ") }
}

/// Lines of a sample platform log under Journal/samples.
func sampleLines(_ name: String) throws -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let text = try String(contentsOf: root.appendingPathComponent("Journal/samples/\(name).jsonl"), encoding: .utf8)
    return text.split(separator: "\n").map(String.init)
}
