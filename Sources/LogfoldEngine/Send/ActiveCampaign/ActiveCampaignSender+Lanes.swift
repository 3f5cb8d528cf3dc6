import Foundation
import LogfoldStore

extension ActiveCampaignSender {
    /// Where each lane stands.
    ///
    /// The live lane is every row from ``liveFrom`` on: rows of entries from the live window before the run
    /// began, and every row folded since. The history lane is the rows below.
    struct Lanes {
        /// The first ordinal of the live lane.
        let liveFrom: UInt64
        /// The last live row sent or passed.
        var liveAfter: UInt64
        /// The last history row sent or passed.
        var historyAfter: UInt64 = 0
        /// Whether bulk imports are over for this run: too few new contacts left, or ActiveCampaign
        /// refused one (its contacts then go by `contact/sync`).
        var bulkImportsOver = false

        init(liveFrom: UInt64) {
            self.liveFrom = liveFrom
            liveAfter = liveFrom > 0 ? liveFrom - 1 : 0
        }

        /// Both cursors back to their lane's start; `false` when they were there already.
        mutating func rewind() -> Bool {
            let liveStart = liveFrom > 0 ? liveFrom - 1 : 0
            guard liveAfter != liveStart || historyAfter != 0 else { return false }
            liveAfter = liveStart
            historyAfter = 0
            return true
        }
    }

    /// Sends the live lane's pending rows; `true` when there were any.
    func sendLive(_ lanes: inout Lanes) async throws -> Bool {
        let rows = try store.pendingActiveCampaignRows(after: lanes.liveAfter, limit: 500)
        guard !rows.isEmpty else { return false }
        for row in rows {
            try Task.checkCancellation()
            if options.shouldStop() { return true }
            try await sendLive(row, historyBelow: lanes.liveFrom)
            lanes.liveAfter = row.ordinal
        }
        return true
    }

    /// Sends a live row after what it needs from the history lane: the customer's latest pending contact
    /// sync (so the contact exists with its current values before its events; a later contact row makes it
    /// superseded at no cost), and for a correction the order it corrects.
    private func sendLive(_ row: ActiveCampaignOutboxRow, historyBelow liveFrom: UInt64) async throws {
        if row.kind != .contact,
            let contact = try store.pendingActiveCampaignRow(.contact, customerID: row.customerID, before: liveFrom)
        {
            try await deliver(contact)
        }
        if row.kind == .orderCorrection,
            let message = (try? JSONSerialization.jsonObject(with: Data(row.body))) as? [String: Any],
            let orderID = message["order_id"] as? String,
            let order = try store.pendingActiveCampaignRow(
                .order, customerID: row.customerID, before: row.ordinal, orderID: orderID)
        {
            try await deliver(order)
        }
        try await deliver(row)
    }

    /// Sends history rows until a live row is pending (checked before every history call); `true` when
    /// there were any.
    func sendHistory(_ lanes: inout Lanes) async throws -> Bool {
        if !lanes.bulkImportsOver {
            switch try await bulkImport(historyBelow: lanes.liveFrom) {
            case .imported: return true
            case .tooFew, .refused: lanes.bulkImportsOver = true
            }
        }
        let rows = try store.pendingActiveCampaignRows(after: lanes.historyAfter, before: lanes.liveFrom, limit: 100)
        guard !rows.isEmpty else { return false }
        for row in rows {
            try Task.checkCancellation()
            if options.shouldStop() { return true }
            // Live first: a live row waits behind at most one history call.
            if !(try store.pendingActiveCampaignRows(after: lanes.liveAfter, limit: 1)).isEmpty { return true }
            try await deliver(row)
            lanes.historyAfter = row.ordinal
        }
        return true
    }
}
