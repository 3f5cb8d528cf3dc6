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

    /// A store at `path` holding `entries` entries of ``batches(entries:size:reversed:)``, ten a batch.
    static func filled(at path: String, entries: UInt64 = 40) throws -> StateStore {
        let store = try StateStore(path: path)
        for batch in batches(entries: entries, size: 10) { _ = try store.commit(batch, projector: "main") }
        return store
    }

    /// Statements that take a store back to how version 14 kept delivery: on the row (status, outcome, time,
    /// one more attempt), no record beside it, no floors, the v12 status index; v15 and v16 forgotten.
    static let backToVersion14 = [
        "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, "
            + "outcome = (SELECT outcome FROM outbox_settled s WHERE s.ordinal = outbox.ordinal), "
            + "delivered_at = (SELECT delivered_at FROM outbox_settled s WHERE s.ordinal = outbox.ordinal) "
            + "WHERE ordinal IN (SELECT ordinal FROM outbox_settled)",
        "DROP VIEW outbox_with_status", "DROP TABLE outbox_settled", "DROP TABLE outbox_floor",
        "DROP INDEX IF EXISTS outbox_dead",
        StoreSchema.unsettledIndex,
        "DELETE FROM grdb_migrations WHERE identifier = 'v15-outbox-settled'",
        "DROP TABLE outbox_kind_floors", "DELETE FROM grdb_migrations WHERE identifier = 'v16-outbox-kind-floors'",
    ]
}
