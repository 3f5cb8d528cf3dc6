internal import GRDB

extension StateStore {
    /// Moves the outbox floor up to the first row that may still be pending, and returns it.
    ///
    /// Every row below the floor is delivered or dead. Since schema v15 a delivered row keeps `pending` on
    /// the row (its record is in `outbox_settled`), so the sender's first window of a pass starts at the
    /// floor instead of walking every row delivered before. The walk starts where the floor was, so over
    /// a store's life each row is passed about once; putting rows back to pending lowers it
    /// (``retryDead(keys:)``, ``closeImportJob(_:status:dead:resend:phoneConflicts:at:)``, a commit of
    /// rows below it). When the floor stays where it is (an idle sender's every poll) this only reads: no
    /// write transaction waits behind the projector's.
    @discardableResult
    package func advanceOutboxFloor() throws(StoreError) -> Int64 {
        let seen = try read("reading the outbox floor") { db in try Self.nextOutboxFloor(db) }
        guard seen.next != seen.floor else { return seen.floor }
        return try write("moving the outbox floor") { db in
            // Again under the write lock: rows put back since the read may lie below what it found.
            let (floor, next) = try Self.nextOutboxFloor(db)
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

    /// The stored floor, and where it should be: the first row still pending at or past it, or past the
    /// last row when none is (where the next row projected will be).
    private static func nextOutboxFloor(_ db: Database) throws -> (floor: Int64, next: Int64) {
        let floor = try Int64.fetchOne(db, sql: "SELECT ordinal FROM outbox_floor WHERE id = 1") ?? 0
        let firstPending = try Int64.fetchOne(
            db,
            sql: "SELECT o.ordinal FROM outbox o WHERE o.status = 'pending' AND o.ordinal >= ? "
                + "AND NOT EXISTS (SELECT 1 FROM outbox_settled s WHERE s.ordinal = o.ordinal) "
                + "ORDER BY o.ordinal LIMIT 1",
            arguments: [floor]
        )
        if let firstPending { return (floor, firstPending) }
        let last = try Int64.fetchOne(db, sql: "SELECT max(ordinal) FROM outbox") ?? -1
        return (floor, max(floor, last + 1))
    }
}
