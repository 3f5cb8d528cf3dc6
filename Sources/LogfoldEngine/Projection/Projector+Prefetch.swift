import LogfoldDomain
import LogfoldStore

/// What the projector reads from the store before folding an entry: the state of a warm start, and
/// whatever left memory (orders beyond its limits, customers evicted) that the entry is about.
extension Projector {
    /// Loads from the store the state an entry needs that is not in memory: its order first, since
    /// an order event without a snapshot finds its customer through the stored order.
    func prefetch(for entry: LogEntry) throws(EngineError) {
        if !weekWatchersLoaded, projection.needsWeekWatchers(for: entry) { try loadWeekWatchers() }
        if let id = entry.orderReference, !storeWasEmpty || evictedOrders.contains(id), !projection.holds(order: id) {
            if let row = try storeCall({ try store.order(id: id) }) {
                projection.restore(order: try decode { try ProjectionCodec.decodeOrder(row.state) })
            }
        }
        let customerID = customerReference(of: entry)
        var restored = false
        // Cheapest test first: a store that started empty, before any eviction, has nothing to read.
        if let id = customerID, !storeWasEmpty || evicted != nil, !projection.holds(customer: id),
            !storeWasEmpty || evicted?.mayContain(id) == true
        {
            if let row = try storeCall({ try store.customer(id: id) }) {
                projection.restore(customer: try decode { try ProjectionCodec.decodeCustomer(row.state) })
                restored = true
            }
        }
        if !storeWasEmpty {
            try prefetchOwners(for: entry, customer: customerID)
        } else if evicted != nil {
            try prefetchEvictedOwners(for: entry, customer: customerID, restored: restored)
        }
    }

    /// Loads the owners of the identifiers the entry can settle that are not in memory, on a warm start.
    ///
    /// Those are the snapshot's email and phone and the customer's current ones: every entry settles the
    /// latter again (a change lets them go; a customer who shares one takes it once its owner lets it
    /// go), with or without a snapshot. A key with an owner in memory is settled there, since only this
    /// fold's entries and these lookups put one there; one this fold let go is in ``ownerKeysKnown``.
    private func prefetchOwners(for entry: LogEntry, customer id: String?) throws(EngineError) {
        var keys: [String?] = []
        if let snapshot = entry.customer {
            keys += [snapshot.email.flatMap(IdentifierKey.email), snapshot.phone.flatMap(IdentifierKey.phone)]
        }
        if let current = id.flatMap({ projection.identifiers(ofCustomer: $0) }) {
            keys += [current.email.flatMap(IdentifierKey.email), current.phone.flatMap(IdentifierKey.phone)]
        }
        for case let key? in keys { try lookUpOwner(key) }
    }

    /// ``prefetchOwners(for:customer:)`` in a store that started empty, once customers were evicted: only
    /// their own identifiers left memory with them, and ``evicted`` holds those keys.
    ///
    /// A customer that does not share an identifier owns it (it took it, and only its own entries let it
    /// go), so one read back from the store gets those owners from its state, without a lookup. A
    /// customer that never left memory owns its own there. What is left to look up: an identifier it
    /// shares (its owner may have been evicted) and a snapshot's that differs from the customer's own.
    /// Most entries build no key at all.
    private func prefetchEvictedOwners(for entry: LogEntry, customer id: String?, restored: Bool) throws(EngineError) {
        let current = id.flatMap { projection.identifiers(ofCustomer: $0) }
        if let snapshot = entry.customer {
            if let email = snapshot.email, email != current?.email, let key = IdentifierKey.email(email) {
                try lookUpEvictedOwner(key)
            }
            if let phone = snapshot.phone, phone != current?.phone, let key = IdentifierKey.phone(phone) {
                try lookUpEvictedOwner(key)
            }
        }
        guard let id, let current, restored || !current.shared.isEmpty else { return }
        let identifiers: [(SharedIdentifiers, String?)] = [
            (.email, current.email.flatMap(IdentifierKey.email)), (.phone, current.phone.flatMap(IdentifierKey.phone)),
        ]
        for (kind, key) in identifiers {
            guard let key else { continue }
            if current.shared.contains(kind) {
                try lookUpEvictedOwner(key)
            } else if restored, !ownerKeysKnown.contains(key), projection.identifierOwners.index(forKey: key) == nil {
                projection.restore(owner: id, of: key)
            }
        }
    }

    /// Looks up `key`'s owner in the store unless it is in memory or known to have none there.
    private func lookUpOwner(_ key: String) throws(EngineError) {
        guard !ownerKeysKnown.contains(key), projection.identifierOwners.index(forKey: key) == nil else { return }
        let owner = try storeCall { try store.identifierOwner(key) }
        projection.restore(owner: owner, of: key)
        ownerKeysKnown.insert(key)
    }

    /// ``lookUpOwner(_:)`` for a key an evicted customer may have owned.
    private func lookUpEvictedOwner(_ key: String) throws(EngineError) {
        guard evicted?.mayContain(key) == true else { return }
        try lookUpOwner(key)
    }

    /// Loads every stored customer whose week tag can change from the journal's week on, so a week change
    /// updates them all; those already in memory are newer than the store and stay.
    private func loadWeekWatchers() throws(EngineError) {
        let week = projection.clock.week ?? Int32.min
        var rows: [CustomerRow] = []
        do {
            try store.forEachCustomer(watchingWeeksFrom: week) { row in
                if !projection.holds(customer: row.id) { rows.append(row) }
            }
        } catch {
            throw EngineError(
                .io, "state store: \(error)", remedy: "see the store error; the journal is untouched", cause: error)
        }
        for row in rows { projection.restore(customer: try decode { try ProjectionCodec.decodeCustomer(row.state) }) }
        weekWatchersLoaded = true
    }
}
