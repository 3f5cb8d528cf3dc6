import LogfoldDomain
import LogfoldStore

/// What the projector reads from the store before folding an entry: the state of a warm start, and
/// whatever left memory (orders beyond its limits, customers evicted) that the entry is about.
extension Projector {
    /// Loads from the store the state an entry needs that is not in memory: its order first, since
    /// an order event without a snapshot finds its customer through the stored order.
    func prefetch(for entry: LogEntry) throws(EngineError) {
        if !weekWatchersLoaded, projection.needsWeekWatchers(for: entry) { try loadWeekWatchers() }
        if let id = entry.orderReference, !storeWasEmpty || evictedOrders?.mayContain(id) == true,
            !projection.holds(order: id)
        {
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
        try restoreEvictedOwners(
            of: id, email: current.email, phone: current.phone, shared: current.shared,
            restored: restored)
    }

    /// The owners of the identifiers of a customer in memory, in a store that started empty: it owns
    /// those it does not share, when `restored` from the store; those it shares are looked up.
    private func restoreEvictedOwners(
        of id: String, email: String?, phone: String?, shared: SharedIdentifiers, restored: Bool
    ) throws(EngineError) {
        let identifiers: [(SharedIdentifiers, String?)] = [
            (.email, email.flatMap(IdentifierKey.email)), (.phone, phone.flatMap(IdentifierKey.phone)),
        ]
        for (kind, key) in identifiers {
            guard let key else { continue }
            if shared.contains(kind) {
                try lookUpEvictedOwner(key)
            } else if restored, !ownerKeysKnown.contains(key), projection.identifierOwners.index(forKey: key) == nil {
                projection.restore(owner: id, of: key)
            }
        }
    }

    /// Reads the customers a week change paused for (``Projection/weekChangeWants``), set aside, and
    /// resumes it, until the share of the entry just folded is done; `messages` holds that entry's.
    ///
    /// Each is read with the owners of its identifiers, as an entry about it would read it, since an entry
    /// about a customer in memory takes its own identifiers' owners to be there.
    func completeWeekChange(appendingTo messages: inout [OutboundMessage]) throws(EngineError) {
        // Called after every entry; only a paused change has anything to do.
        guard !projection.weekChangeWants.isEmpty else { return }
        while !projection.weekChangeWants.isEmpty {
            let wants = projection.weekChangeWants
            let rows = try storeCall { try store.customers(ids: wants) }
            for row in rows where !projection.holds(customer: row.id) {
                let customer = try decode { try ProjectionCodec.decodeCustomer(row.state) }
                projection.restore(setAside: customer, encoded: row.state)
                // A warm start looks up every entry's owners anyway (``prefetchOwners(for:customer:)``).
                guard storeWasEmpty else { continue }
                try restoreEvictedOwners(
                    of: customer.id, email: customer.identity.email, phone: customer.identity.phone,
                    shared: customer.shared, restored: true)
            }
            weekChangeReads += rows.count
            projection.resumeWeekChange(appendingTo: &messages)
        }
        let drops = projection.takeWeekChangeDrops()
        weekChangeDrops += drops.customers.count
        noteEvicted(drops)
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

    /// Notes every stored customer whose week tag can change from the journal's week on, so a week change
    /// updates them all; their states are read as the change reaches them (``completeWeekChange(appendingTo:)``).
    private func loadWeekWatchers() throws(EngineError) {
        let week = projection.clock.week ?? Int32.min
        do {
            try store.forEachCustomerID(watchingWeeksFrom: week) { id in projection.restore(watcher: id) }
        } catch {
            throw EngineError(
                .io, "state store: \(error)", remedy: "see the store error; the journal is untouched", cause: error)
        }
        weekWatchersLoaded = true
    }
}
