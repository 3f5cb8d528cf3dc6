/// The statements the store runs, in one place so the column orders the binders and readers rely on
/// stay next to each other.
enum SQL {
    /// The customer columns in binding and reading order (``CustomerRow``'s field order).
    static let customerColumns = [
        "id", "email", "first_name", "last_name", "status", "schedule", "box", "signup_date", "next_delivery",
        "cancel_date", "week_tag", "subscribed", "suppressed", "missed_signup", "lists", "last_seq", "state",
        "order_week", "shared_identifiers",
    ]

    /// The order columns in binding and reading order.
    static let orderColumns = ["id", "customer_id", "stage", "total", "currency", "placed_seq", "last_seq", "state"]

    /// The outbox columns projection writes, in binding and reading order; the digest covers exactly these.
    static let outboxColumns = [
        "ordinal", "key", "kind", "customer_id", "metric", "unique_id", "time", "value", "list", "source_seq", "body",
    ]

    /// The store's own delivered events while delivery was written on the row (schema v13 and v14).
    ///
    /// What the v13 upgrade reads, and ``StateStore/importLedger(fromStoreAt:)`` from an older store. It
    /// never changes, as migrations never do.
    static let ownDeliveredEventOnTheRow =
        "kind = 'event' AND status = 'delivered' AND outcome IN ('accepted', 'deduplicated')"

    /// The store's own delivered events since v15, the ledger's part that is not in `delivery_ledger`:
    /// outbox rows (`o`) with an `outbox_settled` record (`s`) whose outcome reached Klaviyo.
    static let ownDeliveredEvent = "o.kind = 'event' AND s.outcome IN ('accepted', 'deduplicated')"

    /// The outbox columns the sender writes, read after ``outboxColumns``: a delivered row's are in
    /// `outbox_settled` (`s`), the others' on the row (`o`) (``selectOutbox``).
    static let deliveryColumns = [
        "CASE WHEN s.ordinal IS NULL THEN o.status ELSE 'delivered' END",
        // Delivery counted an attempt, except the ledger's (nothing was sent); rows delivered before v15
        // counted theirs on the row.
        "o.attempts + (s.ordinal IS NOT NULL AND s.outcome IS NOT 'ledger' AND o.status <> 'delivered')",
        "o.last_error", "coalesce(s.outcome, o.outcome)", "coalesce(s.delivered_at, o.delivered_at)",
    ]

    /// What each outbox status means over `outbox o LEFT JOIN outbox_settled s` (``selectOutbox``): a
    /// delivered row is one `outbox_settled` holds; the row's own `status` says pending or dead.
    static func outboxStatus(_ status: String) -> String {
        switch status {
        case "delivered": "s.ordinal IS NOT NULL"
        case "pending": "o.status = 'pending' AND s.ordinal IS NULL"
        default: "o.status = ? AND s.ordinal IS NULL"
        }
    }

    /// A dead row in queries on `outbox` alone: dead on the row, and no delivery record (a record wins).
    static let deadOnTheRow =
        "status = 'dead' AND NOT EXISTS (SELECT 1 FROM outbox_settled s WHERE s.ordinal = outbox.ordinal)"

    /// In an `UPDATE outbox` that removes the row's delivery record: the attempt that delivery counted
    /// (1 or 0), so the row keeps it on the row.
    static let attemptOfRecord =
        "(status <> 'delivered' AND EXISTS (SELECT 1 FROM outbox_settled s "
        + "WHERE s.ordinal = outbox.ordinal AND s.outcome IS NOT 'ledger'))"

    /// The first ordinal that may still be pending: every row below it is delivered or dead
    /// (`outbox_floor`, 0 when it has no row).
    static let outboxFloor = "(SELECT coalesce(max(ordinal), 0) FROM outbox_floor)"

    static let upsertCustomer = upsert("customers", customerColumns)
    static let upsertOrder = upsert("orders", orderColumns)

    static let insertOutbox = """
        INSERT INTO outbox (\(outboxColumns.joined(separator: ", ")))
        VALUES (\(placeholders(outboxColumns.count))) ON CONFLICT(key) DO NOTHING
        """

    /// ``insertOutbox`` without the conflict clause, for a bulk load (the key index is away).
    static let appendOutbox = """
        INSERT INTO outbox (\(outboxColumns.joined(separator: ", "))) VALUES (\(placeholders(outboxColumns.count)))
        """

    static let moveCheckpoint = """
        INSERT INTO checkpoints (name, seq, last_id, last_crc) VALUES (?, ?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, last_id = excluded.last_id, last_crc = excluded.last_crc
        """

    static let moveClock = """
        INSERT INTO journal_clocks (name, week, sweeping, swept_through) VALUES (?, ?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET week = excluded.week, sweeping = excluded.sweeping,
            swept_through = excluded.swept_through
        """

    static let claimIdentifier = """
        INSERT INTO identifier_owners (identifier, customer_id) VALUES (?, ?)
        ON CONFLICT(identifier) DO UPDATE SET customer_id = excluded.customer_id
        """

    static let releaseIdentifier = "DELETE FROM identifier_owners WHERE identifier = ?"

    static let selectCustomers = "SELECT \(customerColumns.joined(separator: ", ")) FROM customers"
    static let selectOrders = "SELECT \(orderColumns.joined(separator: ", ")) FROM orders"
    /// ``selectOutbox`` for the sender's window of pending rows: no dedupe key (an empty one), and a
    /// pending row's delivery columns.
    static let selectPendingOutbox =
        "SELECT \((outboxColumns.map { $0 == "key" ? "''" : "o." + $0 }).joined(separator: ", ")), "
        + "'pending', o.attempts, o.last_error, NULL, NULL "
        + "FROM outbox o LEFT JOIN outbox_settled s ON s.ordinal = o.ordinal"

    /// Outbox rows with their delivery columns: the row (`o`) and its delivery record (`s`), if any.
    static let selectOutbox =
        "SELECT \((outboxColumns.map { "o." + $0 } + deliveryColumns).joined(separator: ", ")) "
        + "FROM outbox o LEFT JOIN outbox_settled s ON s.ordinal = o.ordinal"

    /// `INSERT … ON CONFLICT(id) DO UPDATE SET` every other column: the row is written whole.
    private static func upsert(_ table: String, _ columns: [String]) -> String {
        let updates = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders(columns.count)))
            ON CONFLICT(id) DO UPDATE SET \(updates)
            """
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
