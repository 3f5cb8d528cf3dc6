internal import GRDB

extension StateStore {
    /// Outbox rows in ordinal order: those with `status` (all when `nil`), after `ordinal` (from the
    /// start when `nil`), at most `limit` of them (all when `nil`).
    ///
    /// Pending rows are read by the table from the outbox floor, dead rows through `outbox_dead`, delivered
    /// ones through `outbox_settled`: each in ordinal order without sorting.
    package func outbox(status: String?, limit: Int?, after ordinal: UInt64?) throws(StoreError)
        -> [OutboxRowWithStatus]
    {
        // Ordinals are stored as non-negative Int64s: nothing lies after Int64.max.
        if let ordinal, ordinal >= UInt64(Int64.max) { return [] }
        let after = ordinal.map { Int64($0) } ?? -1
        let operation = "reading the outbox" + (status.map { " with status \($0)" } ?? "")
        return try read(operation) { db in
            var sql = SQL.selectOutbox + " WHERE "
            if let status { sql += SQL.outboxStatus(status) + " AND " }
            if status == OutboxStatus.pending { sql += "o.ordinal >= \(SQL.outboxFloor) AND " }
            sql += "o.ordinal > ? ORDER BY o.ordinal LIMIT ?"
            let statement = try RawStatement(db, sql)
            var index: Int32 = 1
            if let status, status != OutboxStatus.pending, status != OutboxStatus.delivered {
                statement.bind(index, status)
                index += 1
            }
            statement.bind(index, after)
            statement.bind(index + 1, Int64(limit ?? -1))
            var rows: [OutboxRowWithStatus] = []
            if let limit { rows.reserveCapacity(min(limit, 10_000)) }
            try statement.forEachRow(path: path, { operation }) { rows.append(Self.outbox($0)) }
            return rows
        }
    }

    /// Pending outbox rows of the given kinds in ordinal order, after `ordinal`: at most `limit` rows, and
    /// no more once their bodies hold `maximumBytes` (at least one row), so a window's memory is bounded
    /// whatever the rows' sizes.
    ///
    /// The rows carry what the sender reads: their `key` is empty (the dedupe key, 40–90 bytes, is for
    /// projection and operators; a string per row cost the sender an allocation and a UTF-8 check), and
    /// their delivery columns are a pending row's.
    ///
    /// From the start (`ordinal` `nil`) it first moves the outbox floor up to the first row still pending
    /// (``advanceOutboxFloor()``), then the floor of these kinds to their first (``advanceKindFloor(_:above:)``),
    /// and reads from there: a delivered row stays `pending` on the row (its record is in `outbox_settled`),
    /// so without the floors every pass from the start would walk them all.
    package func pendingOutbox(
        kinds: [String], limit: Int, after ordinal: UInt64?, maximumBytes: Int = .max
    ) throws(StoreError) -> [OutboxRowWithStatus] {
        // No kinds, no rows (and no `WHERE ()`); nothing lies after Int64.max.
        if kinds.isEmpty { return [] }
        if let ordinal, ordinal >= UInt64(Int64.max) { return [] }
        let after: Int64
        if let ordinal {
            after = Int64(ordinal)
        } else {
            after = try advanceKindFloor(kinds, above: advanceOutboxFloor()) - 1
        }
        let operation = "reading pending outbox rows of kinds \(kinds.joined(separator: ", "))"
        return try read(operation) { db in
            // Equalities, not `kind IN (…)`: SQLite tests a bound list through an ephemeral index, a B-tree
            // search per row, and each stream's scan passes every row of the other's kinds too. The kind
            // goes first, so those rows are passed on a column near the record's start.
            let kindIs = Array(repeating: "o.kind = ?", count: kinds.count).joined(separator: " OR ")
            let statement = try RawStatement(
                db,
                SQL.selectPendingOutbox + " WHERE (\(kindIs)) AND \(SQL.outboxStatus(OutboxStatus.pending)) "
                    + "AND o.ordinal > ? ORDER BY o.ordinal LIMIT ?"
            )
            for (index, kind) in kinds.enumerated() { statement.bind(Int32(index + 1), kind) }
            statement.bind(Int32(kinds.count + 1), after)
            statement.bind(Int32(kinds.count + 2), Int64(limit))
            var rows: [OutboxRowWithStatus] = []
            // The sender's whole window (25,000 rows, about 6 MB of row values) at once: starting at 10,000
            // grew and copied it twice per window, 2% of the send's samples.
            rows.reserveCapacity(min(limit, 32_768))
            var bytes = 0
            var metrics = RecentTexts()
            try statement.forEachRowWhile(path: path, { operation }) { statement in
                let row = Self.outbox(statement, metrics: &metrics)
                rows.append(row)
                bytes += row.row.body.count
                return bytes < maximumBytes
            }
            return rows
        }
    }

    /// Whether a profile upsert of `customerID` before `ordinal` is still pending: a suppression waits for
    /// its customer's profile to reach Klaviyo (``Sender``'s event stream).
    package func hasPendingProfile(customerID: String, before ordinal: UInt64) throws(StoreError) -> Bool {
        let operation = "looking for a pending profile upsert of customer \(customerID)"
        return try read(operation) { db in
            // `+status` keeps SQLite on the customer's rows: without statistics it picked the status index of
            // v12 and walked every pending row below the ordinal (65 ms a call with 133,000 pending, 0.4 this way).
            let statement = try RawStatement(
                db,
                "SELECT 1 FROM outbox o WHERE o.customer_id = ? AND o.kind = 'profile' "
                    + "AND +o.status = 'pending' AND o.ordinal < ? "
                    + "AND NOT EXISTS (SELECT 1 FROM outbox_settled s WHERE s.ordinal = o.ordinal) LIMIT 1")
            statement.bind(1, customerID)
            statement.bind(2, ordinal)
            var found = false
            try statement.forEachRow(path: path, { operation }) { _ in found = true }
            return found
        }
    }

    /// Every outbox row about one customer, in ordinal order (for `logfold customer ID`).
    package func outbox(customerID: String) throws(StoreError) -> [OutboxRowWithStatus] {
        let operation = "reading the outbox of customer \(customerID)"
        return try read(operation) { db in
            let statement = try RawStatement(db, SQL.selectOutbox + " WHERE o.customer_id = ? ORDER BY o.ordinal")
            statement.bind(1, customerID)
            var rows: [OutboxRowWithStatus] = []
            try statement.forEachRow(path: path, { operation }) { rows.append(Self.outbox($0)) }
            return rows
        }
    }

    /// How many outbox rows have each status; statuses with no rows are absent.
    ///
    /// Pending rows are counted from the outbox floor and dead rows through `outbox_dead`; delivered
    /// rows are the rest, since grouping the whole outbox by status would read every row.
    package func outboxCounts() throws(StoreError) -> [String: Int] {
        let operation = "counting the outbox by status"
        return try read(operation) { db in
            var counts: [String: Int] = [:]
            let unsettled = try RawStatement(
                db,
                "SELECT 'pending', count(*) FROM outbox o LEFT JOIN outbox_settled s ON s.ordinal = o.ordinal "
                    + "WHERE \(SQL.outboxStatus(OutboxStatus.pending)) AND o.ordinal >= \(SQL.outboxFloor) "
                    + "UNION ALL SELECT 'dead', count(*) FROM outbox WHERE \(SQL.deadOnTheRow)")
            try unsettled.forEachRow(path: path, { operation }) { row in
                if row.int64(1) > 0 { counts[row.string(0)] = Int(row.int64(1)) }
            }
            let total = try RawStatement(db, "SELECT count(*) FROM outbox")
            var delivered = 0
            try total.forEachRow(path: path, { operation }) { delivered = Int($0.int64(0)) }
            delivered -= counts.values.reduce(0, +)
            if delivered > 0 { counts["delivered"] = delivered }
            return counts
        }
    }
}

extension StateStore {
    /// Klaviyo's and ActiveCampaign's pending and dead rows by kind: what the daemon's `/metrics` shows.
    ///
    /// Reads only rows that are pending or dead (through the status indexes), never the delivered bulk.
    package func unsettledCountsByKind() throws(StoreError)
        -> [(destination: String, kind: String, status: String, count: Int)]
    {
        try read("counting the unsettled outbox by kind") { db in
            var counts: [(destination: String, kind: String, status: String, count: Int)] = []
            for status in [OutboxStatus.pending, OutboxStatus.dead] {
                let floor = status == OutboxStatus.pending ? " AND o.ordinal >= \(SQL.outboxFloor)" : ""
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT o.kind, count(*) AS n FROM outbox o LEFT JOIN outbox_settled s ON s.ordinal = o.ordinal "
                        + "WHERE \(SQL.outboxStatus(status))\(floor) GROUP BY o.kind ORDER BY o.kind",
                    arguments: status == OutboxStatus.pending ? [] : [status])
                {
                    counts.append(("klaviyo", row["kind"], status, row["n"]))
                }
            }
            for status in [ActiveCampaignOutboxRow.Status.pending, .dead] {
                for row in try Row.fetchAll(
                    db,
                    sql: "SELECT kind, count(*) AS n FROM activecampaign_outbox WHERE status = ? GROUP BY kind "
                        + "ORDER BY kind",
                    arguments: [status.rawValue])
                {
                    let kind = ActiveCampaignOutboxRow.Kind(rawValue: row["kind"])?.name ?? "unknown"
                    counts.append(("activecampaign", kind, status.name, row["n"]))
                }
            }
            return counts
        }
    }

    /// The entry time (unix seconds) of each destination's first pending row in send order, when it has one.
    package func oldestPendingTimes() throws(StoreError) -> [String: Int64] {
        try read("reading the oldest pending rows") { db in
            var times: [String: Int64] = [:]
            times["klaviyo"] = try Int64.fetchOne(
                db,
                sql: "SELECT o.time FROM outbox o LEFT JOIN outbox_settled s ON s.ordinal = o.ordinal "
                    + "WHERE \(SQL.outboxStatus(OutboxStatus.pending)) AND o.ordinal >= \(SQL.outboxFloor) "
                    + "ORDER BY o.ordinal LIMIT 1")
            times["activecampaign"] = try Int64.fetchOne(
                db, sql: "SELECT time FROM activecampaign_outbox WHERE status = 0 ORDER BY ordinal LIMIT 1")
            return times
        }
    }
}

extension StateStore {
    /// The latest dead rows of every destination (highest ordinals first, `limit` of each): destination,
    /// ordinal, kind, customer id and the error, for the daemon's status page.
    package func latestDeadLetters(limit: Int) throws(StoreError)
        -> [(destination: String, ordinal: UInt64, kind: String, customerID: String, error: String)]
    {
        try read("reading the latest dead letters") { db in
            var letters: [(destination: String, ordinal: UInt64, kind: String, customerID: String, error: String)] = []
            for row in try Row.fetchAll(
                db,
                sql: "SELECT ordinal, kind, customer_id, last_error FROM outbox WHERE \(SQL.deadOnTheRow) "
                    + "ORDER BY ordinal DESC LIMIT ?", arguments: [limit])
            {
                letters.append(
                    (
                        "klaviyo", UInt64(bitPattern: row["ordinal"]), row["kind"], row["customer_id"],
                        row["last_error"] ?? ""
                    ))
            }
            for row in try Row.fetchAll(
                db,
                sql: "SELECT ordinal, kind, customer_id, last_error FROM activecampaign_outbox WHERE status = 2 "
                    + "ORDER BY ordinal DESC LIMIT ?", arguments: [limit])
            {
                let kind = ActiveCampaignOutboxRow.Kind(rawValue: row["kind"])?.name ?? "unknown"
                letters.append(
                    (
                        "activecampaign", UInt64(bitPattern: row["ordinal"]), kind, row["customer_id"],
                        row["last_error"] ?? ""
                    ))
            }
            return letters
        }
    }
}
