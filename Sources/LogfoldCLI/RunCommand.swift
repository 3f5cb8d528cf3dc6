import ArgumentParser
import Foundation
import LogfoldDaemon
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldKlaviyo
import LogfoldStore
import Logging

/// `logfold run [--follow FILE] [--http-port N] [--klaviyo-url URL]`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daemon: ingest, project and send continuously; SIGTERM drains and exits 0.",
        discussion: """
            Sources: --follow FILE tails a JSON Lines file (surviving rotation and truncation; a restart \
            resumes at the offset committed with the last batch), --sqlite DB \
            --sqlite-table TABLE polls a platform database table (one JSON entry per row, in key order, \
            read-only), and --http-port N \
            serves POST /v1/entries (a JSON Lines body; the answer comes once the entries are journaled) \
            and GET /v1/health. New entries are projected as soon as they are journaled and sent as the \
            sender finds them. Prints one line once started (`listening on http://HOST:PORT` with HTTP). \
            SIGTERM or SIGINT: the sources stop and commit what they hold, the projector folds it, the \
            sender finishes or cancels its requests in flight, and the summary lines are printed. Pending rows wait \
            for the next start. Sending needs $KLAVIYO_API_KEY or --api-key-file, unless --no-send.
            """
    )

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "A JSON Lines file to follow.") var follow: String?
    @Option(help: "Poll this SQLite database's --sqlite-table for entries (one JSON entry per row).")
    var sqlite: String?
    @OptionGroup var table: TableSourceOptions
    @Option(help: "Serve the HTTP ingest endpoint on this port (0 picks a free one).") var httpPort: Int?
    @Option(help: "The interface the HTTP endpoint listens on.") var httpHost = "127.0.0.1"
    @Option(
        help: ArgumentHelp(
            "Serve GET /metrics and GET /v1/status on this port of 127.0.0.1 (0 picks a free one).",
            discussion: "Without --http-port only: with it, they are served on the HTTP port."))
    var metricsPort: Int?
    @Option(help: "The largest HTTP request body accepted, in bytes (larger ones get 413).")
    var httpMaxBodyBytes = 16 << 20
    @Option(help: "POST requests handled at once; more get 503 with Retry-After.") var httpMaxInFlight = 8
    @Option(help: "Seconds a request's body may take to arrive; slower ones get 408.") var httpBodySeconds = 30
    @Option(help: "Connections open at once (idle ones close after 30 s); more wait to be accepted.")
    var httpMaxConnections = 64
    @Option(help: "Rotate the rejects file to FILE.1 past this many bytes.")
    var rejectsMaxBytes = Int(RejectsWriter.defaultMaximumBytes)
    @Option(
        help: ArgumentHelp(
            "A file holding the token POST /v1/entries must carry (Authorization: Bearer TOKEN).",
            discussion: """
                Also LOGFOLD_HTTP_TOKEN. Without either, the first start makes one in DATA/http-token (mode 0600) \
                and prints it once; --http-insecure-no-token runs the endpoint without any.
                """,
            valueName: "path"))
    var httpTokenFile: String?
    @Flag(help: "Run the HTTP endpoint without a token: any client that reaches the port may post.")
    var httpInsecureNoToken = false
    @Option(help: "Where rejected lines go (JSON Lines). Default: DATA/rejects.jsonl.") var rejects: String?
    @Option(help: "fsync (default): every commit is on disk when it returns; nosync: faster, less safe.")
    var durability: DurabilityChoice = .fsync
    @Option(help: "Reject lines longer than this many bytes.") var maxLineBytes = 1 << 20
    @Option(help: "The longest wait for new data in a followed file (inotify wakes it sooner) or a table (ms).")
    var pollIntervalMs = 200
    @Option(help: "The longest the projector waits, caught up, before looking for entries journaled elsewhere (ms).")
    var projectIntervalMs = 200
    @OptionGroup var fold: FoldOptions
    @Flag(help: "Ingest and project only; leave the outbox for `logfold send`.") var noSend = false
    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error.") var logLevel = "info"
    @OptionGroup var activeCampaign: ActiveCampaignOptions
    @Flag(
        help: """
            Do not journal a logfold.tick when a week starts with nothing journaled (the week's order tag then \
            changes with the next entry; for a backfill of history, or when another writer journals ticks).
            """)
    var noWeekTicks = false
    @OptionGroup var senderOptions: SenderOptions

    func validate() throws {
        guard (sqlite == nil) == (table.sqliteTable == nil) else {
            throw ValidationError("--sqlite DB and --sqlite-table TABLE go together")
        }
        if let httpPort, !(0...65_535).contains(httpPort) { throw ValidationError("--http-port must be 0…65535") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level takes trace, debug, info, notice, warning or error")
        }
        if let metricsPort {
            guard (0...65_535).contains(metricsPort) else { throw ValidationError("--metrics-port must be 0…65535") }
            guard httpPort == nil else {
                throw ValidationError(
                    "--metrics-port is for a daemon without --http-port; with it, GET /metrics is on the HTTP port")
            }
        }
        if httpInsecureNoToken, httpTokenFile != nil {
            throw ValidationError("--http-insecure-no-token and --http-token-file contradict each other: keep one")
        }
        if httpTokenFile != nil, httpPort == nil {
            throw ValidationError("--http-token-file guards the HTTP endpoint: add --http-port N, or drop it")
        }
        try validateLineLimit(maxLineBytes)
        guard pollIntervalMs > 0, projectIntervalMs > 0 else {
            throw ValidationError("--poll-interval-ms and --project-interval-ms must be positive")
        }
    }

    /// The HTTP bearer token: the first line of --http-token-file, else LOGFOLD_HTTP_TOKEN, else none with
    /// --http-insecure-no-token, else DATA/http-token (made on the first start).
    private func bearerToken(_ directory: DataDirectory) throws -> String? {
        if let path = httpTokenFile {
            try FileModes.checkSecretFile(path, holding: "token")
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ValidationError(
                    "cannot read the token file \(path) (--http-token-file): \(error.localizedDescription); "
                        + "check the path and its permissions")
            }
            let token = text.split(whereSeparator: \.isNewline).first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let token, !token.isEmpty else {
                throw ValidationError(
                    "the token file \(path) (--http-token-file) is empty: write a token into it, "
                        + "e.g. `openssl rand -hex 32 > \(path)`")
            }
            return token
        }
        guard let variable = ProcessInfo.processInfo.environment["LOGFOLD_HTTP_TOKEN"] else {
            return httpInsecureNoToken ? nil : try HTTPToken.stored(in: directory)
        }
        let token = variable.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            // Set but empty is a secret that failed to expand, not a wish for an open endpoint.
            throw ValidationError(
                "LOGFOLD_HTTP_TOKEN is set but empty: set a token (e.g. `openssl rand -hex 32`) or unset it")
        }
        return token
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let directory = dataOptions.directory
        let daemon: Daemon
        let client: KlaviyoClient?
        // SIGTERM and SIGINT reach the daemon through its service group; this is how it stops the sender.
        let senderStop = StopSignal(handlingSignals: false)
        let lock: DirectoryLock
        // One sender per destination per data directory: two would send the same rows.
        var senderLock: DirectoryLock?
        var activeCampaignLock: DirectoryLock?
        let journal = try directory.openJournal(configuration: JournalConfiguration(durability: durability.value))
        lock = try DirectoryLock(path: directory.root + "/daemon.lock", holder: "run")
        let store = try directory.openStore()
        var sender: Sender?
        // The projector rings it after each commit with new outbox rows; idle senders wait on it.
        let newRows = AsyncDoorbell()
        if noSend {
            client = nil
        } else {
            senderLock = try DirectoryLock(path: directory.root + DirectoryLock.klaviyoSender, holder: "sender")
            let made = try senderOptions.makeClient()
            client = made.0
            var options = try senderOptions.makeOptions(once: false)
            options.newRows = newRows
            sender = Sender(
                store: store, client: made.0, options: options, logger: Logger(label: "logfold.send"),
                stop: senderStop)
        }
        // Opened now, so a wrong table or column name fails the start instead of the running daemon.
        let tableSource = try sqlite.flatMap { try table.open(database: $0) }
        let token = try httpPort == nil ? nil : bearerToken(directory)
        var configuration = DaemonConfiguration(
            followPath: follow,
            http: httpPort.map {
                var http = HTTPIngestConfiguration(
                    host: httpHost, port: $0, maximumBodyBytes: httpMaxBodyBytes, bearerToken: token)
                http.maximumInFlight = max(1, httpMaxInFlight)
                http.maximumConnections = max(1, httpMaxConnections)
                http.bodyDeadline = .seconds(max(1, httpBodySeconds))
                return http
            },
            table: tableSource,
            followPollInterval: .milliseconds(pollIntervalMs), projectInterval: .milliseconds(projectIntervalMs),
            projectBatch: fold.batchSize(replaying: false), mapping: try fold.loadMapping())
        configuration.positions = directory
        configuration.projectBatchBytes = fold.batchByteBudget
        configuration.hotCustomers = fold.hotCustomerLimit
        configuration.setAsideCustomers = fold.setAsideCustomerLimit
        configuration.hotOrders = fold.hotOrderLimit
        configuration.newRows = newRows
        configuration.metrics = DaemonMetrics(
            registry: DaemonMetrics.bootstrap(), journal: journal, store: store,
            now: { Int64(Date().timeIntervalSince1970) })
        configuration.metricsPort = metricsPort
        configuration.tableFromStart = table.fromStart
        configuration.weekTicks = !noWeekTicks
        // ActiveCampaign is sent to beside Klaviyo when its account is configured, from the moment it is an
        // enabled destination (now, or once `destination add` enables it while this runs); enabled without
        // credentials, its rows wait for `send --destination activecampaign`.
        if !noSend {
            if let account = try activeCampaign.configurationIfSet() {
                activeCampaignLock = try DirectoryLock(
                    path: directory.root + "/sender-activecampaign.lock", holder: "sender")
                configuration.activeCampaign = account
                configuration.activeCampaignUnpaced = senderOptions.noRateLimits
                configuration.activeCampaignOptions.storeName = activeCampaign.storeName
                configuration.activeCampaignOptions.storeURL = activeCampaign.storeUrl
                configuration.activeCampaignOptions.skipEvents = false
            } else if try Projector.enabledActiveCampaign(in: store, mapping: .defaults) != nil {
                Logger(label: "logfold.run").notice(
                    "activecampaign is enabled but ACTIVECAMPAIGN_URL is not set: its rows wait for `logfold send --destination activecampaign`"
                )
            }
        }
        daemon = Daemon(
            journal: journal, store: store, configuration: configuration,
            ingestOptions: IngestOptions(parser: .init(maximumLineLength: maxLineBytes)),
            rejects: RejectsWriter(
                path: rejects ?? directory.defaultRejectsPath, maximumBytes: Int64(rejectsMaxBytes)),
            sender: sender, senderStop: senderStop)
        if let http = daemon.configuration.http, http.bearerToken == nil, !http.isLoopback {
            Logger(label: "logfold.run").warning(
                "the HTTP endpoint listens beyond loopback without a token: anyone who reaches the port can write to the journal; set --http-token-file",
                metadata: ["host": "\(http.host)"])
        }
        // Written unbuffered: scripts and tests wait for this line on a pipe.
        let report = await daemon.run { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        withExtendedLifetime(lock) {}
        withExtendedLifetime(senderLock) {}
        withExtendedLifetime(activeCampaignLock) {}
        await client?.shutdown()
        say(report.ingested.line)
        say(report.projected.line)
        if let sent = report.sent { say(sent.summary) }
        if let sent = report.activeCampaign { say(sent) }
        guard report.failures.isEmpty else {
            throw DaemonStopped(reasons: LogRedaction.redact(report.failures.joined(separator: "; ")))
        }
    }
}

/// `logfold run` stopped because a part failed; the reasons are already redacted.
struct DaemonStopped: Error, CustomStringConvertible {
    let reasons: String
    var description: String { reasons }
}
