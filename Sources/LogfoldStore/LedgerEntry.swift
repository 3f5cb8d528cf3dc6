/// One event Klaviyo holds, as the delivery ledger records it: Klaviyo's own dedupe key.
package struct LedgerEntry: Sendable, Hashable {
    /// The metric name.
    package var metric: String
    /// The event's `unique_id`.
    package var uniqueID: String
    /// The profile's `external_id` (the platform customer id).
    package var profileKey: String

    /// Creates an entry.
    package init(metric: String, uniqueID: String, profileKey: String) {
        self.metric = metric
        self.uniqueID = uniqueID
        self.profileKey = profileKey
    }
}
