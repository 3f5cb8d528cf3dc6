internal import GRDB

extension StateStore {
    /// Moves the outbox floor up to the first row that may still be pending, and returns it.
    ///
    /// Every row below the floor is delivered or dead. Since schema v15 a delivered row keeps `pending` on
    /// the row (its record is in `outbox_settled`), so the sender's first window of a pass starts at the
    /// floor instead of walking every row delivered before. The walk starts where the floor was, so over
    /// a store's life each row is passed about once; putting rows back to pending lowers it
    /// (``retryDead(keys:)``, ``closeImportJob(_:status:dead:resend:phoneConflicts:at:)``).
    @discardableResult
    package func advanceOutboxFloor() throws(StoreError) -> Int64 {
        try write("moving the outbox floor") { db in
            let floor = try Int64.fetchOne(db, sql: "SELECT ordinal FROM outbox_floor WHERE id = 1") ?? 0
            let firstPending = try Int64.fetchOne(
                db,
                sql: "SELECT o.ordinal FROM outbox o WHERE o.status = 'pending' AND o.ordinal >= ? "
                    + "AND NOT EXISTS (SELECT 1 FROM outbox_settled s WHERE s.ordinal = o.ordinal) "
                    + "ORDER BY o.ordinal LIMIT 1",
                arguments: [floor]
            )
            // Nothing pending: past the last row, where the next one projected will be.
            let next =
                try firstPending ?? max(floor, (Int64.fetchOne(db, sql: "SELECT max(ordinal) FROM outbox") ?? -1) + 1)
            if next != floor {
                try db.execute(
                    sql: "INSERT INTO outbox_floor (id, ordinal) VALUES (1, ?) "
                        + "ON CONFLICT(id) DO UPDATE SET ordinal = excluded.ordinal",
                    arguments: [next]
                )
            }
            return next
        }
    }
}
