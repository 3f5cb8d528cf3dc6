/// One platform log entry that passed validation against input contract v1.
///
/// The value is what projectors fold; the original bytes stay in the journal. Snapshot fields
/// describe the platform's *current* data at ``at``, so a missing snapshot means "not reported",
/// never "cleared". Unknown JSON members are not represented here: they stay in the journal byte for
/// byte and projectors ignore them.
package struct LogEntry: Sendable, Hashable {
    /// The platform's log entry id: unique, positive, increasing in time with gaps.
    package var id: UInt64
    /// When it happened; reported to Klaviyo as the event time.
    package var at: Timestamp
    /// What happened (`order.created`, `login`, ...).
    ///
    /// Unknown types are valid entries.
    package var type: String
    /// Snapshot of the customer's current data.
    package var customer: CustomerSnapshot?
    /// Snapshot of the order's current data.
    package var order: OrderSnapshot?
    /// The checkout cart, for `started.signup`.
    package var cart: CartSnapshot?
    /// Type-specific data (reason, message, amount, ...), always a JSON object when present.
    package var data: JSONValue?

    /// Creates an entry from already validated parts.
    package init(
        id: UInt64,
        at: Timestamp,
        type: String,
        customer: CustomerSnapshot? = nil,
        order: OrderSnapshot? = nil,
        cart: CartSnapshot? = nil,
        data: JSONValue? = nil
    ) {
        self.id = id
        self.at = at
        self.type = type
        self.customer = customer
        self.order = order
        self.cart = cart
        self.data = data
    }
}

extension LogEntry {
    /// The order the entry is about: its `order` snapshot's id, or for an order event (`order.*`)
    /// without a snapshot, the `data.order_id` that names a stored order.
    package var orderReference: String? {
        if let order { return order.id }
        guard type.hasPrefix("order."), let reference = data?["order_id"] else { return nil }
        switch reference {
        case .string(let id) where !id.isEmpty: return id
        case .number(let literal): return literal
        default: return nil
        }
    }
}
