/// What one projector batch changed: the touched state rows, the new messages and the checkpoint move.
///
/// ``StateStore/commit(_:projector:)`` writes it in one transaction, so a crash keeps all of it or none.
package struct ProjectionBatch: Sendable, Hashable {
    /// Every customer the batch changed, each once, in its final state.
    package var customers: [CustomerRow]
    /// Every order the batch changed, each once, in its final state.
    package var orders: [OrderRow]
    /// The messages the batch produced, in ordinal order (any order is accepted).
    package var outbox: [OutboxRow]
    /// The checkpoint the projector read before folding: the commit fails if it moved since.
    package var fromSeq: UInt64
    /// The checkpoint after this batch: the seq of its last entry.
    package var toSeq: UInt64

    /// Creates a batch.
    package init(
        customers: [CustomerRow] = [],
        orders: [OrderRow] = [],
        outbox: [OutboxRow] = [],
        fromSeq: UInt64,
        toSeq: UInt64
    ) {
        self.customers = customers
        self.orders = orders
        self.outbox = outbox
        self.fromSeq = fromSeq
        self.toSeq = toSeq
    }
}
