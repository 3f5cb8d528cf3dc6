/// One event Klaviyo holds, as the delivery ledger records it: Klaviyo's own dedupe key, and the outbox
/// row that delivered it.
package struct LedgerEntry: Sendable, Hashable {
    /// The outbox row of the event.
    package var ordinal: UInt64
    /// The metric name.
    package var metric: String
    /// The event's `unique_id`.
    package var uniqueID: String
    /// The profile's `external_id` (the platform customer id).
    package var profileKey: String

    /// Creates an entry.
    package init(ordinal: UInt64, metric: String, uniqueID: String, profileKey: String) {
        self.ordinal = ordinal
        self.metric = metric
        self.uniqueID = uniqueID
        self.profileKey = profileKey
    }
}
