/// Customers dropped from memory altogether once the store holds them as they are, so that the fold's
/// memory follows the customers it is busy with, not every customer the journal has named.
///
/// A customer set aside (``setAsideCustomers(keepingAtMost:)``) still takes about 600 bytes with its
/// dictionary slot and the identifiers it owns; a journal of years names customers by the hundred
/// thousand, and a subscription business's active ones all watch the weeks. Evicting one is exact only
/// when its caller reads it back from the store before the next entry about it (a warm start's reads) and
/// when a week change asks for it (``weekChangeWants``, a few thousand at a time), which is
/// why the choice of whom is the caller's: ``evictSetAsideCustomers(committedThrough:keepingAtMost:unless:)``
/// never drops a customer changed after what the store holds. A watcher's id stays in ``watchers``.
extension Projection {
    /// What one eviction dropped.
    package struct Eviction: Sendable, Hashable {
        /// The customers dropped, sorted.
        package var customers: [String] = []
        /// The identifier owner keys dropped with them (each owned by one of them), sorted.
        package var ownerKeys: [String] = []
    }

    /// Once more than `limit` customers are set aside, drops from memory those changed longest ago until a
    /// quarter of `limit` is free again, of those the store holds as they are; returns whom and which
    /// owner keys.
    ///
    /// A customer stays when it changed after `committed` (the store has an older state) or when `busy`
    /// names it (the caller's batches not yet committed touched it). The owner keys dropped are those the
    /// customer owns: only its own entries set them, so the store holds them as they are too. Which
    /// customers go never changes a message, given that the caller loads a customer and the owners of its
    /// identifiers from the store before folding an entry about them, and those a week change asks for
    /// (``weekChangeWants``) before it resumes.
    package mutating func evictSetAsideCustomers(
        committedThrough committed: UInt64, keepingAtMost limit: Int, unless busy: (String) -> Bool
    ) -> Eviction {
        let limit = max(0, limit)
        guard dormantCustomers.count > limit else { return Eviction() }
        var candidates: [(lastSeq: UInt64, id: String, keys: [String])] = []
        for (id, bytes) in dormantCustomers where !busy(id) {
            // Bytes that were checked when set aside; a customer that no longer decodes simply stays.
            guard let state = try? ProjectionCodec.decodeCustomer(bytes), state.lastSeq <= committed else { continue }
            let keys = [
                state.identity.email.flatMap(IdentifierKey.email), state.identity.phone.flatMap(IdentifierKey.phone),
            ]
            candidates.append((state.lastSeq, id, keys.compactMap { $0 }.filter { identifierOwners[$0] == id }))
        }
        // Oldest change first, the least likely to come back soon; the id breaks ties, so that the choice
        // is the same in every run.
        candidates.sort { ($0.lastSeq, $0.id) < ($1.lastSeq, $1.id) }
        var eviction = Eviction()
        for candidate in candidates.prefix(dormantCustomers.count - (limit - limit / 4)) {
            eviction.customers.append(candidate.id)
            eviction.ownerKeys += candidate.keys
        }
        guard !eviction.customers.isEmpty else { return eviction }
        for id in eviction.customers { dormantCustomers[id] = nil }
        for key in eviction.ownerKeys { identifierOwners[key] = nil }
        dormantCustomers.releaseSpareCapacity(
            above: 2 * dormantCustomers.count + 64, keepingRoomFor: dormantCustomers.count)
        identifierOwners.releaseSpareCapacity(
            above: 2 * identifierOwners.count + 64, keepingRoomFor: identifierOwners.count)
        eviction.customers.sort()
        eviction.ownerKeys.sort()
        return eviction
    }

    /// Puts back, set aside, a customer read from the store.
    ///
    /// `customer` is decoded from `bytes`, its ``ProjectionCodec`` encoding. For a week change's customers,
    /// so that bringing them back costs what they take encoded; one held already is newer than the store
    /// and stays.
    package mutating func restore(setAside customer: CustomerState, encoded bytes: [UInt8]) {
        if customer.watchesWeeks(from: clock.week ?? .min) { watchers.insert(customer.id) }
        guard customers.index(forKey: customer.id) == nil, dormantCustomers.index(forKey: customer.id) == nil
        else { return }
        dormantCustomers[customer.id] = bytes
    }

    /// Notes that the store holds a customer whose week tag can change, without reading its state: a warm
    /// start's week change asks for the customers as it reaches them (``weekChangeWants``).
    package mutating func restore(watcher id: String) { watchers.insert(id) }

    /// The customer's current email and phone and which of them it shares, waking it if it was set aside;
    /// `nil` for a customer the fold has not seen.
    ///
    /// Read in place: reading through `customers.values[slot]` copied the whole state (and retained and
    /// released each of its strings); an `inout` access borrows it.
    package mutating func identifiers(ofCustomer id: String) -> (
        email: String?, phone: String?, shared: SharedIdentifiers
    )? {
        guard let slot = wakeCustomer(id) else { return nil }
        return Self.identifiers(of: &customers.values[slot])
    }

    private static func identifiers(of customer: inout CustomerState) -> (
        email: String?, phone: String?, shared: SharedIdentifiers
    ) {
        (customer.identity.email, customer.identity.phone, customer.shared)
    }
}
