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
        // One row read tells whether the floor moves; the walk to where it goes runs once, under the write
        // lock (walking under the read as well doubled the cost of every pass that ends at the outbox's end).
        let stays = try read("reading the outbox floor") { db in try Self.floorStays(db) }
        if let stays { return stays }
        return try write("moving the outbox floor") { db in
            // Rows put back since the read lower the floor; the walk starts from the floor stored now.
            let (floor, next) = try Self.nextOutboxFloor(db, path: path)
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

    /// The stored floor when it stays where it is, `nil` when it may move.
    ///
    /// It stays when the first row at or past it is still pending, or when there is no row past it.
    private static func floorStays(_ db: Database) throws -> Int64? {
        let floor = try storedFloor(db)
        guard let first = try firstRow(db, from: floor) else { return floor }  // past the last row already
        return first.ordinal == floor && first.pending ? floor : nil
    }

    /// The first row at or past `start`: its ordinal, its kind, and whether it is still pending.
    static func firstRow(_ db: Database, from start: Int64) throws -> (ordinal: Int64, kind: String, pending: Bool)? {
        let first = try Row.fetchOne(
            db,
            sql: "SELECT o.ordinal, o.kind, o.status = 'pending' "
                + "AND NOT EXISTS (SELECT 1 FROM outbox_settled s WHERE s.ordinal = o.ordinal) "
                + "FROM outbox o WHERE o.ordinal >= ? ORDER BY o.ordinal LIMIT 1",
            arguments: [start]
        )
        return first.map { ($0[0], $0[1], $0[2]) }
    }

    /// The outbox floor as stored (0 before the sender's first pass).
    static func storedFloor(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT ordinal FROM outbox_floor WHERE id = 1") ?? 0
    }

    /// The stored floor, and where it should be: the first row still pending at or past it, or past the
    /// last row when none is (where the next row projected will be).
    private static func nextOutboxFloor(_ db: Database, path: String) throws -> (floor: Int64, next: Int64) {
        let floor = try storedFloor(db)
        let rows = try RawStatement(
            db, "SELECT ordinal, status = 'pending' FROM outbox WHERE ordinal >= ? ORDER BY ordinal")
        rows.bind(1, floor)
        return (floor, try firstPending(rows, from: floor, db, path: path) { "walking the outbox to move its floor" })
    }

    /// The first of `rows` (ordinal and whether its status is `pending`, in ordinal order from `start`)
    /// that is still pending, or past the outbox's last row (and never below `start`) when none is.
    ///
    /// The rows and their delivery records are read side by side in ordinal order, as a merge: a lookup
    /// of each row's record cost about 2 µs a row, the whole walk 6% of a send of a store's history.
    static func firstPending(
        _ rows: RawStatement, from start: Int64, _ db: Database, path: String, _ operation: () -> String
    ) throws -> Int64 {
        let records = try RawStatement(db, "SELECT ordinal FROM outbox_settled WHERE ordinal >= ? ORDER BY ordinal")
        records.bind(1, start)
        defer { records.reset() }
        var record: Int64? = try records.step(path: path, operation) ? records.int64(0) : nil
        var firstPending: Int64?
        try rows.forEachRowWhile(path: path, operation) { row in
            let ordinal = row.int64(0)
            while let settled = record, settled < ordinal {
                record = try records.step(path: path, operation) ? records.int64(0) : nil
            }
            // Delivered (a record) or dead: passed. Otherwise the walk stops here.
            if record == ordinal || !row.bool(1) { return true }
            firstPending = ordinal
            return false
        }
        if let firstPending { return firstPending }
        let last = try Int64.fetchOne(db, sql: "SELECT max(ordinal) FROM outbox") ?? -1
        return max(start, last + 1)
    }
}
