/// One platform order as the store keeps it: its stage and money as columns, plus the full state blob.
///
/// Like ``CustomerRow``, the columns are copies for people and SQL; ``state`` is what the projector
/// reloads.
package struct OrderRow: Sendable, Hashable {
    /// The platform's order id, the primary key (`orders.id`).
    package var id: String
    /// The customer who placed it, when known (`customer_id`).
    package var customerID: String?
    /// Where the order is: `placed`, `cancelled`, `fulfilled`, `refunded`… (`stage`).
    package var stage: String
    /// The order total as exact decimal text, for example `47.95` (`total`).
    package var total: String?
    /// The ISO 4217 currency of ``total`` (`currency`).
    package var currency: String?
    /// The journal seq of the entry that placed it, `nil` until it was sent as placed (`placed_seq`).
    package var placedSeq: UInt64?
    /// The journal seq of the last entry that changed it (`last_seq`).
    package var lastSeq: UInt64
    /// The domain's encoded order state (`state`).
    package var state: [UInt8]

    /// Creates a row.
    package init(
        id: String,
        customerID: String? = nil,
        stage: String,
        total: String? = nil,
        currency: String? = nil,
        placedSeq: UInt64? = nil,
        lastSeq: UInt64,
        state: [UInt8]
    ) {
        self.id = id
        self.customerID = customerID
        self.stage = stage
        self.total = total
        self.currency = currency
        self.placedSeq = placedSeq
        self.lastSeq = lastSeq
        self.state = state
    }
}
