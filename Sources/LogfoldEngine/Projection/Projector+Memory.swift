import LogfoldDomain
import LogfoldStore

/// How the projector bounds its memory: customers beyond ``Projector/defaultHotCustomers`` are kept
/// encoded, orders beyond its order limit are evicted to the store once committed, and a batch counts
/// the state rows it will write toward its byte budget.
extension Projector {
    /// What one touched customer counts toward a batch's byte budget: its row.
    ///
    /// That is 440 to 540 bytes of state (measured; the more with ActiveCampaign) and its columns. A
    /// replay batch can touch every customer.
    static let customerRowBytes = 640
    /// Likewise for one touched order: about 430 bytes of state and its columns.
    static let orderRowBytes = 512

    /// The rows of the customers changed after `checkpoint`, in id order, one state decoded at a time.
    func customerRows(_ ids: Set<String>, changedAfter checkpoint: UInt64) -> [CustomerRow] {
        var rows: [CustomerRow] = []
        rows.reserveCapacity(ids.count)
        for id in ids.sorted() {
            guard let customer = projection.customer(id), customer.lastSeq > checkpoint else { continue }
            rows.append(ProjectionRows.row(customer))
        }
        return rows
    }

    /// Sets aside, encoded, the customers changed longest ago once more than ``hotCustomers`` are in
    /// memory, and forgets their snapshots; their next entry wakes them.
    func setAsideColdCustomers() {
        for id in projection.setAsideCustomers(keepingAtMost: hotCustomers) { snapshotMemo.forget(customer: id) }
    }

    /// Evicts the orders untouched for ``orderHorizon`` entries and, beyond ``hotOrders``, those changed
    /// longest ago, down to three quarters of it; only orders already committed, so that reading one back
    /// from the store finds its latest state.
    ///
    /// Everything up to `committed` is in the store (``BatchCommitter/committedThrough``); later batches
    /// may still be committing or queued.
    func evictColdOrders(before seq: UInt64, committed: UInt64) {
        let cold = coldOrders(before: seq, committed: committed)
        guard !cold.isEmpty else { return }
        projection.forget(orders: cold)
        for id in cold {
            snapshotMemo.forget(order: id)
            evictedOrders.insert(id)
        }
    }

    /// The ids ``evictColdOrders(before:committed:)`` evicts, computed apart so that no view of the
    /// orders is alive while they are removed (it would make the removal copy them all).
    func coldOrders(before seq: UInt64, committed: UInt64) -> [String] {
        let horizon = orderHorizon
        func untouchedTooLong(_ lastSeq: UInt64) -> Bool { seq > horizon && lastSeq + horizon < seq }
        let committedOrders = projection.orders.values.compactMap {
            $0.lastSeq <= committed ? (lastSeq: $0.lastSeq, id: $0.id) : nil
        }
        var cold = committedOrders.filter { untouchedTooLong($0.lastSeq) }.map(\.id)
        let excess = projection.orders.count - cold.count - hotOrders
        if excess > 0 {
            // Oldest change first; the id breaks ties, so that the choice is the same in every run.
            let oldest = committedOrders.filter { !untouchedTooLong($0.lastSeq) }
                .sorted { ($0.lastSeq, $0.id) < ($1.lastSeq, $1.id) }
            cold += oldest.prefix(excess + hotOrders / 4).map(\.id)
        }
        return cold
    }
}
