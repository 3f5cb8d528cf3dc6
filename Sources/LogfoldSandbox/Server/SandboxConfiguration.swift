package import Logging

/// Everything `logfold sandbox` can be told: where to listen and keep state, which key to accept, the
/// rate limits, the injected faults, and the knobs tests turn (clock, timeout length).
package struct SandboxConfiguration: Sendable {
    /// The interface to bind (default loopback).
    package var host = "127.0.0.1"
    /// The port; 0 picks a free one (reported through ``SandboxServer/run(onListening:)``).
    package var port = 8787
    /// The SQLite state file (`DIR/sandbox.sqlite` by default).
    package var statePath: String
    /// The API key accepted; `nil` accepts any private key (`pk_…`).
    package var apiKey: String?
    /// Keys that authenticate but lack scopes (403); keys starting `pk_noscope` too.
    package var forbiddenKeys: Set<String> = []
    /// The rate limits (Klaviyo's by default).
    package var rateLimits: RateLimitTable = .klaviyo
    /// Injected failures (none by default).
    package var faults = FaultSpec()
    /// The seed of the fault generator; `nil` draws one at random.
    package var faultsSeed: UInt64?
    /// Refuse a bulk request holding an event already stored (400 `duplicate`) instead of dropping it.
    package var strictDuplicates = false
    /// The revisions served.
    package var revisions = RevisionPolicy()
    /// The clock of rate windows, event-time checks and the request log.
    package var clock: SandboxClock = .system
    /// How long a `timeout` fault holds a request before closing the connection.
    package var timeoutFaultDuration: Duration = .seconds(60)
    /// Largest request body accepted (Klaviyo's 5 MB); larger answers 413.
    package var maximumBodyBytes = 5 * 1024 * 1024
    /// Where the server logs (Hummingbird's own lines included); keep it off stdout.
    package var logger: Logger

    /// A configuration keeping state at `statePath`, everything else at its default.
    package init(statePath: String, logger: Logger? = nil) {
        self.statePath = statePath
        self.logger = logger ?? Self.defaultLogger(label: "logfold.sandbox")
    }

    /// A sandbox's log when none is given: notices and worse on stderr, off stdout.
    static func defaultLogger(label: String) -> Logger {
        var logger = Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .notice
        return logger
    }

    /// The state file of data directory `directory` (`--data DIR`).
    package static func statePath(inDataDirectory directory: String) -> String {
        directory + "/sandbox.sqlite"
    }
}
