internal import GRDB

extension StateStore {
    /// The customer with platform id `id`, or `nil` when projection never touched them.
    package func customer(id: String) throws(StoreError) -> CustomerRow? {
        try read("reading customer \(id)") { db in
            let statement = try RawStatement(db, SQL.selectCustomers + " WHERE id = ?")
            statement.bind(1, id)
            var found: CustomerRow?
            try statement.forEachRow(path: path, { "reading customer \(id)" }) { found = Self.customer($0) }
            return found
        }
    }

    /// The order with platform id `id`, or `nil` when projection never touched it.
    package func order(id: String) throws(StoreError) -> OrderRow? {
        try read("reading order \(id)") { db in
            let statement = try RawStatement(db, SQL.selectOrders + " WHERE id = ?")
            statement.bind(1, id)
            var found: OrderRow?
            try statement.forEachRow(path: path, { "reading order \(id)" }) { found = Self.order($0) }
            return found
        }
    }

    /// Calls `body` with every customer in id order, all from one consistent snapshot.
    ///
    /// For the projector's warm start: rows stream one at a time, so memory holds only what `body`
    /// keeps. Throws a ``StoreError`` for the store's failures and rethrows whatever `body` throws.
    package func forEachCustomer(_ body: (CustomerRow) throws -> Void) throws {
        try forEachRow(SQL.selectCustomers + " ORDER BY id", "reading every customer") { try body(Self.customer($0)) }
    }

    /// Calls `body` with the id of every customer whose week tag can change in `week` or later: an order
    /// of that week or later (``CustomerRow/orderWeek``), or a tag other than `no order` last sent.
    ///
    /// A warm start's week change needs to know whom it will update; their states are read a chunk at a
    /// time as it reaches them (``customers(ids:)``), so that memory never holds them all. Throws a
    /// ``StoreError`` for the store's failures and rethrows whatever `body` throws.
    package func forEachCustomerID(watchingWeeksFrom week: Int32, _ body: (String) throws -> Void) throws {
        let sql = "SELECT id FROM customers WHERE order_week >= \(week) OR week_tag <> 'no order' ORDER BY id"
        try forEachRow(sql, "reading which customers' week tag can change") { try body($0.string(0)) }
    }

    /// The customers of `ids` the store holds, in id order; ids it does not hold are left out.
    ///
    /// Read 500 to a statement: one query per chunk instead of a point lookup per customer.
    package func customers(ids: [String]) throws(StoreError) -> [CustomerRow] {
        let sorted = Array(Set(ids)).sorted()
        var rows: [CustomerRow] = []
        rows.reserveCapacity(sorted.count)
        for start in stride(from: 0, to: sorted.count, by: 500) {
            let chunk = sorted[start..<min(start + 500, sorted.count)]
            try read("reading \(chunk.count) customers from \(chunk.first ?? "")") { db in
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let statement = try RawStatement(db, SQL.selectCustomers + " WHERE id IN (\(marks)) ORDER BY id")
                for (index, id) in chunk.enumerated() { statement.bind(Int32(index + 1), id) }
                try statement.forEachRow(path: path, { "reading customers by id" }) { rows.append(Self.customer($0)) }
            }
        }
        return rows
    }

    /// The customer who owns the identifier `key` (`e:EMAIL` or `p:PHONE`), `nil` when nobody does.
    package func identifierOwner(_ key: String) throws(StoreError) -> String? {
        try read("reading the owner of \(key)") { db in
            let statement = try RawStatement(db, "SELECT customer_id FROM identifier_owners WHERE identifier = ?")
            statement.bind(1, key)
            var owner: String?
            try statement.forEachRow(path: path, { "reading the owner of \(key)" }) { owner = $0.text(0) }
            return owner
        }
    }

    /// The email each customer's Klaviyo profile is meant to hold now.
    ///
    /// That is the fold's latest, `nil` without one or when another customer owns it
    /// (``CustomerRow/sharedIdentifiers``). Unknown ids are left out.
    package func currentEmails(of customerIDs: [String]) throws(StoreError) -> [String: String?] {
        var result: [String: String?] = [:]
        let ids = Array(Set(customerIDs)).sorted()
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            try read("reading the current emails of \(chunk.count) customers") { db in
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let statement = try RawStatement(
                    db, "SELECT id, email, shared_identifiers FROM customers WHERE id IN (\(marks))")
                for (index, id) in chunk.enumerated() { statement.bind(Int32(index + 1), id) }
                try statement.forEachRow(path: path, { "reading current emails" }) { row in
                    let shared = row.text(2)?.split(separator: ",").contains("email") == true
                    result[row.string(0)] = shared ? nil : row.text(1)
                }
            } as Void
        }
        return result
    }

    /// The records `projector` set aside because they could not be decoded, in seq order.
    package func quarantined(_ projector: String) throws(StoreError) -> [QuarantinedRecord] {
        try read("reading the quarantine of projector \(projector)") { db in
            let statement = try RawStatement(
                db, "SELECT seq, entry_id, reason FROM quarantine WHERE projector = ? ORDER BY seq")
            statement.bind(1, projector)
            var records: [QuarantinedRecord] = []
            try statement.forEachRow(path: path, { "reading the quarantine" }) { row in
                records.append(
                    QuarantinedRecord(
                        seq: row.uint64(0), platformID: UInt64(bitPattern: row.int64(1)), reason: row.string(2)))
            }
            return records
        }
    }

    /// How many customers are sent without an identifier another customer owns.
    package func sharedIdentifierCount() throws(StoreError) -> Int {
        try read("counting customers with shared identifiers") { db in
            let statement = try RawStatement(db, "SELECT count(*) FROM customers WHERE shared_identifiers IS NOT NULL")
            var count = 0
            try statement.forEachRow(path: path, { "counting customers with shared identifiers" }) {
                count = Int($0.int64(0))
            }
            return count
        }
    }

    /// The journal clock `projector` committed with its last batch, `nil` when it never did.
    package func clock(_ projector: String) throws(StoreError) -> ProjectionClock? {
        try read("reading the journal clock of projector \(projector)") { db in
            let statement = try RawStatement(
                db, "SELECT week, sweeping, swept_through FROM journal_clocks WHERE name = ?")
            statement.bind(1, projector)
            var found: ProjectionClock?
            try statement.forEachRow(path: path, { "reading the journal clock of projector \(projector)" }) { row in
                found = ProjectionClock(week: row.optionalInt32(0), sweeping: row.bool(1), sweptThrough: row.text(2))
            }
            return found
        }
    }

    /// Calls `body` with every order in id order, all from one consistent snapshot.
    ///
    /// Throws a ``StoreError`` for the store's failures and rethrows whatever `body` throws.
    package func forEachOrder(_ body: (OrderRow) throws -> Void) throws {
        try forEachRow(SQL.selectOrders + " ORDER BY id", "reading every order") { try body(Self.order($0)) }
    }

    /// Runs a query in a read transaction and hands each row to `body`; the caller's own errors pass
    /// through unchanged, the store's become `StoreError`s.
    private func forEachRow(_ sql: String, _ operation: String, _ body: (RawStatement) throws -> Void) throws {
        var callerError: (any Error)?
        do {
            try read(operation) { db in
                let statement = try RawStatement(db, sql)
                try statement.forEachRow(path: path, { operation }) { row in
                    do {
                        try body(row)
                    } catch {
                        callerError = error
                        throw CallerFailed()
                    }
                }
            } as Void
        } catch {
            throw callerError ?? error
        }
    }

    // MARK: - Row decoding (column orders from `SQL`)

    static func customer(_ row: RawStatement) -> CustomerRow {
        CustomerRow(
            id: row.string(0),
            email: row.text(1),
            firstName: row.text(2),
            lastName: row.text(3),
            status: row.text(4),
            schedule: row.text(5),
            box: row.text(6),
            signupDate: row.text(7),
            nextDelivery: row.text(8),
            cancelDate: row.text(9),
            weekTag: row.text(10),
            subscribed: row.optionalBool(11),
            suppressed: row.bool(12),
            missedSignup: row.bool(13),
            lists: row.string(14),
            lastSeq: row.uint64(15),
            state: row.bytes(16),
            orderWeek: row.optionalInt32(17),
            sharedIdentifiers: row.text(18)
        )
    }

    static func order(_ row: RawStatement) -> OrderRow {
        OrderRow(
            id: row.string(0),
            customerID: row.text(1),
            stage: row.string(2),
            total: row.text(3),
            currency: row.text(4),
            placedSeq: row.optionalUInt64(5),
            lastSeq: row.uint64(6),
            state: row.bytes(7)
        )
    }

    static func outbox(_ row: RawStatement) -> OutboxRowWithStatus {
        var metrics = RecentTexts()
        return outbox(row, metrics: &metrics)
    }

    /// An outbox row, its metric name shared with an equal one of `metrics` (a window's few names).
    static func outbox(_ row: RawStatement, metrics: inout RecentTexts) -> OutboxRowWithStatus {
        let message = OutboxRow(
            key: row.string(1),
            ordinal: row.uint64(0),
            kind: row.string(2),
            customerID: row.string(3),
            metric: row.text(4, reusing: &metrics),
            uniqueID: row.text(5),
            time: row.int64(6),
            value: row.text(7),
            list: row.text(8),
            sourceSeq: row.uint64(9),
            body: row.bytes(10)
        )
        return OutboxRowWithStatus(
            row: message,
            status: row.string(11),
            attempts: Int(row.int64(12)),
            lastError: row.text(13),
            outcome: row.text(14),
            deliveredAt: row.isNull(15) ? nil : row.int64(15)
        )
    }
}

/// Thrown through GRDB to stop a read early when the caller's closure failed; never escapes the store.
struct CallerFailed: Error {}
