import Foundation
package import LogfoldKlaviyo

/// How the sender drains the outbox.
package struct SendOptions: Sendable {
    /// A history rebuild: every event goes with `backfill: true` (stored without firing flows), and events
    /// the delivery ledger holds are not sent again.
    package var history: Bool
    /// Events older than this many seconds go with `backfill: true` too (default two days).
    package var backfillAgeSeconds: Int64
    /// Pending rows read and planned together; coalescing works within one window.
    package var windowSize: Int
    /// The most bytes of outbox rows (bodies and keys) one window of a stream reads, whatever its row
    /// count: what bounds the sender's memory (its plan and requests are a few times this).
    package var windowBytes = 16 << 20
    /// Requests in flight at once within one phase of a window.
    package var concurrency: Int
    /// Fewer pending events than this go one by one through Create Event instead of Bulk Create Events.
    package var bulkEventMinimum: Int
    /// Fewer profile upserts than this go through profile-import instead of bulk import.
    package var bulkProfileMinimum: Int
    /// Stop when the outbox has no pending rows (`--once`) instead of waiting for more.
    package var once: Bool
    /// Seconds between looks at the outbox when it is empty and the sender keeps running.
    package var pollSeconds: Double
    /// Rung when new rows are in the outbox (by the daemon's projector): an idle sender looks at once.
    package var newRows: AsyncDoorbell?
    /// Klaviyo list ids by list name, from configuration; other lists are found or created by name.
    package var listIDs: [String: String]
    /// Create a list in Klaviyo when no list of that name exists.
    package var createLists: Bool
    /// Country code for phone numbers written without one.
    package var defaultCountryCode: String
    /// The retry decisions.
    package var retry: RetryPolicy
    /// Unix seconds now: the sender's only reading of the wall clock (delivery times and backfill age),
    /// never projection's; injected so a test's clock decides them.
    package var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    /// Whether events carry `backfill` (the client's revision takes it); set by the sender.
    package var includeBackfill = true

    /// Creates options; the defaults suit a live sender against Klaviyo.
    package init(
        history: Bool = false, backfillAgeSeconds: Int64 = 2 * 86_400, windowSize: Int = 25_000,
        concurrency: Int = 4, bulkEventMinimum: Int = 5, bulkProfileMinimum: Int = 20, once: Bool = false,
        pollSeconds: Double = 1, listIDs: [String: String] = [:], createLists: Bool = true,
        defaultCountryCode: String = "1", retry: RetryPolicy = RetryPolicy()
    ) {
        self.history = history
        self.backfillAgeSeconds = backfillAgeSeconds
        self.windowSize = windowSize
        self.concurrency = concurrency
        self.bulkEventMinimum = bulkEventMinimum
        self.bulkProfileMinimum = bulkProfileMinimum
        self.once = once
        self.pollSeconds = pollSeconds
        self.listIDs = listIDs
        self.createLists = createLists
        self.defaultCountryCode = defaultCountryCode
        self.retry = retry
    }
}
