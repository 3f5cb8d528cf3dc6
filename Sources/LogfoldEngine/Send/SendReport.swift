import Synchronization

/// What a sender run did, for the closing line and the progress display.
package struct SendReport: Sendable, Hashable {
    /// HTTP requests made (including retries).
    package var requests = 0
    /// Events Klaviyo accepted.
    package var events = 0
    /// Rows marked delivered (all kinds, superseded ones included).
    package var delivered = 0
    /// Rows Klaviyo reported as already stored.
    package var deduplicated = 0
    /// Rows replaced by a later message of the same customer.
    package var superseded = 0
    /// Rows dead-lettered.
    package var dead = 0
    /// Retried calls (5xx, resets, timeouts, 429).
    package var retries = 0
    /// 429 answers.
    package var throttled = 0
    /// Events a history rebuild found in the ledger and did not send again.
    package var fromLedger = 0
    /// Profiles a bulk import job reported as failed (their rows are dead letters).
    package var importFailures = 0

    /// Creates an empty report.
    package init() {}

    /// `delivered 12,345 (events 10,000, deduplicated 0, superseded 2,000), dead 1, requests 40, ...`.
    package var summary: String {
        "delivered \(delivered) (events \(events), deduplicated \(deduplicated), superseded \(superseded)"
            + (fromLedger > 0 ? ", already in Klaviyo per the ledger \(fromLedger)" : "")
            + "), dead \(dead)" + (importFailures > 0 ? " (import failures \(importFailures))" : "")
            + ", requests \(requests), retries \(retries), throttled \(throttled)"
    }
}

/// A report shared by concurrent deliveries.
final class SendTally: Sendable {
    private let report = Mutex(SendReport())

    func update(_ change: (inout SendReport) -> Void) {
        report.withLock { change(&$0) }
    }

    var snapshot: SendReport { report.withLock { $0 } }
}
