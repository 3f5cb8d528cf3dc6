internal import GRDB
internal import LogfoldDomain

extension StoreSchema {
    /// Customers re-encoded per statement of ``rewriteVersion1Customers(_:)``: a bounded batch in memory.
    static let customerRewriteBatch = 2_000

    /// Rewrites every version 1 customer blob in the current layout (schema v14).
    ///
    /// A live store upgraded without it would keep version 1 blobs for customers no entry touched since,
    /// where a replay writes the current layout: the two would hold the same state in different bytes, and
    /// their digests would disagree. Decoding and encoding are exact, so nothing else changes. A blob that
    /// does not decode is left as it is, for the projector to report where it reads it.
    static func rewriteVersion1Customers(_ db: Database) throws {
        let select = try RawStatement(
            db,
            "SELECT id, state FROM customers WHERE id > ? AND substr(state, 1, 1) = x'01' ORDER BY id LIMIT ?")
        let update = try RawStatement(db, "UPDATE customers SET state = ? WHERE id = ?")
        let path = db.description
        var after = ""
        while true {
            var rows: [(id: String, state: [UInt8])] = []
            select.bind(1, after)
            select.bind(2, Int64(customerRewriteBatch))
            try select.forEachRow(path: path, { "reading version 1 customer blobs after '\(after)'" }) { row in
                rows.append((row.string(0), row.bytes(1)))
            }
            guard let last = rows.last else { return }
            after = last.id
            for row in rows {
                guard let state = try? ProjectionCodec.decodeCustomer(row.state) else { continue }
                update.bind(1, ProjectionCodec.encode(state))
                update.bind(2, row.id)
                try update.execute(path: path) { "rewriting customer \(row.id)'s state blob" }
            }
        }
    }
}
