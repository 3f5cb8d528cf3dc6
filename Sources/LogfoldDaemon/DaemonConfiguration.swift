import Foundation
package import LogfoldActiveCampaign
package import LogfoldDomain
package import LogfoldEngine
import LogfoldStore
package import LogfoldTransport
package import Logging

/// What `logfold run` ingests from and how it projects.
package struct DaemonConfiguration: Sendable {
    /// A JSON Lines file to follow (surviving rotation and truncation); `nil` for none.
    package var followPath: String?
    /// The HTTP ingest endpoint; `nil` for none.
    package var http: HTTPIngestConfiguration?
    /// A platform database table to poll for entries (opened, its names checked); `nil` for none.
    package var table: SourceTable?
    /// The data directory, where an earlier build's position file of the table source may wait to be
    /// migrated into the journal (``TablePosition``); `nil` looks for none.
    package var positions: DataDirectory?
    /// Read the table from its first row, not after the key the last run reached.
    package var tableFromStart = false
    /// How often the follow reader looks for new data.
    package var followPollInterval: Duration
    /// How often the projector looks for new journal entries when it has caught up.
    package var projectInterval: Duration
    /// Journal entries folded per store transaction.
    package var projectBatch: Int
    /// The most bytes of rows one projection transaction holds (``Projector/defaultBatchBytes``).
    package var projectBatchBytes = Projector.defaultBatchBytes
    /// The most customers the fold keeps decoded (``Projector/defaultHotCustomers``).
    package var hotCustomers = Projector.defaultHotCustomers
    /// The most customers the fold keeps encoded beyond them (``Projector/defaultSetAsideCustomers``).
    package var setAsideCustomers = Projector.defaultSetAsideCustomers
    /// The most orders the fold keeps between batches (``Projector/defaultHotOrders``).
    package var hotOrders = Projector.defaultHotOrders
    /// The entry type → Klaviyo mapping.
    package var mapping: EventMapping
    /// Where the daemon's notices go.
    package var logger: Logger
    /// The wall clock, in seconds since 1970: it decides only when a quiet week gets its
    /// `logfold.tick` (``JournalTick``), never what the fold makes of the journal.
    package var now: @Sendable () -> Int64
    /// Whether to journal a `logfold.tick` when a week starts with nothing journaled.
    package var weekTicks = true
    /// Where ActiveCampaign is (when it is an enabled destination and its credentials are set): the
    /// daemon then sends to it beside Klaviyo.
    package var activeCampaign: ActiveCampaignConfiguration?
    /// The Prometheus exporter behind `GET /metrics` and `GET /v1/status`; `nil` serves neither.
    package var metrics: DaemonMetrics?
    /// Where `/metrics` is served when there is no HTTP ingest endpoint (`--metrics-port`).
    package var metricsPort: Int?
    package var metricsHost = "127.0.0.1"
    /// Rung by the projector after each commit that wrote outbox rows; the senders wait on it when idle.
    package var newRows = AsyncDoorbell()
    /// Send to ActiveCampaign without the account's 5 requests/s pacing (`--no-rate-limits`, for the
    /// sandbox; its 429s still hold every call).
    package var activeCampaignUnpaced = false
    /// ActiveCampaign's sender options (the store's name and address for Deep Data).
    package var activeCampaignOptions = ActiveCampaignSendOptions()
    /// The time ActiveCampaign's pacer, backoffs and polls keep (a test steps one by hand).
    package var clock: any Clock<Duration> = ContinuousClock()
    /// How ActiveCampaign's calls reach it; `nil` for a connection pool of the daemon's own.
    package var activeCampaignTransport: (any HTTPTransport)?

    /// A configuration; at least one source should be given for the daemon to ingest anything.
    package init(
        followPath: String? = nil, http: HTTPIngestConfiguration? = nil, table: SourceTable? = nil,
        followPollInterval: Duration = .milliseconds(200), projectInterval: Duration = .milliseconds(200),
        projectBatch: Int = 10_000, mapping: EventMapping = .defaults,
        logger: Logger = Logger(label: "logfold.run"),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.followPath = followPath
        self.http = http
        self.table = table
        self.followPollInterval = followPollInterval
        self.projectInterval = projectInterval
        self.projectBatch = max(1, projectBatch)
        self.mapping = mapping
        self.logger = logger
        self.now = now
    }
}

/// The HTTP ingest endpoint's address and limits.
package struct HTTPIngestConfiguration: Sendable {
    /// The interface to listen on; loopback unless the operator opens it up.
    package var host: String
    /// The port; 0 picks a free one (announced once listening).
    package var port: Int
    /// The largest request body accepted; larger ones get 413 and nothing of them is journaled.
    package var maximumBodyBytes: Int
    /// The token `POST /v1/entries` must carry as `Authorization: Bearer TOKEN`; `nil` lets any client
    /// that reaches the port post (the loopback default).
    package var bearerToken: String?
    /// POST requests handled at once; more get 503 with `Retry-After` (a flood must not queue without end).
    package var maximumInFlight = 8
    /// Connections open at once, idle ones included; past it new ones wait in the listen backlog until
    /// one closes (idle ones close after 30 s), so a client hoarding sockets cannot exhaust descriptors.
    package var maximumConnections = 64
    /// The most time a request's body may take to arrive; a body trickled slower gets 408 and the
    /// connection is closed.
    package var bodyDeadline: Duration = .seconds(30)

    /// An endpoint on `host:port`.
    package init(
        host: String = "127.0.0.1", port: Int, maximumBodyBytes: Int = 16 << 20, bearerToken: String? = nil
    ) {
        self.host = host
        self.port = port
        self.maximumBodyBytes = max(1, maximumBodyBytes)
        self.bearerToken = bearerToken
    }

    /// Whether `host` only accepts connections from this machine.
    package var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
