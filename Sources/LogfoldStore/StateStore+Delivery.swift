internal import GRDB

/// One event Klaviyo holds, as the delivery ledger records it: Klaviyo's own dedupe key.
package struct LedgerEntry: Sendable, Hashable {
    /// The metric name.
    package var metric: String
    /// The event's `unique_id`.
    package var uniqueID: String
    /// The profile's `external_id` (the platform customer id).
    package var profileKey: String

    /// Creates an entry.
    package init(metric: String, uniqueID: String, profileKey: String) {
        self.metric = metric
        self.uniqueID = uniqueID
        self.profileKey = profileKey
    }
}

/// A row's delivery result: delivered with an outcome, or dead with Klaviyo's error.
package struct DeliveryMark: Sendable, Hashable {
    /// The row.
    package var ordinal: UInt64
    /// `accepted`, `deduplicated`, `superseded` or `ledger` for delivered rows; `nil` for dead ones.
    package var outcome: String?
    /// The error text of a dead row.
    package var error: String?

    /// A delivered row.
    package static func delivered(_ ordinal: UInt64, _ outcome: String) -> DeliveryMark {
        DeliveryMark(ordinal: ordinal, outcome: outcome, error: nil)
    }

    /// A dead row.
    package static func dead(_ ordinal: UInt64, _ error: String) -> DeliveryMark {
        DeliveryMark(ordinal: ordinal, outcome: nil, error: error)
    }
}

extension StateStore {
    /// Marks rows delivered or dead and records delivered events in the ledger, in one transaction: what
    /// one Klaviyo answer settled is kept whole or not at all.
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
            let delivered = try RawStatement(
                db,
                "UPDATE outbox SET status = 'delivered', outcome = ?, delivered_at = ?, attempts = attempts + 1 "
                    + "WHERE ordinal = ? AND status <> 'delivered'"
            )
            let dead = try RawStatement(
                db,
                "UPDATE outbox SET status = 'dead', last_error = ?, attempts = attempts + 1 WHERE ordinal = ?"
            )
            for mark in marks {
                if let outcome = mark.outcome {
                    delivered.bind(1, outcome)
                    delivered.bind(2, time)
                    delivered.bind(3, mark.ordinal)
                    try delivered.execute(path: path) { "marking outbox row \(mark.ordinal) delivered" }
                } else {
                    dead.bind(1, mark.error)
                    dead.bind(2, mark.ordinal)
                    try dead.execute(path: path) { "marking outbox row \(mark.ordinal) dead" }
                }
            }
            let insert = try RawStatement(
                db,
                "INSERT INTO delivery_ledger (metric, unique_id, profile_key, delivered_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING"
            )
            for entry in ledger {
                insert.bind(1, entry.metric)
                insert.bind(2, entry.uniqueID)
                insert.bind(3, entry.profileKey)
                insert.bind(4, time)
                try insert.execute(path: path) { "recording \(entry.metric)/\(entry.uniqueID) in the ledger" }
            }
        }
    }

    /// Counts a failed attempt on rows that stay pending, with the error that explains it.
    package func recordFailedAttempt(_ ordinals: [UInt64], error: String) throws(StoreError) {
        guard !ordinals.isEmpty else { return }
        try write("recording a failed attempt on \(ordinals.count) outbox rows") { db in
            let statement = try RawStatement(
                db, "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE ordinal = ? AND status = 'pending'"
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
    package func retryDead(keys: [String]?) throws(StoreError) -> Int {
        try write("putting dead letters back to pending") { db in
            if let keys {
                var moved = 0
                for key in keys {
                    try db.execute(
                        sql: "UPDATE outbox SET status = 'pending', outcome = NULL WHERE key = ? AND status = 'dead'",
                        arguments: [key]
                    )
                    moved += db.changesCount
                }
                return moved
            }
            try db.execute(sql: "UPDATE outbox SET status = 'pending', outcome = NULL WHERE status = 'dead'")
            return db.changesCount
        }
    }

    /// Marks pending events the ledger already holds as delivered (outcome `ledger`).
    ///
    /// A history rebuild sends only what Klaviyo does not have. Returns how many rows it marked.
    package func settleFromLedger(at time: Int64) throws(StoreError) -> Int {
        try write("marking events the delivery ledger holds") { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET status = 'delivered', outcome = 'ledger', delivered_at = ?
                    WHERE kind = 'event' AND status = 'pending' AND EXISTS (
                        SELECT 1 FROM delivery_ledger l
                        WHERE l.metric = outbox.metric AND l.unique_id = outbox.unique_id
                            AND l.profile_key = outbox.customer_id)
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
                    return .commit
                }
                return gained
            }
        } catch {
            throw StoreError.wrapping(error, doing: "copying the delivery ledger of \(other)", path: path)
        }
    }

    /// How many events the delivery ledger holds.
    package func ledgerCount() throws(StoreError) -> Int {
        try read("counting the delivery ledger") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM delivery_ledger") ?? 0
        }
    }

    /// Pending rows by kind.
    package func pendingCounts() throws(StoreError) -> [String: Int] {
        try read("counting pending outbox rows by kind") { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT kind, count(*) FROM outbox WHERE status = 'pending' GROUP BY kind"
            ) {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }
}

/// A Klaviyo bulk import job: accepted at once, processed later, with per-profile errors to read.
package struct ImportJob: Sendable, Hashable {
    /// Klaviyo's job id.
    package var id: String
    /// For each profile of the request, in order, the outbox rows it settled.
    package var rows: [[UInt64]]

    /// Creates a job.
    package init(id: String, rows: [[UInt64]]) {
        self.id = id
        self.rows = rows
    }

    var encodedRows: String {
        rows.map { $0.map(String.init).joined(separator: ",") }.joined(separator: ";")
    }

    init(id: String, encodedRows: String) {
        self.id = id
        rows = encodedRows.split(separator: ";", omittingEmptySubsequences: false).map {
            $0.split(separator: ",").compactMap { UInt64($0) }
        }
    }
}

extension StateStore {
    /// Bulk import jobs whose outcome has not been read yet, oldest first.
    package func openImportJobs() throws(StoreError) -> [ImportJob] {
        try read("reading open Klaviyo import jobs") { db in
            try Row.fetchAll(db, sql: "SELECT id, rows FROM klaviyo_jobs WHERE status = 'open' ORDER BY created_at, id")
                .map { ImportJob(id: $0[0], encodedRows: $0[1]) }
        }
    }

    /// Closes a job with its final status in one transaction: the rows of the profiles Klaviyo failed to
    /// import die, and `resend` rows go back to pending (customers whose phone belongs to another profile,
    /// noted in `phoneConflicts` so they are sent without it).
    package func closeImportJob(
        _ id: String, status: String, dead: [DeliveryMark], resend: [UInt64] = [],
        phoneConflicts: [String: String] = [:], at time: Int64 = 0
    ) throws(StoreError) {
        try write("closing Klaviyo import job \(id)") { db in
            try db.execute(sql: "UPDATE klaviyo_jobs SET status = ? WHERE id = ?", arguments: [status, id])
            for (externalID, detail) in phoneConflicts.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: "INSERT INTO klaviyo_phone_conflicts (external_id, detail, noted_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT(external_id) DO UPDATE SET detail = excluded.detail",
                    arguments: [externalID, detail, time]
                )
            }
            for ordinal in resend {
                try db.execute(
                    sql: "UPDATE outbox SET status = 'pending', outcome = NULL, delivered_at = NULL, "
                        + "last_error = 'resent without phone_number: it belongs to another Klaviyo profile' "
                        + "WHERE ordinal = ?",
                    arguments: [Int64(ordinal)]
                )
            }
            let statement = try RawStatement(
                db, "UPDATE outbox SET status = 'dead', outcome = NULL, last_error = ? WHERE ordinal = ?"
            )
            for mark in dead {
                statement.bind(1, mark.error)
                statement.bind(2, mark.ordinal)
                try statement.execute(path: path) { "dead-lettering outbox row \(mark.ordinal) after job \(id)" }
            }
        }
    }
}

extension StateStore {
    /// The customers among `externalIDs` whose phone number belongs to another Klaviyo profile.
    package func phoneConflicts(among externalIDs: [String]) throws(StoreError) -> Set<String> {
        try read("reading phone conflicts") { db in
            var found = Set<String>()
            let statement = try RawStatement(db, "SELECT 1 FROM klaviyo_phone_conflicts WHERE external_id = ?")
            for id in Set(externalIDs).sorted() {
                statement.bind(1, id)
                try statement.forEachRow(path: path, { "reading phone conflicts" }) { _ in found.insert(id) }
            }
            return found
        }
    }

    /// Notes a customer whose phone number belongs to another Klaviyo profile.
    package func notePhoneConflict(_ externalID: String, detail: String, at time: Int64) throws(StoreError) {
        try write("noting a phone conflict of customer \(externalID)") { db in
            try db.execute(
                sql: "INSERT INTO klaviyo_phone_conflicts (external_id, detail, noted_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT(external_id) DO UPDATE SET detail = excluded.detail",
                arguments: [externalID, detail, time]
            )
        }
    }

    /// The customer of each outbox row in `ordinals`.
    package func customerIDs(ofRows ordinals: [UInt64]) throws(StoreError) -> [UInt64: String] {
        try read("reading the customers of outbox rows") { db in
            var ids: [UInt64: String] = [:]
            let statement = try RawStatement(db, "SELECT customer_id FROM outbox WHERE ordinal = ?")
            for ordinal in ordinals {
                statement.bind(1, ordinal)
                try statement.forEachRow(path: path, { "reading outbox row \(ordinal)" }) {
                    ids[ordinal] = $0.string(0)
                }
            }
            return ids
        }
    }
}
