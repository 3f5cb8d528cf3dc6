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

    /// Whether `row` is live: folded at or after the live boundary and of an entry from the live window.
    ///
    /// A backfill ingested while the sender runs is folded after the boundary, but its old entries are
    /// history all the same.
    func isLive(_ row: ActiveCampaignOutboxRow, _ lanes: Lanes) -> Bool {
        row.ordinal >= lanes.liveFrom && row.time >= now() - options.liveWindowSeconds
    }

    /// Sends the live lane's pending rows (passing over history rows folded after the boundary); `true`
    /// when there were any to look at.
    func sendLive(_ lanes: inout Lanes) async throws -> Bool {
        let rows = try store.pendingActiveCampaignRows(after: lanes.liveAfter, limit: 500)
        guard !rows.isEmpty else { return false }
        for row in rows {
            try Task.checkCancellation()
            if options.shouldStop() { return true }
            if isLive(row, lanes) { try await sendLive(row) }
            lanes.liveAfter = row.ordinal
        }
        return true
    }

    /// Sends a live row after what it needs: the customer's latest pending contact sync before it (sent
    /// even when a later one exists, so the contact is there before its event), and for a correction the
    /// order it corrects.
    private func sendLive(_ row: ActiveCampaignOutboxRow) async throws {
        if row.kind != .contact,
            let contact = try store.pendingActiveCampaignRow(.contact, customerID: row.customerID, before: row.ordinal)
        {
            try await deliver(contact, coalesce: false)
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
            switch try await bulkImport(olderThan: now() - options.liveWindowSeconds) {
            case .imported: return true
            case .tooFew, .refused: lanes.bulkImportsOver = true
            }
        }
        let rows = try store.pendingActiveCampaignRows(after: lanes.historyAfter, limit: 100)
        guard !rows.isEmpty else { return false }
        for row in rows {
            try Task.checkCancellation()
            if options.shouldStop() { return true }
            // Live first: a live row waits behind at most one history call.
            if !(try store.pendingActiveCampaignRows(after: lanes.liveAfter, limit: 1)).isEmpty { return true }
            if !isLive(row, lanes) { try await deliver(row) }
            lanes.historyAfter = row.ordinal
        }
        return true
    }
}
