extension StoreSchema {
    /// Delivery is recorded beside the outbox row, not on it (ADR 0005, decision 3).
    ///
    /// Marking a row delivered rewrote the whole row (its body included) and deleted its entry from
    /// `outbox_unsettled`: about 4 µs of the sender's CPU per row and the row's pages in the WAL of every
    /// marking. A delivered row now gets a record in `outbox_settled`, appended by ordinal; its own
    /// `status` stays `pending` (`dead` rows are still marked on the row: they are few, and an operator
    /// puts them back). `outbox_floor` keeps the first ordinal that may still be pending, so the sender's
    /// first window does not walk the rows delivered since.
    ///
    /// Pending rows are then read from the floor in ordinal order, by the table itself, and the status
    /// index keeps only the dead rows (``deadIndex``): a projection no longer adds an index entry per row,
    /// and the sender no longer steps from an index entry to its row. The upgrade copies the delivered
    /// rows' outcome and time into `outbox_settled` and builds the smaller index: two passes over the outbox.
    /// The view `outbox_with_status` shows each row with its delivery, for operators' queries.
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
        "DROP INDEX IF EXISTS outbox_unsettled",
        deadIndex,
        // For operators' SQL: every row with its delivery as `outbox --json` shows it.
        """
        CREATE VIEW outbox_with_status AS
        SELECT o.ordinal, o.key, o.kind, o.customer_id, o.metric, o.unique_id, o.time, o.value, o.list,
            o.source_seq, o.body,
            CASE WHEN s.ordinal IS NULL THEN o.status ELSE 'delivered' END AS status,
            o.attempts + (s.ordinal IS NOT NULL AND s.outcome IS NOT 'ledger' AND o.status <> 'delivered')
                AS attempts,
            o.last_error, coalesce(s.outcome, o.outcome) AS outcome,
            coalesce(s.delivered_at, o.delivered_at) AS delivered_at
        FROM outbox o LEFT JOIN outbox_settled s ON s.ordinal = o.ordinal
        """,
    ]

    /// A floor per set of kinds beside the outbox floor (since v16): `kinds` is the set as a mask
    /// (``StateStore/kindMask(_:)``), `ordinal` the first row of those kinds that may still be pending.
    ///
    /// The sender drains two streams of kinds. With one floor, the stream that had caught up started each
    /// pass where the other's oldest pending row held the floor, and walked every row after it: a profile
    /// stream waiting on a backlog of events walked the backlog on every poll.
    static let version16 = [
        "CREATE TABLE outbox_kind_floors (kinds INTEGER NOT NULL PRIMARY KEY, ordinal INTEGER NOT NULL)"
    ]

    /// The dead letters, for `outbox --status dead`, `retry` and the status page (since v15).
    static let deadIndex = "CREATE INDEX IF NOT EXISTS outbox_dead ON outbox(status) WHERE status = 'dead'"
}
