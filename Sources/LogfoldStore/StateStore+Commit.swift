internal import GRDB
internal import LogfoldCrashPoints
internal import LogfoldDomain

extension StateStore {
    /// Writes one projector batch in ONE transaction and returns how many of its outbox rows (Klaviyo's and
    /// the destinations folded with it) were new.
    ///
    /// Upserts every customer and order row (`INSERT … ON CONFLICT(id) DO UPDATE`), inserts the outbox
    /// rows in ordinal order with `ON CONFLICT(key) DO NOTHING` (a key already stored, or repeated in the
    /// batch, is kept once, as its lowest ordinal, and not counted again; during a bulk load, without the
    /// key index, ``endBulkLoad()`` does that once for the whole load), and moves the checkpoint of
    /// `projector` compare-and-set from `batch.fromSeq` to `batch.toSeq`. If the checkpoint is not
    /// `fromSeq` (another writer moved it) it throws ``StoreError/Code/checkpointMoved``; on that or any
    /// other error nothing of the batch stays. Seqs and ordinals must fit in `Int64`
    /// (``StoreError/Code/invalidArgument`` otherwise).
    package func commit(_ batch: ProjectionBatch, projector: String) throws(StoreError) -> Int {
        try Self.validate(batch, projector: projector)
        let inserted = try write("committing the batch \(batch.fromSeq)→\(batch.toSeq) of projector \(projector)") {
            db in
            let current = try Self.checkpoint(projector, in: db, path: path)
            guard current == batch.fromSeq else {
                throw StoreError(
                    code: .checkpointMoved,
                    message: "The checkpoint of projector \(projector) in \(path) is \(current), not \(batch.fromSeq) "
                        + "as read before the batch: another projector is writing. The batch was rolled back; "
                        + "run one projector per store, then resume from the checkpoint."
                )
            }
            try Self.requireEveryEnabledDestination(moving: batch.movesWith, projector: projector, db, path: path)
            try upsertCustomers(batch.customers, db)
            if batch.completesCustomers { try Self.clearUnwrittenCustomers(db) }
            try upsertOrders(batch.orders, db)
            let newActiveCampaignRows =
                try insertActiveCampaignOutbox(batch.activeCampaignOutbox, db)
                + insertActiveCampaignOutbox(rendering: batch.activeCampaignMessages, db)
            // Without the key index (a bulk load) rows go in plainly; endBulkLoad() builds it.
            let keyed = try Self.hasIndex("outbox_by_key", db, path: path)
            let inserted =
                try insertOutbox(batch.outbox, db, keyed: keyed)
                + insertOutbox(rendering: batch.outboxMessages, db, keyed: keyed) + newActiveCampaignRows
            // A record retried out of quarantine is folded at its old seq: its rows may land below the floor.
            let firstOrdinal = [batch.outbox.lazy.map(\.ordinal).min(), Self.firstOrdinal(of: batch.outboxMessages)]
                .compactMap { $0 }.min()
            if let first = firstOrdinal {
                try Self.lowerOutboxFloor(to: Int64(truncatingIfNeeded: first), db)
            }
            let checkpoint = try RawStatement(db, SQL.moveCheckpoint)
            checkpoint.bind(1, projector)
            checkpoint.bind(2, batch.toSeq)
            // Ids are stored as their 64-bit pattern: a tick's id (from 2^63) reads back negative.
            checkpoint.bind(3, batch.lastRecord.map { Int64(bitPattern: $0.platformID) })
            checkpoint.bind(4, batch.lastRecord.map { UInt64($0.checksum) })
            try checkpoint.execute(path: path) { "moving the checkpoint of projector \(projector) to \(batch.toSeq)" }
            // A destination folded with this projector keeps the same checkpoint.
            for name in batch.movesWith {
                checkpoint.bind(1, name)
                try checkpoint.execute(path: path) { "moving the checkpoint of \(name) to \(batch.toSeq)" }
            }
            try writeIdentifierOwners(batch.identifierOwners, db)
            for record in batch.quarantined {
                let statement = try RawStatement(
                    db, "INSERT OR REPLACE INTO quarantine (projector, seq, entry_id, reason) VALUES (?, ?, ?, ?)")
                statement.bind(1, projector)
                statement.bind(2, record.seq)
                statement.bind(3, Int64(bitPattern: record.platformID))
                statement.bind(4, record.reason)
                try statement.execute(path: path) { "quarantining seq \(record.seq)" }
            }
            for seq in batch.released {
                let statement = try RawStatement(db, "DELETE FROM quarantine WHERE projector = ? AND seq = ?")
                statement.bind(1, projector)
                statement.bind(2, seq)
                try statement.execute(path: path) { "releasing seq \(seq) from quarantine" }
            }
            if let clock = batch.clock {
                let statement = try RawStatement(db, SQL.moveClock)
                for name in [projector] + batch.movesWith {
                    statement.bind(1, name)
                    statement.bind(2, clock.week)
                    statement.bind(3, clock.sweeping)
                    statement.bind(4, clock.sweptThrough)
                    try statement.execute(path: path) { "moving the journal clock of projector \(name)" }
                }
            }
            CrashPoint.storeCommitInside.reach()
            return inserted
        }
        CrashPoint.storeCommitAfter.reach()
        return inserted
    }

    private func upsertCustomers(_ rows: [CustomerRow], _ db: Database) throws(StoreError) {
        guard !rows.isEmpty else { return }
        let statement: RawStatement
        do { statement = try RawStatement(db, SQL.upsertCustomer) } catch { throw prepareFailure(error) }
        // Texts and blobs bound in place, as the outbox's are (``StaticBindings``): a customer row has
        // thirteen, each a SQLite allocation and copy when bound the usual way.
        let values = StaticBindings()
        defer { values.clear(statement) }
        for row in rows {
            values.begin(
                bytes: row.id.utf8.count + StaticBindings.size(of: row.email)
                    + StaticBindings.size(of: row.firstName) + StaticBindings.size(of: row.lastName)
                    + StaticBindings.size(of: row.status) + StaticBindings.size(of: row.schedule)
                    + StaticBindings.size(of: row.box) + StaticBindings.size(of: row.signupDate)
                    + StaticBindings.size(of: row.nextDelivery) + StaticBindings.size(of: row.cancelDate)
                    + StaticBindings.size(of: row.weekTag) + row.lists.utf8.count + row.state.count
                    + StaticBindings.size(of: row.sharedIdentifiers))
            values.bind(statement, 1, row.id)
            values.bind(statement, 2, row.email)
            values.bind(statement, 3, row.firstName)
            values.bind(statement, 4, row.lastName)
            values.bind(statement, 5, row.status)
            values.bind(statement, 6, row.schedule)
            values.bind(statement, 7, row.box)
            values.bind(statement, 8, row.signupDate)
            values.bind(statement, 9, row.nextDelivery)
            values.bind(statement, 10, row.cancelDate)
            values.bind(statement, 11, row.weekTag)
            statement.bind(12, row.subscribed)
            statement.bind(13, row.suppressed)
            statement.bind(14, row.missedSignup)
            values.bind(statement, 15, row.lists)
            statement.bind(16, row.lastSeq)
            values.bind(statement, 17, row.state)
            statement.bind(18, row.orderWeek)
            values.bind(statement, 19, row.sharedIdentifiers)
            try statement.execute(path: path) { "upserting customer \(row.id) (seq \(row.lastSeq))" }
        }
    }

    private func writeIdentifierOwners(_ rows: [IdentifierOwnerRow], _ db: Database) throws(StoreError) {
        guard !rows.isEmpty else { return }
        let claim: RawStatement
        let release: RawStatement
        do {
            claim = try RawStatement(db, SQL.claimIdentifier)
            release = try RawStatement(db, SQL.releaseIdentifier)
        } catch {
            throw prepareFailure(error)
        }
        for row in rows {
            if let owner = row.customerID {
                claim.bind(1, row.identifier)
                claim.bind(2, owner)
                try claim.execute(path: path) { "recording customer \(owner) as the owner of \(row.identifier)" }
            } else {
                release.bind(1, row.identifier)
                try release.execute(path: path) { "releasing \(row.identifier)" }
            }
        }
    }

    private func upsertOrders(_ rows: [OrderRow], _ db: Database) throws(StoreError) {
        guard !rows.isEmpty else { return }
        let statement: RawStatement
        do { statement = try RawStatement(db, SQL.upsertOrder) } catch { throw prepareFailure(error) }
        let values = StaticBindings()
        defer { values.clear(statement) }
        for row in rows {
            values.begin(
                bytes: row.id.utf8.count + StaticBindings.size(of: row.customerID) + row.stage.utf8.count
                    + StaticBindings.size(of: row.total) + StaticBindings.size(of: row.currency) + row.state.count)
            values.bind(statement, 1, row.id)
            values.bind(statement, 2, row.customerID)
            values.bind(statement, 3, row.stage)
            values.bind(statement, 4, row.total)
            values.bind(statement, 5, row.currency)
            statement.bind(6, row.placedSeq)
            statement.bind(7, row.lastSeq)
            values.bind(statement, 8, row.state)
            try statement.execute(path: path) { "upserting order \(row.id) (seq \(row.lastSeq))" }
        }
    }

    private func insertOutbox(_ rows: [OutboxRow], _ db: Database, keyed: Bool) throws(StoreError) -> Int {
        guard !rows.isEmpty else { return 0 }
        let statement = try outboxInsert(db, keyed: keyed)
        let values = StaticBindings()
        defer { values.clear(statement) }
        // In ordinal order, so the first message produced wins a repeated key whatever order the batch
        // listed them in (and the table's B-tree only ever appends). Rows are read in place through a
        // buffer pointer: iterating the array copied each one (a retain and release per string), a
        // twentieth of the committing core in a replay.
        return try rows.withUnsafeBufferPointer { rows throws(StoreError) -> Int in
            var inserted = 0
            try Self.forEachInOrdinalOrder(rows.count, ordinal: { rows[$0].ordinal }) { position throws(StoreError) in
                inserted += try insert(rows[position], statement, values)
            }
            return inserted
        }
    }

    /// Inserts the rows of folded `messages` in ordinal order, each made just before it is inserted and
    /// freed after.
    private func insertOutbox(rendering messages: [OutboundMessage], _ db: Database, keyed: Bool) throws(StoreError)
        -> Int
    {
        guard !messages.isEmpty else { return 0 }
        let statement = try outboxInsert(db, keyed: keyed)
        let values = StaticBindings()
        defer { values.clear(statement) }
        // In ordinal order, as ``insertOutbox(_:_:keyed:)`` inserts rows. Each message is read through a
        // pointer, its ordinal inlined to two loads: through the buffer's subscript every read copied the
        // whole message (three per message, with the insert's, about a tenth of the committing thread).
        return try messages.withUnsafeBufferPointer { messages throws(StoreError) -> Int in
            guard let first = messages.baseAddress else { return 0 }
            var inserted = 0
            try Self.forEachInOrdinalOrder(messages.count, ordinal: { OutboundMessage.ordinal(at: first + $0) }) {
                position throws(StoreError) in
                inserted += try insert(message: first + position, statement, values)
            }
            return inserted
        }
    }

    /// Calls `body` with each position below `count` in the order of `ordinal`: as they come when they are
    /// in order already (the fold emits them so: no index list to build), sorted otherwise.
    private static func forEachInOrdinalOrder(
        _ count: Int, ordinal: (Int) -> UInt64, _ body: (Int) throws(StoreError) -> Void
    ) throws(StoreError) {
        if (1..<max(count, 1)).allSatisfy({ ordinal($0 - 1) <= ordinal($0) }) {
            for position in 0..<count { try body(position) }
        } else {
            for position in (0..<count).sorted(by: { ordinal($0) < ordinal($1) }) { try body(position) }
        }
    }

    /// The outbox's insert: with the conflict clause, or a plain append while the key index is away.
    private func outboxInsert(_ db: Database, keyed: Bool) throws(StoreError) -> RawStatement {
        do {
            return try RawStatement(db, keyed ? SQL.insertOutbox : SQL.appendOutbox)
        } catch {
            throw prepareFailure(error)
        }
    }

    /// Inserts one outbox row, borrowed (not copied) from the batch.
    private func insert(_ row: borrowing OutboxRow, _ statement: RawStatement, _ values: StaticBindings)
        throws(StoreError) -> Int
    {
        values.begin(
            bytes: row.key.utf8.count + row.kind.utf8.count + row.customerID.utf8.count
                + StaticBindings.size(of: row.metric) + StaticBindings.size(of: row.uniqueID)
                + StaticBindings.size(of: row.value) + StaticBindings.size(of: row.list) + row.body.count)
        statement.bind(1, row.ordinal)
        values.bind(statement, 2, row.key)
        values.bind(statement, 3, row.kind)
        values.bind(statement, 4, row.customerID)
        values.bind(statement, 5, row.metric)
        values.bind(statement, 6, row.uniqueID)
        statement.bind(7, row.time)
        values.bind(statement, 8, row.value)
        values.bind(statement, 9, row.list)
        statement.bind(10, row.sourceSeq)
        values.bind(statement, 11, row.body)
        try statement.execute(path: path) {
            "inserting outbox row \(row.key) (ordinal \(row.ordinal), seq \(row.sourceSeq))"
        }
        return statement.changes
    }

    /// Inserts the row of a folded message, its columns bound from the message: the key is written
    /// straight into the bindings (``OutboundMessage/writeKey(into:)``), with no row or key string made.
    private func insert(message: UnsafePointer<OutboundMessage>, _ statement: RawStatement, _ values: StaticBindings)
        throws(StoreError) -> Int
    {
        // One copy: each call on the pointee (its key, its body) copied the whole message for the call.
        let m = message.pointee
        let ordinal = OutboundMessage.ordinal(at: message)
        let body = ProjectionCodec.body(of: m)
        let value = m.value?.description
        let keyCapacity = m.keyCapacity
        values.begin(
            bytes: keyCapacity + m.kind.rawValue.utf8.count + m.customerID.utf8.count
                + StaticBindings.size(of: m.metric) + StaticBindings.size(of: m.uniqueID)
                + StaticBindings.size(of: value) + StaticBindings.size(of: m.list) + body.count)
        statement.bind(1, ordinal)
        values.bindText(statement, 2, capacity: keyCapacity) { m.writeKey(into: $0) }
        values.bind(statement, 3, m.kind.rawValue)
        values.bind(statement, 4, m.customerID)
        values.bind(statement, 5, m.metric)
        values.bind(statement, 6, m.uniqueID)
        statement.bind(7, m.time.unixSeconds)
        values.bind(statement, 8, value)
        values.bind(statement, 9, m.list)
        statement.bind(10, m.sourceSeq)
        values.bind(statement, 11, body)
        try statement.execute(path: path) {
            "inserting outbox row \(m.key) (ordinal \(ordinal), seq \(m.sourceSeq))"
        }
        return statement.changes
    }

    private func prepareFailure(_ error: any Error) -> StoreError {
        StoreError.wrapping(error, doing: "preparing a statement", path: path)
    }

    /// Refuses values SQLite's signed integers cannot hold, before any transaction starts.
    private static func validate(_ batch: ProjectionBatch, projector: String) throws(StoreError) {
        let limit = UInt64(Int64.max)
        func refuse(_ what: String) -> StoreError {
            StoreError(
                code: .invalidArgument,
                message: "The batch \(batch.fromSeq)→\(batch.toSeq) of projector \(projector) has \(what); "
                    + "this is a projection bug, report it."
            )
        }
        guard batch.toSeq >= batch.fromSeq else { throw refuse("a checkpoint that moves backwards") }
        guard batch.toSeq <= limit else { throw refuse("a checkpoint above Int64.max") }
        for row in batch.customers where row.lastSeq > limit {
            throw refuse("customer \(row.id) with last seq \(row.lastSeq) above Int64.max")
        }
        for row in batch.orders where row.lastSeq > limit || (row.placedSeq ?? 0) > limit {
            throw refuse("order \(row.id) with a seq above Int64.max")
        }
        for i in batch.outbox.indices where batch.outbox[i].ordinal > limit || batch.outbox[i].sourceSeq > limit {
            throw refuse("outbox row \(batch.outbox[i].key) with an ordinal or seq above Int64.max")
        }
        try batch.outboxMessages.withUnsafeBufferPointer { messages throws(StoreError) in
            guard let first = messages.baseAddress else { return }
            for i in 0..<messages.count
            where OutboundMessage.ordinal(at: first + i) > limit || first[i].sourceSeq > limit {
                throw refuse("outbox message \(first[i].key) with an ordinal or seq above Int64.max")
            }
        }
    }

    /// The least ordinal of `messages`, each read in place (``insertOutbox(rendering:_:keyed:)``).
    private static func firstOrdinal(of messages: [OutboundMessage]) -> UInt64? {
        messages.withUnsafeBufferPointer { messages in
            guard let first = messages.baseAddress else { return nil }
            return (0..<messages.count).lazy.map { OutboundMessage.ordinal(at: first + $0) }.min()
        }
    }
}
