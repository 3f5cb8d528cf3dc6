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
internal import UnixSignals

/// `logfold run`: ingests (a followed file, a database table, an HTTP endpoint), projects and sends, until
/// SIGTERM or SIGINT.
///
/// One `ServiceGroup` (swift-service-lifecycle) runs the parts as services, and the signals reach them
/// through it. They start in the order senders, projector, sources, HTTP, and a stop drains them in the
/// reverse: the HTTP endpoint answers the requests in flight, the sources stop taking input and commit
/// what they hold, the projector folds what they committed, and the senders finish or cancel their
/// requests in flight (their rows stay pending). A part that fails stops the others the same way, and
/// the report names the failure. Blocking parts (sources, projector) run on threads of their own.
package final class Daemon: Sendable {
    private let journal: Journal
    private let store: StateStore
    /// What it runs: sources, intervals, mapping.
    package let configuration: DaemonConfiguration
    private let ingestOptions: IngestOptions
    private let rejects: RejectsWriter
    private let sender: Sender?
    /// How the group's stop reaches the Klaviyo sender (the one it was made with).
    private let senderStop: StopSignal?
    /// Set when a stop begins: the health check then says `stopping`.
    private let stopping = StopSignal(handlingSignals: false)
    private let report = Mutex(DaemonReport())

    /// A daemon over an open journal and store; `sender` is `nil` to ingest and project only, and
    /// `senderStop` is the stop it was made with.
    package init(
        journal: Journal, store: StateStore, configuration: DaemonConfiguration, ingestOptions: IngestOptions,
        rejects: RejectsWriter, sender: Sender?, senderStop: StopSignal?
    ) {
        self.journal = journal
        self.store = store
        self.configuration = configuration
        self.ingestOptions = ingestOptions
        self.rejects = rejects
        self.sender = sender
        self.senderStop = senderStop
    }

    /// Runs until SIGTERM or SIGINT (or `stopper`, or a part's failure) and everything has drained.
    ///
    /// `onReady` receives one line once the HTTP endpoint listens (its address), or at once without one;
    /// the file and table sources open on their own threads meanwhile, and a failure there stops the daemon.
    /// `handlingSignals` false leaves the process's signals alone (a daemon inside a test process), and
    /// `stopper` stops it from inside the process the way SIGTERM does from outside.
    package func run(
        handlingSignals: Bool = true, stopper: DaemonStopper? = nil, onReady: @escaping @Sendable (String) -> Void
    ) async -> DaemonReport {
        let projection = ProjectionLoop(journal: journal, store: store, configuration: configuration)
        // Each commit that journals entries wakes the projector (it waits on the doorbell when caught up).
        let appended: @Sendable () -> Void = { [projection] in projection.doorbell.ring() }
        let ingestors = (
            follow: Ingestor(journal: journal, options: ingestOptions, rejects: rejects, appended: appended),
            table: Ingestor(journal: journal, options: ingestOptions, rejects: rejects, appended: appended),
            http: Ingestor(journal: journal, options: ingestOptions, rejects: rejects, appended: appended)
        )
        let failed: @Sendable (String, String) -> Void = { [self] part, reason in fail(part, reason) }
        var services: [any Service] = []
        if let sender, let senderStop {
            services.append(
                AsyncPartService(
                    part: "sender",
                    work: { [self] in
                        do throws(SenderFailure) {
                            let sent = try await sender.run()
                            report.withLock { $0.sent = sent }
                        } catch {
                            report.withLock { $0.sent = error.report }
                            throw error
                        }
                    }, stop: { senderStop.request() }, failed: failed))
        }
        if let activeCampaign = activeCampaignService(failed) { services.append(activeCampaign) }
        services.append(
            BlockingPartService(
                part: "projector", thread: "logfold-projector",
                work: { [self] in
                    let (summary, failure) = projection.run()
                    report.withLock { $0.projected = summary }
                    return failure
                }, stop: { projection.noteIngestEnded() }, failed: failed))
        if let path = configuration.followPath {
            services.append(
                source("follow \(path)", thread: "logfold-follow", ingestors.follow, failed) {
                    [journal, configuration] interval, stop throws(EngineError) in
                    let reader = try LineReader.following(
                        path, journal: journal, pollInterval: interval,
                        maximumLineLength: self.ingestOptions.parser.maximumLineLength, shouldStop: stop)
                    configuration.logger.info(
                        "followed file position", metadata: ["file": "\(path)", "resume": "\(reader.resumeNote ?? "")"])
                    return reader
                })
        }
        if let table = configuration.table {
            services.append(
                source("table \(table.table) of \(table.path)", thread: "logfold-table-poll", ingestors.table, failed) {
                    [journal, configuration] interval, stop in
                    TableLineSource.resuming(
                        table, directory: configuration.positions, journal: journal,
                        fromStart: configuration.tableFromStart, follow: true, pollInterval: interval, shouldStop: stop)
                })
        }
        let endpoint = httpService(ingestors.http, onReady: onReady, failed)
        services.append(endpoint.service)
        services.append(StoppingMarker(stopping: stopping))

        var group = ServiceGroupConfiguration(
            services: services.map {
                .init(
                    service: $0, successTerminationBehavior: .ignore,
                    failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: handlingSignals ? [.sigterm, .sigint] : [], cancellationSignals: [],
            logger: configuration.logger)
        group.maximumGracefulShutdownDuration = Self.shutdownBound
        let serviceGroup = ServiceGroup(configuration: group)
        await withTaskGroup(of: Void.self) { tasks in
            // A failure is recorded by the part that failed; the group's error is that same failure.
            tasks.addTask { try? await serviceGroup.run() }
            if let stopper { tasks.addTask { await stopper.attach(serviceGroup) } }
        }

        return report.withLock { report in
            report.follow = ingestors.follow.summary
            report.table = ingestors.table.summary
            report.http = ingestors.http.summary
            report.httpRequests = endpoint.answered()
            return report
        }
    }

    /// Records why a part stopped (the group then stops the others).
    private func fail(_ part: String, _ reason: String) {
        configuration.logger.error(
            "a part of the daemon stopped", metadata: ["part": "\(part)", "reason": "\(LogRedaction.redact(reason))"])
        report.withLock { $0.failures.append("\(part): \(reason)") }
    }

    /// A source: `ingestor` over the source `open` makes, on a thread of its own, until the stop.
    private func source(
        _ part: String, thread: String, _ ingestor: Ingestor, _ failed: @escaping @Sendable (String, String) -> Void,
        _ open: @escaping @Sendable (Duration, @escaping @Sendable () -> Bool) throws(EngineError) -> any LineSource
    ) -> BlockingPartService {
        let stop = StopSignal(handlingSignals: false)
        let interval = configuration.followPollInterval
        return BlockingPartService(
            part: part, thread: thread,
            work: {
                do throws(EngineError) {
                    try ingestor.run(try open(interval, { stop.isRequested }))
                    return nil
                } catch {
                    return error
                }
            }, stop: { stop.request() }, failed: failed)
    }

    /// ActiveCampaign's sender beside Klaviyo's, when its account is configured: it starts sending once
    /// the destination is enabled (now, or by `logfold destination add` while the daemon runs).
    private func activeCampaignService(_ failed: @escaping @Sendable (String, String) -> Void) -> AsyncPartService? {
        guard let account = configuration.activeCampaign else { return nil }
        let stop = StopSignal(handlingSignals: false)
        return AsyncPartService(
            part: "activecampaign sender",
            work: { [self] in
                let clock = configuration.clock
                try await sendToActiveCampaign(account, clock: clock, stop: stop)
            },
            stop: { stop.request() }, failed: failed)
    }

    /// ActiveCampaign's sender on `clock`: once the destination is enabled, until `stop`.
    private func sendToActiveCampaign<C: Clock>(
        _ account: ActiveCampaignConfiguration, clock: C, stop: StopSignal
    ) async throws where C.Duration == Duration {
        var announced = false
        while !stop.isRequested {
            if try Projector.enabledActiveCampaign(in: store, mapping: configuration.mapping) != nil { break }
            if !announced {
                configuration.logger.notice(
                    "ACTIVECAMPAIGN_URL is set but activecampaign is not a destination: sending starts once `logfold destination add activecampaign` enables it"
                )
                announced = true
            }
            // A poll: `destination add` runs in another process, which cannot signal this one, and a
            // second late is harmless.
            try? await clock.sleep(for: .seconds(1))
        }
        if stop.isRequested { return }
        let client = ActiveCampaignClient(
            configuration: account,
            pacer: ActiveCampaignPacer(
                requestsPerSecond: configuration.activeCampaignUnpaced ? nil : 5, clock: clock),
            transport: configuration.activeCampaignTransport)
        var options = configuration.activeCampaignOptions
        options.once = false
        options.newRows = configuration.newRows
        options.shouldStop = { stop.isRequested }
        let sender = ActiveCampaignSender(
            store: store, client: client, options: options, logger: configuration.logger,
            now: configuration.now, clock: clock)
        do {
            let sent = try await sender.run()
            report.withLock { $0.activeCampaign = sent.description }
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// The HTTP endpoint (with `/metrics` and `/v1/status`), the metrics alone on `--metrics-port`, or,
    /// with neither, a line saying the daemon runs; and how many POSTs it answered.
    private func httpService(
        _ ingestor: Ingestor, onReady: @escaping @Sendable (String) -> Void,
        _ failed: @escaping @Sendable (String, String) -> Void
    ) -> (service: any Service, answered: @Sendable () -> Int) {
        let router: Router<BasicRequestContext>
        let host: String
        let port: Int
        let maximumConnections: Int
        var endpoint: IngestEndpoint?
        if let http = configuration.http {
            let ingest = IngestEndpoint(
                ingestor: ingestor, journal: journal, store: store, configuration: http,
                logger: configuration.logger, stop: stopping)
            router = ingest.router()
            (host, port, maximumConnections) = (http.host, http.port, http.maximumConnections)
            endpoint = ingest
        } else if let metricsPort = configuration.metricsPort, configuration.metrics != nil {
            router = Router()
            (host, port, maximumConnections) = (configuration.metricsHost, metricsPort, 16)
        } else {
            let work = sender == nil ? "projecting" : "projecting and sending"
            let line = "running: " + (configuration.followPath.map { "following \($0), \(work)" } ?? work)
            return (ReadyLine(line: line, onReady: onReady), { 0 })
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
        let service = AsyncPartService(
            part: "HTTP endpoint \(host):\(port)",
            work: {
                do {
                    try await application.run()
                } catch {
                    let errno = (error as? IOError)?.errnoCode
                    let remedy =
                        errno == EADDRINUSE || errno == EACCES
                        ? "choose another \(portFlag) or stop what holds it" : "check --http-host and \(portFlag)"
                    throw EngineError(.configuration, "\(error)", remedy: remedy, cause: error)
                }
            }, stop: {}, failed: failed)
        let ingest = endpoint
        return (service, { ingest?.answered ?? 0 })
    }

    /// Seconds an HTTP connection may stay silent before it is closed.
    static let idleSeconds: Int64 = 30
    /// How long a stop may take before the parts still draining are cancelled (an HTTP request in flight
    /// then gets no answer: its entries, if committed, stay journaled and a re-post finds duplicates; a
    /// sender's rows in flight stay pending).
    static let shutdownBound = Duration.seconds(30)
}

/// Runs blocking `body` on a new thread and returns its result to the awaiting task.
func onThread<Result: Sendable>(_ name: String, _ body: @escaping @Sendable () -> Result) async -> Result {
    await withCheckedContinuation { continuation in
        startNamedThread(name) { continuation.resume(returning: body()) }
    }
}
