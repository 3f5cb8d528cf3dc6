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

    /// The outbox rows that are the store's own delivered events, the ledger's part that is not in
    /// `delivery_ledger` (``StateStore/settle(_:ledger:job:at:)``).
    static let ownDeliveredEvent =
        "kind = 'event' AND status = 'delivered' AND outcome IN ('accepted', 'deduplicated')"

    /// The outbox columns the sender writes, read after ``outboxColumns``.
    static let deliveryColumns = ["status", "attempts", "last_error", "outcome", "delivered_at"]

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
    static let selectOutbox = "SELECT \((outboxColumns + deliveryColumns).joined(separator: ", ")) FROM outbox"

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
