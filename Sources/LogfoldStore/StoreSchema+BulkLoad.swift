extension StoreSchema {
    /// One outbox table's indexes that a bulk load drops and ``StateStore/endBulkLoad()`` rebuilds.
    struct BulkLoadIndexes: Sendable {
        /// The outbox table.
        var table: String
        /// The unique index on the dedupe key, for an outbox that has one: its name and its `CREATE` statement.
        var key: (name: String, create: String)?
        /// The per-customer index.
        var customer: (name: String, create: String)
        /// The sender's queue index, for an outbox that has one (ActiveCampaign's ``activeCampaignUnsettledIndex``).
        var queue: (name: String, create: String)? = nil
    }

    /// Indexes a bulk load drops and ``StateStore/endBulkLoad()`` rebuilds, per outbox table.
    ///
    /// Their inserts land at random places, so each batch would rewrite pages all over them, at a cost
    /// growing with the outbox (ADR 0003). ``StateStore/endBulkLoad()`` drops repeated keys before building
    /// a key index. ActiveCampaign's queue index takes every row a replay writes (all are pending): kept
    /// live it cost the committing thread 4,900 instructions a row; built at the end it costs the folding
    /// thread about 3,100 a row (1.4 s for the synthetic year), and the replay's wall did not change.
    static let bulkLoadIndexes = [
        BulkLoadIndexes(
            table: "outbox", key: ("outbox_by_key", keyIndex), customer: ("outbox_by_customer", customerIndex)),
        BulkLoadIndexes(
            table: "activecampaign_outbox", key: nil,
            customer: ("activecampaign_outbox_by_customer", activeCampaignCustomerIndex),
            queue: ("activecampaign_outbox_unsettled", activeCampaignUnsettledIndex)),
    ]

    /// The names of every index in ``bulkLoadIndexes``.
    static var bulkLoadIndexNames: [String] {
        bulkLoadIndexes.flatMap { [$0.key?.name, $0.customer.name, $0.queue?.name].compactMap { $0 } }
    }
}
