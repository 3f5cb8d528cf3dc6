import LogfoldDomain
import LogfoldStore

/// How the projector bounds its memory: customers beyond ``Projector/defaultHotCustomers`` are kept
/// encoded, beyond ``Projector/defaultSetAsideCustomers`` those the store holds as they are leave memory,
/// orders beyond its order limit are evicted to the store once committed, and a batch counts the state
/// rows it will write toward its byte budget.
extension Projector {
    /// What one touched customer counts toward a batch's byte budget: its row.
    ///
    /// That is 440 to 540 bytes of state (measured; the more with ActiveCampaign) and its columns. A
    /// replay batch can touch every customer.
    static let customerRowBytes = 640
    /// Likewise for one touched order: about 430 bytes of state and its columns.
    static let orderRowBytes = 512

    /// What one Klaviyo message counts toward a batch's byte budget, estimated without building its row
    /// (the committer does): its body is its properties and identity (up to about 100 bytes), and its
    /// key and columns about 90 more.
    static func rowBytes(_ message: OutboundMessage) -> Int { 192 + message.properties.encoded.count }

    /// What one ActiveCampaign message counts toward a batch's byte budget, estimated without rendering
    /// it (the committer renders its row): its JSON is 200 to 350 bytes (measured on the synthetic year),
    /// an order's about 160 more per product, and its key about 45.
    static func rowBytes(_ message: ActiveCampaignMessage) -> Int {
        if case .order(let order) = message.payload { return 448 + 192 * order.products.count }
        return 400
    }

    /// The default number of customers kept set aside in memory: 100,000.
    ///
    /// Beyond it, the customers changed longest ago that the store holds as they are leave memory; an
    /// entry about one reads it back (a point lookup, about 110 µs while a replay commits), a week change
    /// the watchers it reaches (4,096 at a time). Set aside, a customer takes about 600 bytes with its
    /// identifiers, so this bounds them to about 60 MB at any number of customers. Measured (2 cores): a
    /// journal of 240,000 customers in 20 days (2.1 million entries, nearly all of them watchers) peaked at
    /// 265 MiB with 20,000 (and `hotCustomers` 2,000, `hotOrders` 5,000), 455 before watchers could leave.
    package static let defaultSetAsideCustomers = 100_000

    /// The rows of the customers changed after `checkpoint`, in id order, one state decoded at a time.
    func customerRows(_ ids: Set<String>, changedAfter checkpoint: UInt64) -> [CustomerRow] {
        var rows: [CustomerRow] = []
        rows.reserveCapacity(ids.count)
        for id in ids.sorted() {
            let row = projection.withCustomer(id) { customer in
                customer.lastSeq > checkpoint ? ProjectionRows.row(customer) : nil
            }
            if let row = row ?? nil { rows.append(row) }
        }
        return rows
    }

    /// Sets aside, encoded, the customers changed longest ago once more than ``hotCustomers`` are in
    /// memory, and forgets their snapshots; their next entry wakes them.
    func setAsideColdCustomers() {
        for id in projection.setAsideCustomers(keepingAtMost: hotCustomers) { snapshotMemo.forget(customer: id) }
    }

    /// Once more than ``setAsideCustomers`` customers are set aside, drops from memory those the store
    /// holds as they are (``Projection/evictSetAsideCustomers(committedThrough:keepingAtMost:unless:)``),
    /// and the owners of their identifiers with them; an entry about one reads it back (``prefetch(for:)``).
    ///
    /// Everything up to `committed` is in the store; the customers the batches after it touched stay.
    /// The next eviction waits until a quarter of the limit more are set aside, so that customers that
    /// cannot go yet (week watchers, above all) are not decoded again after every batch.
    func evictSetAsideCustomers(committed: UInt64) {
        uncommittedTouches.removeAll { $0.toSeq <= committed }
        // Customers a replay left for its end are in the store once a batch after theirs committed.
        if customersAtEnd { return }
        if let written = customersWrittenAt {
            guard committed > written else { return }
            customersWrittenAt = nil
        }
        guard projection.dormantCustomerCount > nextEviction else { return }
        let busy = uncommittedTouches.map(\.customers)
        let eviction = projection.evictSetAsideCustomers(committedThrough: committed, keepingAtMost: setAsideCustomers)
        {
            id in busy.contains { $0.contains(id) }
        }
        noteEvicted(eviction)
        nextEviction = max(setAsideCustomers, projection.dormantCustomerCount + max(1, setAsideCustomers / 4))
        EngineMetrics.evictedCustomers(eviction.customers.count)
    }

    /// Notes customers and owner keys that left memory: a later entry about one looks it up in the store.
    func noteEvicted(_ eviction: Projection.Eviction) {
        guard !eviction.customers.isEmpty else { return }
        if evicted == nil { evicted = EvictionFilter() }
        for id in eviction.customers { evicted?.insert(id) }
        for key in eviction.ownerKeys {
            ownerKeysKnown.remove(key)
            evicted?.insert(key)
        }
        evictedCustomerCount += eviction.customers.count
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
        if evictedOrders == nil { evictedOrders = EvictionFilter() }
        for id in cold {
            snapshotMemo.forget(order: id)
            evictedOrders?.insert(id)
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
