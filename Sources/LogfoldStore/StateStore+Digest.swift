internal import GRDB

extension StateStore {
    /// The hex SHA-256 of the canonical state and outbox: what projection produced, and nothing else.
    ///
    /// Customers by id, orders by id, outbox rows by ordinal, then checkpoints by name, each row's
    /// columns serialised unambiguously (``CanonicalHasher``), all read from one snapshot. The outbox's
    /// delivery columns (status, attempts, last error) and the delivery ledger are excluded, so a replay
    /// into a fresh store has the digest of a live store whose sender has been running. Equal content
    /// gives an equal digest whatever batch sizes or row orders it was committed with.
    ///
    /// With `destination` (`klaviyo`, `activecampaign`) it covers that destination's outbox and
    /// checkpoint only. Without, everything; ActiveCampaign's outbox counts once
    /// it has rows, so a Klaviyo-only store keeps the digest earlier builds gave it. Its rows count with
    /// their whole message (``ActiveCampaignOutboxRow/json``) where the body is: a row stored whole by an
    /// earlier build and the same row stored without its columns' members digest the same.
    package func digest(destination: String? = nil) throws(StoreError) -> String {
        let activeCampaign: (name: String, sql: String) = (
            "activecampaign_outbox",
            // The first seven columns of ``selectActiveCampaignRows``, as ``activeCampaignStoredRow(_:)`` reads
            // them; the delivery columns are left out, as for Klaviyo's outbox.
            "SELECT ordinal, key, kind, customer_id, time, source_seq, body FROM activecampaign_outbox ORDER BY ordinal"
        )
        var tables: [(name: String, sql: String)] = [
            ("customers", SQL.selectCustomers + " ORDER BY id"),
            ("orders", SQL.selectOrders + " ORDER BY id"),
            ("outbox", "SELECT \(SQL.outboxColumns.joined(separator: ", ")) FROM outbox ORDER BY ordinal"),
            ("checkpoints", "SELECT name, seq FROM checkpoints ORDER BY name"),
            ("identifier_owners", "SELECT identifier, customer_id FROM identifier_owners ORDER BY identifier"),
            ("journal_clocks", "SELECT name, week, sweeping, swept_through FROM journal_clocks ORDER BY name"),
        ]
        switch destination {
        case nil:
            let rows = try read("counting ActiveCampaign's outbox") { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM activecampaign_outbox") ?? 0
            }
            if rows > 0 { tables.append(activeCampaign) }
        case "klaviyo"?:
            // Klaviyo's own: its outbox and checkpoint (the customers' state is every destination's).
            tables = [tables[2], ("checkpoints", "SELECT name, seq FROM checkpoints WHERE name = 'klaviyo'")]
        case "activecampaign"?:
            tables = [
                activeCampaign, ("checkpoints", "SELECT name, seq FROM checkpoints WHERE name = 'activecampaign'"),
            ]
        case let other?:
            throw StoreError(
                code: .invalidArgument, message: "no destination \(other): name klaviyo or activecampaign")
        }
        return try read("computing the digest") { db in
            var hasher = CanonicalHasher(format: "logfold-state-digest-1")
            for table in tables {
                hasher.beginTable(table.name)
                let statement = try RawStatement(db, table.sql)
                var rows: Int64 = 0
                let wholeMessages = table.name == activeCampaign.name
                try statement.forEachRow(path: path, { "computing the digest of \(table.name)" }) { row in
                    if wholeMessages {
                        hasher.row(row, replacing: 6, with: Self.activeCampaignStoredRow(row).json)
                    } else {
                        hasher.row(row)
                    }
                    rows += 1
                }
                hasher.endTable(rows: rows)
            }
            return hasher.finish()
        }
    }
}
