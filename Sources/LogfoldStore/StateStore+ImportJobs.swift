internal import GRDB

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
            // Both kinds of row were marked delivered when the job was accepted: their records go.
            for ordinal in resend {
                try db.execute(
                    sql: "UPDATE outbox SET status = 'pending', outcome = NULL, delivered_at = NULL, "
                        + "last_error = 'resent without phone_number: it belongs to another Klaviyo profile', "
                        + "attempts = attempts + \(SQL.attemptOfRecord) WHERE ordinal = ?",
                    arguments: [Int64(ordinal)]
                )
                try db.execute(sql: "DELETE FROM outbox_settled WHERE ordinal = ?", arguments: [Int64(ordinal)])
            }
            if let first = resend.min() { try Self.lowerOutboxFloor(to: Int64(truncatingIfNeeded: first), db) }
            let statement = try RawStatement(
                db,
                "UPDATE outbox SET status = 'dead', outcome = NULL, last_error = ?, "
                    + "attempts = attempts + \(SQL.attemptOfRecord) WHERE ordinal = ?"
            )
            let record = try RawStatement(db, "DELETE FROM outbox_settled WHERE ordinal = ?")
            for mark in dead {
                statement.bind(1, mark.error)
                statement.bind(2, mark.ordinal)
                try statement.execute(path: path) { "dead-lettering outbox row \(mark.ordinal) after job \(id)" }
                record.bind(1, mark.ordinal)
                try record.execute(path: path) { "dead-lettering outbox row \(mark.ordinal) after job \(id)" }
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
