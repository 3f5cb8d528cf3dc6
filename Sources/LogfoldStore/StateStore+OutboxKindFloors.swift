internal import GRDB

extension StateStore {
    /// The outbox kinds a kinds' floor can name, each its bit in ``kindMask(_:)``: stored in
    /// `outbox_kind_floors`, so a kind keeps its place here for good; new kinds go at the end.
    static let floorKinds = ["event", "profile", "suppress", "unsuppress", "list_add", "list_remove"]

    /// The set of `kinds` as a mask of ``floorKinds``; `nil` when one is not among them (such a set reads
    /// from the outbox floor alone).
    static func kindMask(_ kinds: [String]) -> Int64? {
        var mask: Int64 = 0
        for kind in kinds {
            guard let bit = floorKinds.firstIndex(of: kind) else { return nil }
            mask |= 1 << Int64(bit)
        }
        return mask == 0 ? nil : mask
    }

    /// Moves the floor of `kinds` up to the first row of those kinds that may still be pending, and
    /// returns it.
    ///
    /// It is never below the outbox floor (every row below it is settled). `floor` is the outbox floor as
    /// the caller last read it, for the read that finds the floor staying; a move reads it again.
    ///
    /// The sender's two streams each start a pass here, not at the outbox floor, which the other stream's
    /// oldest pending row may hold far back. As with ``advanceOutboxFloor()``, a floor that stays (an idle
    /// stream's poll) is only read, and the walk to where it goes runs once, under the write lock; rows
    /// put back to pending lower every floor (``lowerOutboxFloor(to:_:)``).
    package func advanceKindFloor(_ kinds: [String], above floor: Int64) throws(StoreError) -> Int64 {
        guard let mask = Self.kindMask(kinds) else { return floor }
        let operation = "moving the outbox floor of kinds \(kinds.joined(separator: ", "))"
        let stays = try read(operation) { db in try Self.kindFloorStays(db, mask: mask, kinds: kinds, above: floor) }
        if let stays { return stays }
        return try write(operation) { db in
            // The outbox floor as it is now, under the write lock, not as the caller read it: a row put back
            // since (an operator's `retry`) lowered both floors, and the older value would skip it for good.
            let outboxFloor = try Self.storedFloor(db)
            let stored = try Self.storedKindFloor(db, mask: mask)
            let start = max(stored ?? outboxFloor, outboxFloor)
            let next = try Self.firstPending(db, kinds: kinds, from: start, path: path)
            if next != stored {
                try db.execute(
                    sql: "INSERT INTO outbox_kind_floors (kinds, ordinal) VALUES (?, ?) "
                        + "ON CONFLICT(kinds) DO UPDATE SET ordinal = excluded.ordinal",
                    arguments: [mask, next]
                )
            }
            return next
        }
    }

    private static func storedKindFloor(_ db: Database, mask: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT ordinal FROM outbox_kind_floors WHERE kinds = ?", arguments: [mask])
    }

    /// Where the floor of `kinds` is when it stays there, `nil` when it may move.
    ///
    /// It stays when the first row at or past it, of any kind, is a pending row of these kinds at the floor
    /// itself, or when there is no row past it: one row read, whatever the other kinds hold.
    private static func kindFloorStays(_ db: Database, mask: Int64, kinds: [String], above floor: Int64) throws
        -> Int64?
    {
        guard let stored = try storedKindFloor(db, mask: mask) else { return nil }
        let start = max(stored, floor)
        guard let first = try firstRow(db, from: start) else { return start }  // past the last row already
        return first.ordinal == start && first.pending && kinds.contains(first.kind) ? start : nil
    }

    /// The first row of `kinds` at or past `start` that is still pending, or past the last row when none
    /// is.
    private static func firstPending(_ db: Database, kinds: [String], from start: Int64, path: String) throws
        -> Int64
    {
        let kindIs = Array(repeating: "kind = ?", count: kinds.count).joined(separator: " OR ")
        let rows = try RawStatement(
            db,
            "SELECT ordinal, status = 'pending' FROM outbox WHERE (\(kindIs)) AND ordinal >= ? ORDER BY ordinal")
        for (index, kind) in kinds.enumerated() { rows.bind(Int32(index + 1), kind) }
        rows.bind(Int32(kinds.count + 1), start)
        return try firstPending(rows, from: start, db, path: path) {
            "walking the outbox to move the floor of kinds \(kinds.joined(separator: ", "))"
        }
    }
}
