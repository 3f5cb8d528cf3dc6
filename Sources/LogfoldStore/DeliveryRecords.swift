internal import GRDB

/// Writes `outbox_settled` records for delivered rows a run at a time: consecutive marks of one outcome
/// go in as one multi-row `INSERT`, in their order.
///
/// One statement run per row spent a fifth of marking's time in SQLite's per-statement work (halting and
/// resetting the program); a run of 64 rows pays it once. The caller learns which marks delivered a row
/// for the first time: a row delivered before keeps its first record. A run first goes in as a plain
/// `INSERT`, which inserts every row or, when one already has a record, none (SQLite backs the statement
/// out and the transaction goes on); only then does it go again as `INSERT … ON CONFLICT DO NOTHING
/// RETURNING ordinal`, which names the rows it inserted. Nearly every run is new, and `RETURNING` doubled
/// the insert's cost (1.0–1.5 against 0.45–0.64 µs a row, measured through Python's `sqlite3`). The
/// outcome is written into the statement's text: bound, SQLite copied it into a fresh allocation per row.
struct DeliveryRecords {
    /// Statement sizes, largest first: a run is written greedily in these, so at most three statements are
    /// prepared per outcome.
    private static let sizes = [64, 8, 1]

    private let time: Int64
    private var outcome = ""
    private var ordinals: [UInt64] = []
    /// Prepared statements by outcome and row count: the plain insert and the one that returns.
    private var statements: [String: [Int: (plain: RawStatement, returning: RawStatement)]] = [:]

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
            let statements = try self.statements(rows: size, db)
            let first = ordinals[start]
            let describe = { "marking outbox rows from \(first) delivered" }
            bind(statements.plain, from: start, size)
            if try statements.plain.executeUnlessConstraintFails(path: path, describe) {
                for offset in 0..<size { inserted(ordinals[start + offset]) }
            } else {
                bind(statements.returning, from: start, size)
                try statements.returning.forEachRow(path: path, describe) { row in inserted(row.uint64(0)) }
            }
            start += size
        }
        ordinals.removeAll(keepingCapacity: true)
    }

    private func bind(_ statement: RawStatement, from start: Int, _ size: Int) {
        for offset in 0..<size { statement.bind(Int32(offset + 1), ordinals[start + offset]) }
        statement.bind(Int32(size + 1), time)
    }

    private mutating func statements(rows: Int, _ db: Database) throws -> (
        plain: RawStatement, returning: RawStatement
    ) {
        if let prepared = statements[outcome]?[rows] { return prepared }
        let literal =
            "'" + outcome.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        let values = (1...rows).map { "(?\($0), \(literal), ?\(rows + 1))" }.joined(separator: ", ")
        let insert = "INSERT INTO outbox_settled (ordinal, outcome, delivered_at) VALUES \(values)"
        let prepared = (
            plain: try RawStatement(db, insert),
            returning: try RawStatement(db, insert + " ON CONFLICT DO NOTHING RETURNING ordinal")
        )
        statements[outcome, default: [:]][rows] = prepared
        return prepared
    }
}
