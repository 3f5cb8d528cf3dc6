import Foundation
package import LogfoldStore

/// What draining ActiveCampaign's outbox costs at the account's 5 requests a second: printed by
/// `send --destination activecampaign --history` before it starts, and by `status`.
package enum ActiveCampaignEstimate {
    /// Calls a run needs besides the rows' own: finding or making the four fields (with their list
    /// relations), the list, the connection and the three week's tags (measured on a fresh account: 19).
    static let setupCalls = 19

    /// The calls needed and the time they take at 5 requests a second.
    ///
    /// Contact syncs, list statuses and tags are coalesced to the latest of each per customer. Customers
    /// ActiveCampaign never had a contact row of go in bulk imports when there are at least
    /// ``ActiveCampaignSenderLimits/bulkImportMinimum`` of them: one import and one status poll per 250, their
    /// first list status and tag included. A tag change is an add and a removal.
    package static func calls(store: StateStore, skipEvents: Bool = false) throws(StoreError) -> (
        calls: Int, seconds: Double
    ) {
        let work = try store.activeCampaignPendingWork()
        let newContacts = work.newCustomers[.contact] ?? 0
        let bulk = newContacts >= ActiveCampaignSenderLimits.bulkImportMinimum
        func coalesced(_ kind: ActiveCampaignOutboxRow.Kind) -> Int {
            (work.customers[kind] ?? 0) - (bulk ? work.newCustomers[kind] ?? 0 : 0)
        }
        let perImport = ActiveCampaignSenderLimits.bulkImportSize
        // An e-commerce customer is looked up, then made: two calls per customer with orders.
        var calls = setupCalls + 2 * work.orderCustomers
        calls += bulk ? 2 * ((newContacts + perImport - 1) / perImport) : 0
        calls += coalesced(.contact) + coalesced(.listStatus) + 2 * coalesced(.tag)
        for kind in [ActiveCampaignOutboxRow.Kind.event, .order, .orderCorrection] where !(skipEvents && kind == .event)
        {
            calls += work.rows[kind] ?? 0
        }
        // A correction may look its order up first.
        calls += work.rows[.orderCorrection] ?? 0
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
