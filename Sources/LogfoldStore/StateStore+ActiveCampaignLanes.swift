internal import GRDB

/// The reads ActiveCampaign's sender plans with: its two lanes (live rows from a boundary ordinal on,
/// history rows below it), the rows a live row needs sent first, and a history send's bulk imports.
extension StateStore {
    /// The first ordinal of the live lane: the lowest of the rows whose entry happened at `since` or later,
    /// or one past the last row when every row is older (rows folded later are live).
    package func activeCampaignLiveBoundary(since: Int64) throws(StoreError) -> UInt64 {
        try read("finding ActiveCampaign's live rows") { db in
            let first = try Int64.fetchOne(
                db, sql: "SELECT min(ordinal) FROM activecampaign_outbox WHERE time >= ?", arguments: [since])
            if let first { return UInt64(bitPattern: first) }
            let last = try Int64.fetchOne(db, sql: "SELECT max(ordinal) FROM activecampaign_outbox") ?? 0
            return UInt64(bitPattern: last) + 1
        }
    }

    /// Pending rows with an ordinal above `after` and below `before`, in ordinal order.
    package func pendingActiveCampaignRows(after: UInt64, before: UInt64 = .max, limit: Int) throws(StoreError)
        -> [ActiveCampaignOutboxRow]
    {
        try read("reading ActiveCampaign's pending rows") { db in
            let statement = try RawStatement(
                db,
                Self.selectActiveCampaignRows
                    + " WHERE status = 0 AND ordinal > ? AND ordinal < ? ORDER BY ordinal LIMIT ?")
            statement.bind(1, Int64(bitPattern: after))
            statement.bind(2, Int64(bitPattern: min(before, UInt64(Int64.max))))
            statement.bind(3, Int64(limit))
            var rows: [ActiveCampaignOutboxRow] = []
            try statement.forEachRow(path: path, { "reading ActiveCampaign's pending rows" }) {
                rows.append(Self.activeCampaignRow($0).row)
            }
            return rows
        }
    }

    /// The latest pending row of `kind` about `customerID` before `ordinal` (with `orderID`, only an order
    /// row of that order): what a live row pulls forward from the history lane.
    package func pendingActiveCampaignRow(
        _ kind: ActiveCampaignOutboxRow.Kind, customerID: String, before ordinal: UInt64, orderID: String? = nil
    ) throws(StoreError) -> ActiveCampaignOutboxRow? {
        try read("reading customer \(customerID)'s pending ActiveCampaign rows") { db in
            // `+status`: through the customer's rows, not every pending row (``StateStore/hasPendingProfile``).
            var sql =
                Self.selectActiveCampaignRows + " WHERE customer_id = ? AND kind = ? AND +status = 0 AND ordinal < ?"
            if orderID != nil { sql += " AND json_extract(body, '$.order_id') = ?" }
            let statement = try RawStatement(db, sql + " ORDER BY ordinal DESC LIMIT 1")
            statement.bind(1, customerID)
            statement.bind(2, kind.rawValue)
            statement.bind(3, Int64(bitPattern: min(ordinal, UInt64(Int64.max))))
            if let orderID { statement.bind(4, orderID) }
            var found: ActiveCampaignOutboxRow?
            try statement.forEachRow(path: path, { "reading ActiveCampaign's pending rows" }) {
                found = Self.activeCampaignRow($0).row
            }
            return found
        }
    }

    /// What a bulk import carries.
    ///
    /// Up to `limit` customers' latest contact rows, pending in the history lane (below `before`, of entries
    /// older than `cutoff`), of
    /// customers ActiveCampaign has never had a contact row of. With each, the
    /// customer's latest list-status and tag rows when they are pending and none of that kind was ever
    /// delivered (an import can subscribe and tag a new contact, but neither re-subscribe nor untag).
    package func activeCampaignBulkCandidates(before: UInt64, olderThan cutoff: Int64, limit: Int) throws(StoreError)
        -> [(contact: ActiveCampaignOutboxRow, list: ActiveCampaignOutboxRow?, tag: ActiveCampaignOutboxRow?)]
    {
        try read("choosing ActiveCampaign's bulk import") { db in
            let contacts = try RawStatement(
                db,
                Self.selectActiveCampaignRows + """
                     AS o WHERE status = 0 AND kind = 1 AND ordinal < ? AND time < ?
                        AND NOT EXISTS (SELECT 1 FROM activecampaign_outbox AS l
                            WHERE l.customer_id = o.customer_id AND l.kind = 1 AND l.ordinal > o.ordinal)
                        AND NOT EXISTS (SELECT 1 FROM activecampaign_outbox AS d
                            WHERE d.customer_id = o.customer_id AND d.kind = 1 AND d.status != 0)
                    ORDER BY ordinal LIMIT ?
                    """)
            contacts.bind(1, Int64(bitPattern: min(before, UInt64(Int64.max))))
            contacts.bind(2, cutoff)
            contacts.bind(3, Int64(limit))
            var rows: [ActiveCampaignOutboxRow] = []
            try contacts.forEachRow(path: path, { "choosing ActiveCampaign's bulk import" }) {
                rows.append(Self.activeCampaignRow($0).row)
            }
            // `+status`: through the customer's rows, not every pending row (``StateStore/hasPendingProfile``).
            let companion = try RawStatement(
                db,
                Self.selectActiveCampaignRows + """
                     AS o WHERE customer_id = ? AND kind = ? AND +status = 0 AND ordinal < ? AND time < ?
                        AND NOT EXISTS (SELECT 1 FROM activecampaign_outbox AS l
                            WHERE l.customer_id = o.customer_id AND l.kind = o.kind AND l.ordinal > o.ordinal)
                        AND NOT EXISTS (SELECT 1 FROM activecampaign_outbox AS d
                            WHERE d.customer_id = o.customer_id AND d.kind = o.kind AND d.status != 0)
                    """)
            func latest(_ kind: ActiveCampaignOutboxRow.Kind, of customerID: String) throws -> ActiveCampaignOutboxRow?
            {
                companion.bind(1, customerID)
                companion.bind(2, kind.rawValue)
                companion.bind(3, Int64(bitPattern: min(before, UInt64(Int64.max))))
                companion.bind(4, cutoff)
                var found: ActiveCampaignOutboxRow?
                try companion.forEachRow(path: path, { "choosing ActiveCampaign's bulk import" }) {
                    found = Self.activeCampaignRow($0).row
                }
                return found
            }
            return try rows.map { row in
                (row, try latest(.listStatus, of: row.customerID), try latest(.tag, of: row.customerID))
            }
        }
    }

    /// Settles every pending row of `kind` about `customerID` up to `ordinal` as delivered by a bulk import
    /// (the latest carried in it, the earlier ones superseded by it), in one transaction for a batch.
    package func settleActiveCampaignBulk(
        _ settled: [(kind: ActiveCampaignOutboxRow.Kind, customerID: String, through: UInt64)], at time: Int64
    ) throws(StoreError) {
        try write("settling an ActiveCampaign bulk import") { db in
            // `+status`: through the customer's rows, not every pending row (``StateStore/hasPendingProfile``).
            let update = try RawStatement(
                db,
                """
                UPDATE activecampaign_outbox SET status = 1, attempts = attempts + 1, delivered_at = ?4,
                    outcome = CASE WHEN ordinal = ?3 THEN 'bulk imported' ELSE 'superseded' END
                WHERE customer_id = ?1 AND kind = ?2 AND +status = 0 AND ordinal <= ?3
                """)
            for row in settled {
                update.bind(1, row.customerID)
                update.bind(2, row.kind.rawValue)
                update.bind(3, Int64(bitPattern: row.through))
                update.bind(4, time)
                try update.execute(path: path) { "settling an ActiveCampaign bulk import" }
            }
        }
    }
}
