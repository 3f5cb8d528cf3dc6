internal import GRDB
internal import LogfoldDomain

extension StateStore {
    /// The destinations beside Klaviyo, by name.
    package func destinations() throws(StoreError) -> [DestinationRow] {
        try read("reading the destinations") { db in
            let statement = try RawStatement(
                db, "SELECT name, state, added_at, updated_at FROM destinations ORDER BY name")
            var rows: [DestinationRow] = []
            try statement.forEachRow(path: path, { "reading the destinations" }) { row in
                rows.append(
                    DestinationRow(
                        name: row.string(0), state: DestinationRow.State(rawValue: row.string(1)) ?? .removed,
                        addedAt: row.int64(2), updatedAt: row.int64(3)))
            }
            return rows
        }
    }

    /// Records `name` as catching up from seq 1: its checkpoint starts at 0.
    package func beginCatchUp(_ name: String, at time: Int64) throws(StoreError) {
        try write("adding the destination \(name)") { db in
            try db.execute(
                sql: """
                    INSERT INTO destinations (name, state, added_at, updated_at) VALUES (?, 'catching_up', ?, ?)
                    ON CONFLICT(name) DO UPDATE SET state = 'catching_up', updated_at = excluded.updated_at
                    """, arguments: [name, time, time])
            try db.execute(
                sql: "INSERT OR REPLACE INTO checkpoints (name, seq, last_id, last_crc) VALUES (?, 0, NULL, NULL)",
                arguments: [name])
            try db.execute(sql: "DELETE FROM journal_clocks WHERE name = ?", arguments: [name])
        }
    }

    /// Enables `name` from seq 1 in a fresh store (a replay of a directory where it is enabled): the
    /// projector folds it with Klaviyo from the first entry.
    package func enableFromStart(_ name: String, at time: Int64) throws(StoreError) {
        try write("enabling the destination \(name)") { db in
            try db.execute(
                sql: """
                    INSERT INTO destinations (name, state, added_at, updated_at) VALUES (?, 'enabled', ?, ?)
                    ON CONFLICT(name) DO UPDATE SET state = 'enabled', updated_at = excluded.updated_at
                    """, arguments: [name, time, time])
            try db.execute(
                sql: "INSERT OR REPLACE INTO checkpoints (name, seq, last_id, last_crc) VALUES (?, 0, NULL, NULL)",
                arguments: [name])
        }
    }

    /// Marks `name` removed: nothing more is folded or sent for it; its rows stay for audit.
    package func removeDestination(_ name: String, at time: Int64) throws(StoreError) -> Bool {
        try write("removing the destination \(name)") { db in
            try db.execute(
                sql: "UPDATE destinations SET state = 'removed', updated_at = ? WHERE name = ? AND state <> 'removed'",
                arguments: [time, name])
            return db.changesCount > 0
        }
    }

    /// Writes a catch-up batch: ActiveCampaign's rows and its checkpoint, nothing of Klaviyo's.
    ///
    /// The checkpoint moves compare-and-set from `fromSeq` to `toSeq`.
    package func commitCatchUp(
        _ rows: [ActiveCampaignOutboxRow], destination: String, fromSeq: UInt64, toSeq: UInt64
    ) throws(StoreError) -> Int {
        try write("committing \(destination)'s catch-up batch \(fromSeq)→\(toSeq)") { db in
            let current = try Self.checkpoint(destination, in: db, path: path)
            guard current == fromSeq else {
                throw StoreError(
                    code: .checkpointMoved,
                    message: "The checkpoint of \(destination) in \(path) is \(current), not \(fromSeq): another "
                        + "process is catching it up. Run one `logfold destination add` at a time.")
            }
            let inserted = try insertActiveCampaignOutbox(rows, db)
            try db.execute(
                sql: "UPDATE checkpoints SET seq = ?, last_id = NULL, last_crc = NULL WHERE name = ?",
                arguments: [Int64(toSeq), destination])
            return inserted
        }
    }

    /// Hands a caught-up destination over to the projector, in one transaction.
    ///
    /// When `projector`'s checkpoint is `seq`: passes each stored customer's state blob through `merge`
    /// (which adds what the destination was told, and the seq that last changed it; `nil` keeps the
    /// row), gives the destination the projector's checkpoint and clock, and enables it. Returns `false`,
    /// changing nothing, when the checkpoint has moved on (fold further and try again).
    package func handOver(
        _ destination: String, at seq: UInt64, projector: String, time: Int64,
        merge: (_ id: String, _ state: [UInt8]) throws -> (state: [UInt8], lastSeq: UInt64)?
    ) throws(StoreError) -> Bool {
        try write("handing \(destination) over to the projector at seq \(seq)") { db in
            guard try Self.checkpoint(projector, in: db, path: path) == seq else { return false }
            var merged: [(id: String, state: [UInt8], lastSeq: UInt64)] = []
            let rows = try RawStatement(db, "SELECT id, state FROM customers ORDER BY id")
            try rows.forEachRow(path: path, { "reading the customers' states" }) { row in
                if let new = try merge(row.string(0), row.bytes(1)) {
                    merged.append((row.string(0), new.state, new.lastSeq))
                }
            }
            let update = try RawStatement(db, "UPDATE customers SET state = ?, last_seq = ? WHERE id = ?")
            for customer in merged {
                update.bind(1, customer.state)
                update.bind(2, customer.lastSeq)
                update.bind(3, customer.id)
                try update.execute(path: path) { "writing customer \(customer.id)'s state" }
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO checkpoints (name, seq, last_id, last_crc)
                    SELECT ?, seq, last_id, last_crc FROM checkpoints WHERE name = ?
                    """, arguments: [destination, projector])
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO journal_clocks (name, week, sweeping, swept_through)
                    SELECT ?, week, sweeping, swept_through FROM journal_clocks WHERE name = ?
                    """, arguments: [destination, projector])
            try db.execute(
                sql: "UPDATE destinations SET state = 'enabled', updated_at = ? WHERE name = ?",
                arguments: [time, destination])
            return true
        }
    }

    /// ActiveCampaign's rows in ordinal order, optionally of one status, paged by `limit` and `after`.
    package func activeCampaignOutbox(
        status: ActiveCampaignOutboxRow.Status? = nil, limit: Int? = nil, after ordinal: UInt64? = nil
    ) throws(StoreError) -> [ActiveCampaignOutboxRowWithStatus] {
        try read("reading ActiveCampaign's outbox") { db in
            var sql = Self.selectActiveCampaignRows + " WHERE ordinal > ?"
            if status != nil { sql += " AND status = ?" }
            sql += " ORDER BY ordinal LIMIT ?"
            let statement = try RawStatement(db, sql)
            statement.bind(1, Int64(bitPattern: ordinal ?? 0))
            if let status {
                statement.bind(2, status.rawValue)
                statement.bind(3, Int64(limit ?? -1))
            } else {
                statement.bind(2, Int64(limit ?? -1))
            }
            var rows: [ActiveCampaignOutboxRowWithStatus] = []
            try statement.forEachRow(path: path, { "reading ActiveCampaign's outbox" }) {
                rows.append(Self.activeCampaignRow($0))
            }
            return rows
        }
    }

    /// ActiveCampaign's rows about one customer, in ordinal order.
    package func activeCampaignOutbox(customerID: String) throws(StoreError) -> [ActiveCampaignOutboxRowWithStatus] {
        try read("reading ActiveCampaign's outbox of customer \(customerID)") { db in
            let statement = try RawStatement(
                db, Self.selectActiveCampaignRows + " WHERE customer_id = ? ORDER BY ordinal")
            statement.bind(1, customerID)
            var rows: [ActiveCampaignOutboxRowWithStatus] = []
            try statement.forEachRow(path: path, { "reading ActiveCampaign's outbox" }) {
                rows.append(Self.activeCampaignRow($0))
            }
            return rows
        }
    }

    static let selectActiveCampaignRows = """
        SELECT ordinal, key, kind, customer_id, time, source_seq, body, status, attempts, last_error
        FROM activecampaign_outbox
        """

    /// A row read with ``selectActiveCampaignRows``.
    static func activeCampaignRow(_ row: RawStatement) -> ActiveCampaignOutboxRowWithStatus {
        ActiveCampaignOutboxRowWithStatus(
            row: activeCampaignStoredRow(row),
            status: ActiveCampaignOutboxRow.Status(rawValue: row.int64(7)) ?? .pending,
            attempts: Int(row.int64(8)), lastError: row.text(9))
    }

    /// The stored message of a row read with ``selectActiveCampaignRows`` (its first seven columns).
    static func activeCampaignStoredRow(_ row: RawStatement) -> ActiveCampaignOutboxRow {
        ActiveCampaignOutboxRow(
            key: row.string(1), ordinal: row.uint64(0),
            kind: ActiveCampaignOutboxRow.Kind(rawValue: row.int64(2)) ?? .event, customerID: row.string(3),
            time: row.int64(4), sourceSeq: row.uint64(5), body: row.bytes(6))
    }

    /// ActiveCampaign's rows counted by status; statuses with no rows are absent.
    ///
    /// Like ``outboxCounts()``: pending and dead through the partial index, delivered the rest.
    package func activeCampaignCounts() throws(StoreError) -> [ActiveCampaignOutboxRow.Status: Int] {
        let operation = "counting ActiveCampaign's outbox"
        return try read(operation) { db in
            var counts: [ActiveCampaignOutboxRow.Status: Int] = [:]
            let unsettled = try RawStatement(
                db, "SELECT status, count(*) FROM activecampaign_outbox WHERE status = 0 OR status = 2 GROUP BY status")
            try unsettled.forEachRow(path: path, { operation }) { row in
                if let status = ActiveCampaignOutboxRow.Status(rawValue: row.int64(0)) {
                    counts[status] = Int(row.int64(1))
                }
            }
            let total = try RawStatement(db, "SELECT count(*) FROM activecampaign_outbox")
            var delivered = 0
            try total.forEachRow(path: path, { operation }) { delivered = Int($0.int64(0)) }
            delivered -= counts.values.reduce(0, +)
            if delivered > 0 { counts[.delivered] = delivered }
            return counts
        }
    }

    /// Inserts ActiveCampaign rows, keeping a key already stored; returns how many were new.
    func insertActiveCampaignOutbox(_ rows: [ActiveCampaignOutboxRow], _ db: Database) throws(StoreError) -> Int {
        guard !rows.isEmpty else { return 0 }
        let statement = try activeCampaignInsert(db)
        let values = StaticBindings()
        defer { values.clear(statement) }
        var inserted = 0
        for row in rows { inserted += try insert(row, with: statement, values) }
        return inserted
    }

    /// Inserts the rows of folded `messages`, each made just before it is inserted and freed after.
    func insertActiveCampaignOutbox(rendering messages: [ActiveCampaignMessage], _ db: Database) throws(StoreError)
        -> Int
    {
        guard !messages.isEmpty else { return 0 }
        let statement = try activeCampaignInsert(db)
        let values = StaticBindings()
        defer { values.clear(statement) }
        // Through a pointer: a `for in`, or the array's subscript from this module, copied each message
        // (its strings retained and released) for every use.
        return try messages.withUnsafeBufferPointer { messages throws(StoreError) -> Int in
            guard let first = messages.baseAddress else { return 0 }
            var inserted = 0
            for position in 0..<messages.count {
                inserted += try insert(message: first + position, with: statement, values)
            }
            return inserted
        }
    }

    /// Inserts the row of a folded message, bound from the message: the key is written straight into the
    /// bindings (``ActiveCampaignMessage/writeKey(into:)``), with no row or key string made.
    private func insert(
        message: UnsafePointer<ActiveCampaignMessage>, with statement: RawStatement, _ values: StaticBindings
    ) throws(StoreError) -> Int {
        let m = message.pointee
        let body = m.renderedBody()
        let keyCapacity = m.keyCapacity
        values.begin(bytes: keyCapacity + m.customerID.utf8.count + body.count)
        statement.bind(1, m.ordinal)
        values.bindText(statement, 2, capacity: keyCapacity) { m.writeKey(into: $0) }
        statement.bind(3, ActiveCampaignOutboxRow.Kind(of: m.payload).rawValue)
        values.bind(statement, 4, m.customerID)
        statement.bind(5, m.time.unixSeconds)
        statement.bind(6, m.sourceSeq)
        values.bind(statement, 7, body)
        try statement.execute(path: path) { "inserting ActiveCampaign's row \(m.key)" }
        return statement.changes
    }

    private func activeCampaignInsert(_ db: Database) throws(StoreError) -> RawStatement {
        do {
            // A message folded again has the same ordinal (StoreSchema.version18): kept once, the first.
            return try RawStatement(
                db,
                """
                INSERT INTO activecampaign_outbox (ordinal, key, kind, customer_id, time, source_seq, body)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(ordinal) DO NOTHING
                """)
        } catch {
            throw StoreError.wrapping(error, doing: "preparing ActiveCampaign's outbox insert", path: path)
        }
    }

    /// Inserts `row`; 1 when it is new, 0 when its ordinal was there.
    private func insert(
        _ row: ActiveCampaignOutboxRow, with statement: RawStatement, _ values: StaticBindings
    ) throws(StoreError) -> Int {
        values.begin(bytes: row.key.utf8.count + row.customerID.utf8.count + row.body.count)
        statement.bind(1, row.ordinal)
        values.bind(statement, 2, row.key)
        statement.bind(3, row.kind.rawValue)
        values.bind(statement, 4, row.customerID)
        statement.bind(5, row.time)
        statement.bind(6, row.sourceSeq)
        values.bind(statement, 7, row.body)
        try statement.execute(path: path) { "inserting ActiveCampaign's row \(row.key)" }
        return statement.changes
    }

    /// Refuses a projector batch that would leave an enabled destination's checkpoint behind: a projector
    /// started before the destination was enabled must start again to fold it too.
    static func requireEveryEnabledDestination(
        moving: [String], projector: String, _ db: Database, path: String
    ) throws {
        let statement = try RawStatement(db, "SELECT name FROM destinations WHERE state = 'enabled' ORDER BY name")
        var missing: [String] = []
        try statement.forEachRow(path: path, { "reading the destinations" }) { row in
            let name = row.string(0)
            if !moving.contains(name) { missing.append(name) }
        }
        guard missing.isEmpty else {
            throw StoreError(
                code: .checkpointMoved,
                message: "the destination \(missing.joined(separator: ", ")) was enabled after projector \(projector) "
                    + "started in \(path); the batch was rolled back. Start the projector again (it then folds "
                    + "every enabled destination).")
        }
    }
}
