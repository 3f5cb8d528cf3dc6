package import LogfoldKlaviyo
package import LogfoldStore

/// How long draining the pending outbox takes at the current rate limits: what an operator wants to
/// know before pushing years of history.
package enum HistoryEstimate {
    /// One paragraph: pending messages by kind, what the ledger already covers, and the time it takes.
    package static func describe(store: StateStore, limits: KlaviyoRateLimits) throws(StoreError) -> String {
        let pending = try store.pendingCounts()
        let ledger = try store.ledgerCount()
        let events = pending["event"] ?? 0
        let profiles = pending["profile"] ?? 0
        let bulkRequests = (events + DeliveryPlanner.Limits.eventsPerBulk - 1) / DeliveryPlanner.Limits.eventsPerBulk
        var text = "history: \(events) events, \(profiles) profile upserts, "
        text += "\((pending["list_add"] ?? 0) + (pending["list_remove"] ?? 0)) list changes, "
        text += "\((pending["suppress"] ?? 0) + (pending["unsuppress"] ?? 0)) suppression changes pending; "
        text += "the ledger holds \(ledger) delivered events, which are not sent again"
        if let perMinute = limits.requestsPerMinute(.bulkCreateEvents) {
            let minutes = Double(bulkRequests) / perMinute
            text += "; events need ≥ \(bulkRequests) bulk requests ≈ \(format(minutes)) at \(Int(perMinute))/min"
        }
        return text
    }

    private static func format(_ minutes: Double) -> String {
        if minutes < 1 { return "\(Int((minutes * 60).rounded(.up))) s" }
        if minutes < 120 { return "\(Int(minutes.rounded(.up))) min" }
        return "\(Int((minutes / 60).rounded(.up))) h"
    }
}
