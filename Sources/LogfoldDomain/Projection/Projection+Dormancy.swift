/// Customers left in their encoded form while the fold is not working with them, so that its memory
/// follows the customers it is busy with, not every customer the journal has named.
///
/// In memory a customer takes 2 to 4 KB with its strings, the profile last sent and its snapshot in the
/// decoding memo; encoded by ``ProjectionCodec`` (the form the store keeps) it takes 440 to 540 bytes
/// (measured on synthetic journals). Setting one aside and waking it are exact, since the codec gives back
/// an equal state (the warm start relies on that too), so the fold's messages never depend on which
/// customers were set aside, or when.
extension Projection {
    /// How many customers are in memory, decoded.
    package var hotCustomerCount: Int { customers.count }

    /// How many customers are set aside, encoded.
    package var dormantCustomerCount: Int { dormantCustomers.count }

    /// The customer's state, whether in memory or set aside; `nil` for a customer the fold has not seen.
    package func customer(_ id: String) -> CustomerState? {
        if let hot = customers[id] { return hot }
        return dormantCustomers[id].map(Self.wake)
    }

    /// `body`'s result for the customer's state, whether in memory or set aside; `nil` for a customer the
    /// fold has not seen.
    ///
    /// A customer in memory is moved out for the call and back, not copied: a copy retains and releases
    /// every string and array it holds, which was a seventieth of a replay's fold on the synthetic year,
    /// where every batch writes the rows of thousands of customers. While `body` runs, the projection holds
    /// a placeholder for the customer and is being mutated: `body` must not use the projection.
    package mutating func withCustomer<Result>(_ id: String, _ body: (CustomerState) -> Result) -> Result? {
        guard let slot = customers.index(forKey: id) else { return dormantCustomers[id].map(Self.wake).map(body) }
        var moved = CustomerState(id: "")
        swap(&moved, &customers.values[slot])
        defer { swap(&moved, &customers.values[slot]) }
        return body(moved)
    }

    /// Once more than `limit` customers are in memory, sets aside those changed longest ago until a
    /// quarter of `limit` is free again; returns the ids set aside, sorted.
    ///
    /// Freeing a quarter at a time keeps the sort this takes to rare moments: the next one comes after
    /// `limit / 4` more customers were woken or met.
    package mutating func setAsideCustomers(keepingAtMost limit: Int) -> [String] {
        guard customers.count > max(0, limit) else { return [] }
        let keep = max(0, limit - limit / 4)
        // Oldest change first; the id breaks ties, so that the choice is the same in every run.
        let oldest = customers.values.map { (lastSeq: $0.lastSeq, id: $0.id) }
            .sorted { ($0.lastSeq, $0.id) < ($1.lastSeq, $1.id) }
            .prefix(customers.count - keep)
        var ids: [String] = []
        ids.reserveCapacity(oldest.count)
        for candidate in oldest {
            guard let slot = customers.index(forKey: candidate.id), setAside(slot) else { continue }
            ids.append(candidate.id)
        }
        // A dictionary keeps its largest capacity: the one a batch meeting every customer grew it to.
        customers.releaseSpareCapacity(
            above: 2 * max(customers.count, limit) + 64, keepingRoomFor: max(customers.count, limit))
        return ids.sorted()
    }

    /// Sets the customer at `slot` aside; `false`, keeping it in memory, if its bytes would not decode.
    ///
    /// Checked here so that waking it cannot fail: the decoder is a pure function of the bytes.
    @discardableResult
    mutating func setAside(_ slot: Dictionary<String, CustomerState>.Index) -> Bool {
        let bytes = ProjectionCodec.encode(customers.values[slot])
        // A codec defect must cost memory, never state.
        guard (try? ProjectionCodec.decodeCustomer(bytes)) != nil else { return false }
        dormantCustomers[customers.keys[slot]] = bytes
        customers.remove(at: slot)
        return true
    }

    /// The customer's slot in memory, waking it first if it was set aside; `nil` for one never seen.
    mutating func wakeCustomer(_ id: String) -> Dictionary<String, CustomerState>.Index? {
        if let slot = customers.index(forKey: id) { return slot }
        guard let bytes = dormantCustomers.removeValue(forKey: id) else { return nil }
        customers[id] = Self.wake(bytes)
        return customers.index(forKey: id)
    }

    private static func wake(_ bytes: [UInt8]) -> CustomerState {
        do {
            return try ProjectionCodec.decodeCustomer(bytes)
        } catch {
            // Unreachable: `setAside` decoded these very bytes before keeping them.
            preconditionFailure("a customer set aside no longer decodes: \(error)")
        }
    }
}
