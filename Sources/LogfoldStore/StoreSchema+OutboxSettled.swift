extension StoreSchema {
    /// Delivery is recorded beside the outbox row, not on it (ADR 0005, decision 3).
    ///
    /// Marking a row delivered rewrote the whole row (its body included) and deleted its entry from
    /// `outbox_unsettled`: about 4 µs of the sender's CPU per row and the row's pages in the WAL of every
    /// marking. A delivered row now gets a record in `outbox_settled`, appended by ordinal; its own
    /// `status` stays `pending` (`dead` rows are still marked on the row: they are few, and an operator
    /// puts them back). `outbox_floor` keeps the first ordinal that may still be pending, so the sender's
    /// first window does not walk the rows delivered since. The upgrade copies the delivered rows' outcome
    /// and time into `outbox_settled`: one pass over the outbox.
    static let version15 = [
        """
        CREATE TABLE outbox_settled (
            ordinal INTEGER PRIMARY KEY,
            outcome TEXT,
            delivered_at INTEGER
        )
        """,
        "INSERT INTO outbox_settled (ordinal, outcome, delivered_at) "
            + "SELECT ordinal, outcome, delivered_at FROM outbox WHERE status = 'delivered'",
        "CREATE TABLE outbox_floor (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), ordinal INTEGER NOT NULL)",
    ]
}
