import Foundation
package import LogfoldStore

/// What draining ActiveCampaign's outbox costs at the account's 5 requests a second: printed by
/// `send --destination activecampaign --history` before it starts, and by `status`.
package enum ActiveCampaignEstimate {
    /// Calls a run needs besides the rows' own: finding or making fields, list, tags and the connection.
    static let setupCalls = 12

    /// The calls needed and the time they take at `requestsPerSecond`.
    package static func calls(store: StateStore, skipEvents: Bool = false) throws(StoreError) -> (
        calls: Int, seconds: Double
    ) {
        let work = try store.activeCampaignPendingWork()
        let rows = work.rows
        var calls = setupCalls + work.tagRemovals + work.orderCustomers + work.syncedCustomers
        for (kind, count) in rows where kind != .contact && kind != .listStatus && !(skipEvents && kind == .event) {
            calls += count
        }
        // A list status or tag before the contact's id is known costs a sync; a correction may look its order up.
        calls += rows[.orderCorrection] ?? 0
        return (calls, Double(calls) * 0.21)
    }

    /// One line: the pending rows, the calls and the drain time.
    package static func describe(store: StateStore, skipEvents: Bool = false) throws(StoreError) -> String {
        let work = try store.activeCampaignPendingWork().rows
        let (calls, seconds) = try Self.calls(store: store, skipEvents: skipEvents)
        let rows = ActiveCampaignOutboxRow.Kind.allCases.map { "\(work[$0] ?? 0) \($0.name)" }.joined(separator: ", ")
        return "activecampaign history: \(rows) pending\(skipEvents ? " (events skipped)" : ""); about \(calls) calls, "
            + "\(format(seconds)) at 5 requests/s"
    }

    /// `45 s`, `12 min`, `7.5 h`, `3.2 days`.
    package static func format(_ seconds: Double) -> String {
        if seconds < 120 { return "\(Int(seconds.rounded(.up))) s" }
        if seconds < 7_200 { return "\(Int((seconds / 60).rounded(.up))) min" }
        if seconds < 172_800 { return "\(String(format: "%.1f", seconds / 3_600)) h" }
        return "\(String(format: "%.1f", seconds / 86_400)) days"
    }
}
