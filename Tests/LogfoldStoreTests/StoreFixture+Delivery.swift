@testable import LogfoldStore

extension StoreFixture {
    /// Writes the delivery columns of one outbox row, as the sender will.
    static func deliver(
        _ store: StateStore,
        ordinal: UInt64,
        status: String,
        attempts: Int = 1,
        lastError: String? = nil
    ) throws {
        try store.write("test: setting a delivery status") { db in
            let statement = try RawStatement(
                db,
                "UPDATE outbox SET status = ?, attempts = ?, last_error = ? WHERE ordinal = ?"
            )
            statement.bind(1, status)
            statement.bind(2, Int64(attempts))
            statement.bind(3, lastError)
            statement.bind(4, ordinal)
            try statement.execute(path: store.path) { "test" }
            // Since v15 a delivered row is one with a record in `outbox_settled`, as `settle` writes it.
            let record = try RawStatement(
                db,
                status == OutboxStatus.delivered
                    ? "INSERT OR REPLACE INTO outbox_settled (ordinal, outcome, delivered_at) VALUES (?, 'accepted', 0)"
                    : "DELETE FROM outbox_settled WHERE ordinal = ?")
            record.bind(1, ordinal)
            try record.execute(path: store.path) { "test" }
        }
    }
}
