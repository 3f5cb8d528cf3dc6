internal import GRDB

extension StateStore {
    /// An id ActiveCampaign gave, by kind (`field`, `list`, `tag`, `contact`, `contact_tag`,
    /// `connection`, `customer`, `order`, `order_source`) and logfold's key for it.
    package func activeCampaignID(_ kind: String, _ key: String) throws(StoreError) -> String? {
        try read("reading ActiveCampaign's \(kind) id") { db in
            try String.fetchOne(
                db, sql: "SELECT id FROM activecampaign_ids WHERE kind = ? AND key = ?", arguments: [kind, key])
        }
    }

    /// Remembers an id ActiveCampaign gave (replacing an older one).
    package func saveActiveCampaignID(_ kind: String, _ key: String, _ id: String) throws(StoreError) {
        try write("remembering ActiveCampaign's \(kind) id") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO activecampaign_ids (kind, key, id) VALUES (?, ?, ?)",
                arguments: [kind, key, id])
        }
    }

    /// Forgets an id (a contact-tag removed, an id ActiveCampaign no longer knows).
    package func forgetActiveCampaignID(_ kind: String, _ key: String) throws(StoreError) {
        try write("forgetting ActiveCampaign's \(kind) id") { db in
            try db.execute(sql: "DELETE FROM activecampaign_ids WHERE kind = ? AND key = ?", arguments: [kind, key])
        }
    }

    /// Records a row as sent and not yet answered, before its request goes out.
    package func beginActiveCampaignFlight(_ ordinal: UInt64, kind: ActiveCampaignOutboxRow.Kind, at time: Int64)
        throws(StoreError)
    {
        try write("recording ActiveCampaign row \(ordinal) in flight") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO activecampaign_inflight (ordinal, kind, started_at) VALUES (?, ?, ?)",
                arguments: [Int64(bitPattern: ordinal), kind.rawValue, time])
        }
    }

    /// The rows a previous sender left in flight, cleared: they are still pending and go out again.
    ///
    /// A sender leaves a row in flight when it stops between a request and its answer's marking. Tracked
    /// events among them are counted in `activecampaign.possibly_repeated` (sender_state), since
    /// ActiveCampaign may have recorded them.
    package func takeActiveCampaignFlights(at time: Int64) throws(StoreError)
        -> [(ordinal: UInt64, kind: ActiveCampaignOutboxRow.Kind)]
    {
        try write("reading ActiveCampaign's rows in flight") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT ordinal, kind FROM activecampaign_inflight ORDER BY ordinal")
            let flights = rows.map {
                (
                    ordinal: UInt64(bitPattern: $0["ordinal"] as Int64),
                    kind: ActiveCampaignOutboxRow.Kind(rawValue: $0["kind"]) ?? .event
                )
            }
            let events = flights.filter { $0.kind == .event }.count
            if events > 0 {
                let before = try String.fetchOne(
                    db, sql: "SELECT value FROM sender_state WHERE name = 'activecampaign.possibly_repeated'")
                try db.execute(
                    sql: "INSERT OR REPLACE INTO sender_state (name, value, updated_at) VALUES (?, ?, ?)",
                    arguments: [
                        "activecampaign.possibly_repeated", String((before.flatMap { Int($0) } ?? 0) + events), time,
                    ])
            }
            try db.execute(sql: "DELETE FROM activecampaign_inflight")
            return flights
        }
    }

    /// How many tracked events a crash may have had ActiveCampaign record twice, over the store's life.
    package func activeCampaignPossiblyRepeated() throws(StoreError) -> Int {
        try read("reading ActiveCampaign's possibly repeated events") { db in
            Int(
                try String.fetchOne(
                    db, sql: "SELECT value FROM sender_state WHERE name = 'activecampaign.possibly_repeated'") ?? "0")
                ?? 0
        }
    }

    /// Settles one ActiveCampaign row: delivered (with why), dead (with ActiveCampaign's error), or a
    /// failed attempt that leaves it pending; takes it out of flight in the same transaction.
    package func settleActiveCampaign(
        _ ordinal: UInt64, status: ActiveCampaignOutboxRow.Status, outcome: String? = nil, error: String? = nil,
        at time: Int64
    ) throws(StoreError) {
        try write("settling ActiveCampaign row \(ordinal)") { db in
            try db.execute(
                sql: """
                    UPDATE activecampaign_outbox SET status = ?, outcome = coalesce(?, outcome),
                        last_error = coalesce(?, last_error), attempts = attempts + 1,
                        delivered_at = CASE WHEN ? = 1 THEN ? ELSE delivered_at END
                    WHERE ordinal = ?
                    """,
                arguments: [
                    status.rawValue, outcome, error, status.rawValue, time, Int64(bitPattern: ordinal),
                ])
            try db.execute(
                sql: "DELETE FROM activecampaign_inflight WHERE ordinal = ?", arguments: [Int64(bitPattern: ordinal)])
        }
    }

    /// Dead ActiveCampaign rows back to pending (all, or those with `keys`); returns how many.
    package func retryActiveCampaignDead(keys: [String]?) throws(StoreError) -> Int {
        try write("retrying ActiveCampaign's dead letters") { db in
            guard let keys else {
                try db.execute(sql: "UPDATE activecampaign_outbox SET status = 0 WHERE status = 2")
                return db.changesCount
            }
            var changed = 0
            for key in keys {
                try db.execute(
                    sql: "UPDATE activecampaign_outbox SET status = 0 WHERE status = 2 AND key = ?", arguments: [key])
                changed += db.changesCount
            }
            return changed
        }
    }
}

/// What ActiveCampaign's pending rows amount to, for the drain estimate.
package struct ActiveCampaignPendingWork: Sendable, Hashable {
    /// Pending rows by kind.
    package var rows: [ActiveCampaignOutboxRow.Kind: Int] = [:]
    /// Customers with pending rows of a coalesced kind (contact, list status, tag): one call each.
    package var customers: [ActiveCampaignOutboxRow.Kind: Int] = [:]
    /// Of those, the customers ActiveCampaign never had a contact row of: a bulk import's.
    package var newCustomers: [ActiveCampaignOutboxRow.Kind: Int] = [:]
    /// Customers whose pending orders need an e-commerce customer first.
    package var orderCustomers = 0
}

extension StateStore {
    /// What ActiveCampaign's pending rows will cost in calls.
    package func activeCampaignPendingWork() throws(StoreError) -> ActiveCampaignPendingWork {
        try read("estimating ActiveCampaign's pending calls") { db in
            var work = ActiveCampaignPendingWork()
            for row in try Row.fetchAll(
                db, sql: "SELECT kind, count(*) AS n FROM activecampaign_outbox WHERE status = 0 GROUP BY kind")
            {
                if let kind = ActiveCampaignOutboxRow.Kind(rawValue: row["kind"]) { work.rows[kind] = row["n"] }
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT p.kind, count(*) AS n, sum(d.customer_id IS NULL) AS new FROM
                        (SELECT DISTINCT customer_id, kind FROM activecampaign_outbox
                            WHERE status = 0 AND kind IN (1, 2, 3)) AS p
                        LEFT JOIN (SELECT DISTINCT customer_id FROM activecampaign_outbox
                            WHERE status != 0 AND kind = 1) AS d ON d.customer_id = p.customer_id
                    GROUP BY p.kind
                    """)
            {
                guard let kind = ActiveCampaignOutboxRow.Kind(rawValue: row["kind"]) else { continue }
                work.customers[kind] = row["n"]
                work.newCustomers[kind] = row["new"]
            }
            work.orderCustomers =
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(DISTINCT customer_id) FROM activecampaign_outbox WHERE status = 0 AND kind = 5")
                ?? 0
            return work
        }
    }
}

extension StateStore {
    /// Whether a later row of `kind` about `customerID` exists (any status): an earlier contact sync or list
    /// status is then superseded, since the later one carries the customer's whole current state.
    package func hasLaterActiveCampaignRow(
        _ kind: ActiveCampaignOutboxRow.Kind, customerID: String, after ordinal: UInt64
    ) throws(StoreError) -> Bool {
        try read("looking for a later ActiveCampaign row of customer \(customerID)") { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT 1 FROM activecampaign_outbox WHERE customer_id = ? AND kind = ? AND ordinal > ? LIMIT 1",
                arguments: [customerID, kind.rawValue, Int64(bitPattern: ordinal)]) ?? false
        }
    }
}
