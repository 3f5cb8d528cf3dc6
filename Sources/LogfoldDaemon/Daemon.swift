import Foundation
internal import Hummingbird
import LogfoldActiveCampaign
import LogfoldDomain
package import LogfoldEngine
package import LogfoldJournal
package import LogfoldStore
import Logging
internal import NIOCore
internal import ServiceLifecycle
import Synchronization

/// `logfold run`: ingests (a followed file, a database table, an HTTP endpoint), projects and sends, until
/// SIGTERM or SIGINT.
///
/// Each part runs where it belongs: the follow reader and the projector on threads of their own (they
/// block on files, LMDB and SQLite), the HTTP server and the sender on Swift concurrency. A stop drains
/// in order: the sources stop taking input and commit what they hold (an HTTP request in flight is
/// answered), then the projector folds what they committed, and the sender finishes or cancels its
/// requests in flight (their rows stay pending). A part that fails stops the others the same way, and the
/// report names the failure.
package final class Daemon: Sendable {
    private let journal: Journal
    private let store: StateStore
    /// What it runs: sources, intervals, mapping.
    package let configuration: DaemonConfiguration
    private let ingestOptions: IngestOptions
    private let rejects: RejectsWriter
    private let sender: Sender?
    private let stop: StopSignal
    private let failures = Mutex<[String]>([])

    /// A daemon over an open journal and store; `sender` is `nil` to ingest and project only.
    package init(
        journal: Journal, store: StateStore, configuration: DaemonConfiguration, ingestOptions: IngestOptions,
        rejects: RejectsWriter, sender: Sender?, stop: StopSignal
    ) {
        self.journal = journal
        self.store = store
        self.configuration = configuration
        self.ingestOptions = ingestOptions
        self.rejects = rejects
        self.sender = sender
        self.stop = stop
    }

    /// Runs until a stop is requested (or a part fails) and everything has drained.
    ///
    /// `onReady` receives one line once the HTTP endpoint listens (its address), or at once without one;
    /// the file and table sources open on their own threads meanwhile, and a failure there stops the daemon.
    package func run(onReady: @escaping @Sendable (String) -> Void) async -> DaemonReport {
        let projection = ProjectionLoop(journal: journal, store: store, configuration: configuration, stop: stop)
        let projected = Task.detached {
            let (summary, failure) = await onThread("logfold-projector") { projection.run() }
            // Reported at once: a daemon whose projector died must not go on acknowledging entries.
            if let failure { self.fail("projector", failure.description) }
            return summary
        }
        // Each commit that journals entries wakes the projector (it waits on the doorbell when caught up).
        let appended: @Sendable () -> Void = { [projection] in projection.doorbell.ring() }
        let followIngestor = Ingestor(journal: journal, options: ingestOptions, rejects: rejects, appended: appended)
        let tableIngestor = Ingestor(journal: journal, options: ingestOptions, rejects: rejects, appended: appended)
        let httpIngestor = Ingestor(journal: journal, options: ingestOptions, rejects: rejects, appended: appended)
        async let followed: Void = follow(with: followIngestor)
        async let polled: Void = poll(with: tableIngestor)
        async let sent = send()
        async let activeCampaignSent = sendToActiveCampaign()
        let answered = await serve(with: httpIngestor, onReady: onReady)
        await followed
        await polled
        projection.noteIngestEnded()
        let summary = await projected.value
        // The sender stops on the stop signal; a projector that failed has requested it.
        stop.request()
        var report = DaemonReport()
        report.sent = await sent
        report.activeCampaign = await activeCampaignSent
        report.follow = followIngestor.summary
        report.table = tableIngestor.summary
        report.http = httpIngestor.summary
        report.httpRequests = answered
        report.projected = summary
        report.failures = failures.withLock { $0 }
        return report
    }

    /// Records why a part stopped and stops the others.
    private func fail(_ part: String, _ reason: String) {
        configuration.logger.error(
            "a part of the daemon stopped", metadata: ["part": "\(part)", "reason": "\(LogRedaction.redact(reason))"])
        failures.withLock { $0.append("\(part): \(reason)") }
        stop.request()
    }

    private func follow(with ingestor: Ingestor) async {
        guard let path = configuration.followPath else { return }
        let limit = ingestOptions.parser.maximumLineLength
        await ingest("follow \(path)", thread: "logfold-follow", with: ingestor) {
            [journal, configuration] interval, stop throws(EngineError) in
            let reader = try LineReader.following(
                path, journal: journal, pollInterval: interval, maximumLineLength: limit, shouldStop: stop)
            configuration.logger.info(
                "followed file position", metadata: ["file": "\(path)", "resume": "\(reader.resumeNote ?? "")"])
            return reader
        }
    }

    private func poll(with ingestor: Ingestor) async {
        guard let table = configuration.table else { return }
        await ingest("table \(table.table) of \(table.path)", thread: "logfold-table-poll", with: ingestor) {
            [journal, configuration] interval, stop in
            TableLineSource.resuming(
                table, directory: configuration.positions, journal: journal, fromStart: configuration.tableFromStart,
                follow: true,
                pollInterval: interval, shouldStop: stop)
        }
    }

    /// Runs `ingestor` over the source `open` makes, on a thread of its own, until a stop; a failure
    /// (opening or reading the source, the journal) stops the daemon, naming `part`.
    private func ingest(
        _ part: String, thread: String, with ingestor: Ingestor,
        _ open: @escaping @Sendable (Duration, @escaping @Sendable () -> Bool) throws(EngineError) -> any LineSource
    ) async {
        let interval = configuration.followPollInterval
        let error: EngineError? = await onThread(thread) { [stop] in
            do throws(EngineError) {
                try ingestor.run(try open(interval, { stop.isRequested }))
                return nil
            } catch {
                return error
            }
        }
        if let error { fail(part, error.description) }
    }

    /// Drains ActiveCampaign's outbox beside Klaviyo's until the stop, finishing the row in flight.
    private func sendToActiveCampaign() async -> String? {
        guard let account = configuration.activeCampaign else { return nil }
        // Configured but not (yet) a destination: it starts once `logfold destination add` enables it.
        var announced = false
        while !stop.isRequested {
            do {
                if try Projector.enabledActiveCampaign(in: store, mapping: configuration.mapping) != nil { break }
            } catch {
                fail("activecampaign sender", error.description)
                return nil
            }
            if !announced {
                configuration.logger.notice(
                    "ACTIVECAMPAIGN_URL is set but activecampaign is not a destination: sending starts once `logfold destination add activecampaign` enables it"
                )
                announced = true
            }
            // A poll: enabling is rare and a second late is harmless (issue 15 makes it a signal).
            try? await Task.sleep(for: .seconds(1))
        }
        if stop.isRequested { return nil }
        let client = ActiveCampaignClient(
            configuration: account,
            pacer: ActiveCampaignPacer(
                requestsPerSecond: configuration.activeCampaignUnpaced ? nil : 5, clock: ContinuousClock()))
        var options = configuration.activeCampaignOptions
        options.once = false
        options.shouldStop = { [stop] in stop.isRequested }
        let sender = ActiveCampaignSender(
            store: store, client: client, options: options, logger: configuration.logger, now: configuration.now,
            clock: ContinuousClock())
        defer { Task { await client.shutdown() } }
        do {
            return try await sender.run().description
        } catch {
            fail("activecampaign sender", "\(error)")
            return nil
        }
    }

    private func send() async -> SendReport? {
        guard let sender else { return nil }
        do {
            return try await sender.run()
        } catch {
            fail("sender", error.description)
            return error.report
        }
    }

    /// Serves the HTTP endpoint (with `/metrics` and `/v1/status`) until a stop; without one, the metrics
    /// alone on `--metrics-port`, or nothing, just waiting for the stop.
    ///
    /// Returns the number of POST requests answered.
    private func serve(with ingestor: Ingestor, onReady: @escaping @Sendable (String) -> Void) async -> Int {
        let router: Router<BasicRequestContext>
        let host: String
        let port: Int
        let maximumConnections: Int
        var endpoint: IngestEndpoint?
        if let http = configuration.http {
            let ingest = IngestEndpoint(
                ingestor: ingestor, journal: journal, store: store, configuration: http,
                logger: configuration.logger, stop: stop)
            router = ingest.router()
            (host, port, maximumConnections) = (http.host, http.port, http.maximumConnections)
            endpoint = ingest
        } else if let metricsPort = configuration.metricsPort, configuration.metrics != nil {
            router = Router()
            (host, port, maximumConnections) = (configuration.metricsHost, metricsPort, 16)
        } else {
            let work = sender == nil ? "projecting" : "projecting and sending"
            onReady("running: " + (configuration.followPath.map { "following \($0), \(work)" } ?? work))
            await waitForStop()
            return 0
        }
        if let metrics = configuration.metrics { ObservabilityRoutes.add(to: router, metrics: metrics) }
        let portFlag = configuration.http == nil ? "--metrics-port" : "--http-port"
        let application = Application(
            router: router,
            // A client that stalls mid-request must not hold a stop for ever.
            server: .http1(configuration: .init(idleTimeout: .seconds(Self.idleSeconds))),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: nil,
                availableConnectionsDelegate: .maximum(maximumConnections, logger: configuration.logger)),
            onServerRunning: { channel in
                onReady("listening on http://\(host):\(channel.localAddress?.port ?? port)")
            },
            logger: configuration.logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application], gracefulShutdownSignals: [], logger: configuration.logger
            )
            .withShutdownBound(Self.shutdownBound))
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do {
                    try await group.run()
                } catch {
                    let errno = (error as? IOError)?.errnoCode
                    let remedy =
                        errno == EADDRINUSE || errno == EACCES
                        ? "choose another \(portFlag) or stop what holds it"
                        : "check --http-host and \(portFlag)"
                    self.fail("HTTP endpoint \(host):\(port)", "\(error); \(remedy)")
                }
                self.stop.request()  // a server that ended on its own ends the daemon
            }
            tasks.addTask {
                await self.waitForStop()
                await group.triggerGracefulShutdown()
            }
            await tasks.waitForAll()
        }
        return endpoint?.answered ?? 0
    }

    /// Seconds an HTTP connection may stay silent before it is closed.
    static let idleSeconds: Int64 = 30
    /// How long a stop waits for HTTP requests in flight before it cancels them (their entries, if
    /// committed, stay journaled; the client re-posts and gets duplicates).
    static let shutdownBound = Duration.seconds(10)

    private func waitForStop() async {
        while !stop.isRequested {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// Runs blocking `body` on a new thread and returns its result to the awaiting task.
func onThread<Result: Sendable>(_ name: String, _ body: @escaping @Sendable () -> Result) async -> Result {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.name = name
        thread.start()
    }
}

extension ServiceGroupConfiguration {
    /// The configuration with its graceful shutdown bounded by `bound`.
    fileprivate func withShutdownBound(_ bound: Duration) -> Self {
        var configuration = self
        configuration.maximumGracefulShutdownDuration = bound
        return configuration
    }
}
