internal import GRDB
internal import LogfoldCrashPoints

extension StateStore {
    /// Marks rows delivered or dead and counts the events they deliver, in one transaction: what one
    /// Klaviyo answer settled is kept whole or not at all.
    ///
    /// A delivered row gets a record in `outbox_settled` (ordinal, outcome, time), appended by ordinal; the
    /// row itself is not rewritten (schema v15, ADR 0005 decision 3). A dead row is marked on the row.
    ///
    /// `ledger` names the marks that deliver events. The store's own delivered events are their outbox
    /// rows (kind `event`, delivered, outcome `accepted` or `deduplicated`): nothing is copied into
    /// `delivery_ledger`, which holds only what a replay carried over. Each ledger insert landed on a random
    /// page of that table's text key, about 2–4 µs of the sender's CPU per event and a WAL page per event
    /// per commit (docs/performance.md, ninth session). Only rows this call moves to delivered are
    /// counted, and not those the carried-over ledger already holds, so ``ledgerCount()`` stays exact.
    ///
    /// `job` records a Klaviyo bulk import job whose per-profile errors the sender reads later, with the
    /// rows each profile of its request settled.
    package func settle(
        _ marks: [DeliveryMark], ledger: [LedgerEntry], job: ImportJob? = nil, at time: Int64
    ) throws(StoreError) {
        guard !marks.isEmpty || !ledger.isEmpty || job != nil else { return }
        try write("marking \(marks.count) outbox rows") { db in
            if let job {
                try db.execute(
                    sql: "INSERT INTO klaviyo_jobs (id, created_at, rows) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    arguments: [job.id, time, job.encodedRows]
                )
            }
            // Which marks deliver events, by ordinal to the entry's index: a dictionary of the entries themselves
            // copied each one's three strings, for every answer.
            var eventAt: [UInt64: Int] = [:]
            eventAt.reserveCapacity(ledger.count)
            for (index, entry) in ledger.enumerated() where eventAt[entry.ordinal] == nil {
                eventAt[entry.ordinal] = index
            }
            var newlyDelivered: [Int] = []
            // A row delivered before keeps its first record: marking it again changes nothing. Runs of
            // delivered rows of one outcome go in by the statement-full (``DeliveryRecords``), and only the
            // rows SQLite did insert come back: one statement run per row was a fifth of marking's time.
            var records = DeliveryRecords(time: time)
            var dead: (row: RawStatement, record: RawStatement)?
            for mark in marks {
                if let outcome = mark.outcome {
                    try records.add(mark.ordinal, outcome, db, path: path) { ordinal in
                        if let event = eventAt[ordinal] { newlyDelivered.append(event) }
                    }
                } else {
                    // In order: a record written before this mark must be there for it to delete.
                    try records.flush(db, path: path) { ordinal in
                        if let event = eventAt[ordinal] { newlyDelivered.append(event) }
                    }
                    let statements = try dead ?? Self.deadLetterStatements(db)
                    dead = statements
                    statements.row.bind(1, mark.error)
                    statements.row.bind(2, mark.ordinal)
                    try statements.row.execute(path: path) { "marking outbox row \(mark.ordinal) dead" }
                    statements.record.bind(1, mark.ordinal)
                    try statements.record.execute(path: path) { "marking outbox row \(mark.ordinal) dead" }
                }
            }
            try records.flush(db, path: path) { ordinal in
                if let event = eventAt[ordinal] { newlyDelivered.append(event) }
            }
            try countDelivered(newlyDelivered.lazy.map { ledger[$0] }, count: newlyDelivered.count, db)
            CrashPoint.sendMarkingInside.reach()
        }
        CrashPoint.sendMarkingAfter.reach()
    }

    /// Marks a row dead: on the row, with its delivery record (if an import job failed it later) gone.
    private static func deadLetterStatements(_ db: Database) throws -> (
        row: RawStatement, record: RawStatement
    ) {
        (
            try RawStatement(
                db,
                "UPDATE outbox SET status = 'dead', last_error = ?, attempts = attempts + 1 + \(SQL.attemptOfRecord) "
                    + "WHERE ordinal = ?"),
            try RawStatement(db, "DELETE FROM outbox_settled WHERE ordinal = ?")
        )
    }

    /// Adds the events to the store's count of its own delivered events, less those the carried-over
    /// ledger holds (an event sent again after `replay --into`, without `--history`: counted there).
    private func countDelivered(
        _ events: some Sequence<LedgerEntry>, count newlyDelivered: Int, _ db: Database
    ) throws {
        guard newlyDelivered > 0 else { return }
        var count = newlyDelivered
        let carried = try RawStatement(db, "SELECT 1 FROM delivery_ledger LIMIT 1")
        var anyCarried = false
        try carried.forEachRowWhile(path: path, { "reading the carried-over delivery ledger" }) { _ in
            anyCarried = true
            return false
        }
        if anyCarried {
            let held = try RawStatement(
                db, "SELECT 1 FROM delivery_ledger WHERE metric = ? AND unique_id = ? AND profile_key = ?")
            for event in events {
                held.bind(1, event.metric)
                held.bind(2, event.uniqueID)
                held.bind(3, event.profileKey)
                try held.forEachRowWhile(path: path, { "looking up \(event.uniqueID) in the delivery ledger" }) { _ in
                    count -= 1
                    return false
                }
            }
        }
        let add = try RawStatement(db, "UPDATE delivered_event_count SET events = events + ? WHERE id = 1")
        add.bind(1, Int64(count))
        try add.execute(path: path) { "counting \(count) delivered events" }
    }

    /// Counts a failed attempt on rows that stay pending, with the error that explains it.
    package func recordFailedAttempt(_ ordinals: [UInt64], error: String) throws(StoreError) {
        guard !ordinals.isEmpty else { return }
        try write("recording a failed attempt on \(ordinals.count) outbox rows") { db in
            let statement = try RawStatement(
                db,
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE ordinal = ? AND status = 'pending' "
                    + "AND NOT EXISTS (SELECT 1 FROM outbox_settled s WHERE s.ordinal = outbox.ordinal)"
            )
            for ordinal in ordinals {
                statement.bind(1, error)
                statement.bind(2, ordinal)
                try statement.execute(path: path) { "recording a failed attempt on outbox row \(ordinal)" }
            }
        }
    }

    /// Puts dead rows back to pending so the sender tries them again.
    ///
    /// Those with the given dedupe keys, or every dead row when `keys` is `nil`. Returns how many moved.
    /// The outbox floor moves back to the first of them, so the sender's next pass finds them.
    package func retryDead(keys: [String]?) throws(StoreError) -> Int {
        try write("putting dead letters back to pending") { db in
            var moved: [Int64] = []
            if let keys {
                for key in keys {
                    moved += try Int64.fetchAll(
                        db,
                        sql: "UPDATE outbox SET status = 'pending', outcome = NULL WHERE key = ? AND "
                            + "\(SQL.deadOnTheRow) RETURNING ordinal",
                        arguments: [key]
                    )
                }
            } else {
                moved = try Int64.fetchAll(
                    db,
                    sql: "UPDATE outbox SET status = 'pending', outcome = NULL WHERE \(SQL.deadOnTheRow) "
                        + "RETURNING ordinal"
                )
            }
            if let first = moved.min() { try Self.lowerOutboxFloor(to: first, db) }
            return moved.count
        }
    }

    /// Moves the outbox floor, and every kinds' floor, back to `ordinal` when it lies past it: a row there is
    /// pending again.
    static func lowerOutboxFloor(to ordinal: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE outbox_floor SET ordinal = ? WHERE ordinal > ?", arguments: [ordinal, ordinal])
        try db.execute(
            sql: "UPDATE outbox_kind_floors SET ordinal = ? WHERE ordinal > ?", arguments: [ordinal, ordinal])
    }

    /// Marks pending events the ledger already holds as delivered (outcome `ledger`).
    ///
    /// A history rebuild sends only what Klaviyo does not have. Returns how many rows it marked.
    package func settleFromLedger(at time: Int64) throws(StoreError) -> Int {
        try write("marking events the delivery ledger holds") { db in
            try db.execute(
                sql: """
                    INSERT INTO outbox_settled (ordinal, outcome, delivered_at)
                    SELECT o.ordinal, 'ledger', ? FROM outbox o
                    WHERE o.kind = 'event' AND o.status = 'pending'
                        AND NOT EXISTS (SELECT 1 FROM outbox_settled s WHERE s.ordinal = o.ordinal)
                        AND EXISTS (
                            SELECT 1 FROM delivery_ledger l
                            WHERE l.metric = o.metric AND l.unique_id = o.unique_id AND l.profile_key = o.customer_id)
                    """,
                arguments: [time]
            )
            return db.changesCount
        }
    }

    /// Copies the delivery ledger of another store (the live one a replay rebuilt from) into this one.
    ///
    /// Returns how many entries this store's ledger gained.
    package func importLedger(fromStoreAt other: String) throws(StoreError) -> Int {
        do {
            // ATTACH cannot run inside a transaction: one connection, outside GRDB's write transaction.
            return try pool.writeWithoutTransaction { db -> Int in
                try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [other])
                defer { try? db.execute(sql: "DETACH DATABASE source") }
                var gained = 0
                try db.inTransaction {
                    try db.execute(
                        sql: "INSERT INTO delivery_ledger SELECT * FROM source.delivery_ledger WHERE true "
                            + "ON CONFLICT DO NOTHING"
                    )
                    gained = db.changesCount
                    // The source's own delivered events are its outbox rows (see `settle`): with their
                    // delivery records since v15, marked on the row before.
                    let recordsBeside =
                        try Bool.fetchOne(
                            db,
                            sql: "SELECT count(*) > 0 FROM source.sqlite_master WHERE name = 'outbox_settled'") ?? false
                    try db.execute(
                        sql: "INSERT INTO delivery_ledger (metric, unique_id, profile_key, delivered_at) "
                            + (recordsBeside
                                ? "SELECT o.metric, o.unique_id, o.customer_id, s.delivered_at FROM source.outbox o "
                                    + "JOIN source.outbox_settled s ON s.ordinal = o.ordinal "
                                    + "WHERE \(SQL.ownDeliveredEvent) ON CONFLICT DO NOTHING"
                                : "SELECT metric, unique_id, customer_id, delivered_at FROM source.outbox "
                                    + "WHERE \(SQL.ownDeliveredEventOnTheRow) ON CONFLICT DO NOTHING")
                    )
                    gained += db.changesCount
                    return .commit
                }
                return gained
            }
        } catch {
            throw StoreError.wrapping(error, doing: "copying the delivery ledger of \(other)", path: path)
        }
    }

    /// How many events the delivery ledger holds: those carried over by a replay, and those this store
    /// delivered (counted as they are marked, so this reads no outbox row).
    package func ledgerCount() throws(StoreError) -> Int {
        try read("counting the delivery ledger") { db in
            let carried = try Int.fetchOne(db, sql: "SELECT count(*) FROM delivery_ledger") ?? 0
            let own = try Int.fetchOne(db, sql: "SELECT events FROM delivered_event_count WHERE id = 1") ?? 0
            return carried + own
        }
    }

    /// Pending rows by kind.
    package func pendingCounts() throws(StoreError) -> [String: Int] {
        try read("counting pending outbox rows by kind") { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT o.kind, count(*) FROM outbox o LEFT JOIN outbox_settled s ON s.ordinal = o.ordinal "
                    + "WHERE \(SQL.outboxStatus("pending")) AND o.ordinal >= \(SQL.outboxFloor) GROUP BY o.kind"
            ) {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }
}
