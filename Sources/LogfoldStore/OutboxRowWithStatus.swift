/// An outbox row together with its delivery columns, as the sender and the `outbox` command read it.
package struct OutboxRowWithStatus: Sendable, Hashable {
    /// The message as projection produced it.
    package var row: OutboxRow
    /// `pending`, `delivered` or `dead` (see ``OutboxStatus``).
    package var status: String
    /// How many times the sender tried to deliver it.
    package var attempts: Int
    /// Klaviyo's (or the transport's) error text from the last failed attempt.
    package var lastError: String?

    /// Why a delivered row counts as delivered: `accepted`, `deduplicated` (Klaviyo reported it already
    /// stored), `superseded` (a later message of the same customer replaced it) or `ledger` (a history
    /// rebuild found it in the delivery ledger).
    package var outcome: String?
    /// When it was marked delivered, unix seconds.
    package var deliveredAt: Int64?
    /// Creates a row with its delivery columns.
    package init(
        row: OutboxRow, status: String, attempts: Int, lastError: String?, outcome: String? = nil,
        deliveredAt: Int64? = nil
    ) {
        self.row = row
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.outcome = outcome
        self.deliveredAt = deliveredAt
    }
}

/// The values of the outbox's `status` column.
package enum OutboxStatus {
    /// Not yet accepted by Klaviyo; every row starts here.
    package static let pending = "pending"
    /// Klaviyo accepted it.
    package static let delivered = "delivered"
    /// Klaviyo refused it permanently; an operator may inspect and retry it.
    package static let dead = "dead"
}
