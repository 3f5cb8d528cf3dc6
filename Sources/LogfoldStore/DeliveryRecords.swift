internal import GRDB

/// Writes `outbox_settled` records for delivered rows a run at a time: consecutive marks of one outcome
/// go in as one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING ordinal`, in their order.
///
/// One statement run per row spent a fifth of marking's time in SQLite's per-statement work (halting and
/// resetting the program); a run of 64 rows pays it once. `RETURNING` names the rows SQLite inserted, so the
/// caller still learns which marks delivered a row for the first time (a row delivered before keeps its
/// first record, and is not returned). The outcome is written into the statement's text: bound, SQLite
/// copied it into a fresh allocation per row.
struct DeliveryRecords {
    /// Statement sizes, largest first: a run is written greedily in these, so at most three statements are
    /// prepared per outcome.
    private static let sizes = [64, 8, 1]

    private let time: Int64
    private var outcome = ""
    private var ordinals: [UInt64] = []
    /// Prepared statements by outcome and row count.
    private var statements: [String: [Int: RawStatement]] = [:]

    init(time: Int64) {
        self.time = time
        ordinals.reserveCapacity(Self.sizes[0])
    }

    /// Adds a delivered row; writes the run before it when the outcome changes or the run is full.
    ///
    /// `inserted` hears each row that got its first record.
    mutating func add(
        _ ordinal: UInt64, _ outcome: String, _ db: Database, path: String, inserted: (UInt64) -> Void
    ) throws {
        if !ordinals.isEmpty, outcome != self.outcome || ordinals.count == Self.sizes[0] {
            try flush(db, path: path, inserted: inserted)
        }
        self.outcome = outcome
        ordinals.append(ordinal)
    }

    /// Writes the rows added since the last flush.
    mutating func flush(_ db: Database, path: String, inserted: (UInt64) -> Void) throws {
        var start = 0
        while start < ordinals.count {
            let size = Self.sizes.first { $0 <= ordinals.count - start } ?? 1
            let statement = try self.statement(rows: size, db)
            for offset in 0..<size { statement.bind(Int32(offset + 1), ordinals[start + offset]) }
            statement.bind(Int32(size + 1), time)
            let first = ordinals[start]
            try statement.forEachRow(path: path, { "marking outbox rows from \(first) delivered" }) { row in
                inserted(row.uint64(0))
            }
            start += size
        }
        ordinals.removeAll(keepingCapacity: true)
    }

    private mutating func statement(rows: Int, _ db: Database) throws -> RawStatement {
        if let prepared = statements[outcome]?[rows] { return prepared }
        let literal =
            "'" + outcome.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        let values = (1...rows).map { "(?\($0), \(literal), ?\(rows + 1))" }.joined(separator: ", ")
        let statement = try RawStatement(
            db,
            "INSERT INTO outbox_settled (ordinal, outcome, delivered_at) VALUES \(values) "
                + "ON CONFLICT DO NOTHING RETURNING ordinal")
        statements[outcome, default: [:]][rows] = statement
        return statement
    }
}
