internal import GRDB
package import LogfoldStore

/// A table (or view) of the platform's own SQLite database that holds log entries, one JSON entry per
/// row, read in the order of an integer key: the SQLite table-poll ingest source.
///
/// Opened read-only, so logfold never writes the platform's database; its writers are not blocked (in
/// WAL mode) and a busy database is waited for. Names come from the operator and are quoted as
/// identifiers, never pasted into SQL as they are.
package final class SourceTable: Sendable {
    /// The database file.
    package let path: String
    /// The table or view.
    package let table: String
    /// The integer column rows are read in order of (`rowid` by default).
    package let keyColumn: String
    /// The column holding one JSON entry (text or blob).
    package let entryColumn: String
    private let queue: DatabaseQueue
    private let select: String

    /// Opens `path` read-only and checks that `table` has the two columns; throws a ``StoreError`` that
    /// lists the columns there are when it does not.
    package init(path: String, table: String, keyColumn: String = "rowid", entryColumn: String = "entry")
        throws(StoreError)
    {
        self.path = path
        self.table = table
        self.keyColumn = keyColumn
        self.entryColumn = entryColumn
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "logfold.source"
        configuration.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError.wrapping(error, doing: "opening the source database read-only", path: path)
        }
        let quotedKey = Self.quote(keyColumn)
        // As a blob: the stored bytes exactly. Read as text, SQLite's API cut the value at a NUL byte and the
        // driver replaced invalid UTF-8 with U+FFFD, so a bad row was journaled altered instead of rejected.
        let entry = "CAST(\(Self.quote(entryColumn)) AS BLOB)"
        select =
            "SELECT \(quotedKey), \(entry) FROM \(Self.quote(table)) WHERE \(quotedKey) > ? "
            + "ORDER BY \(quotedKey) LIMIT ?"
        try checkColumns()
    }

    /// Up to `limit` rows whose key is above `key`, in key order: each key with the entry's bytes (a
    /// `NULL` entry reads as the four bytes `null`, which ingest rejects with the row's key).
    package func rows(after key: Int64, limit: Int) throws(StoreError) -> [(key: Int64, entry: [UInt8])] {
        do {
            return try queue.read { db in
                var rows: [(key: Int64, entry: [UInt8])] = []
                let cursor = try Row.fetchCursor(db, sql: select, arguments: [key, limit])
                while let row = try cursor.next() {
                    guard let rowKey = row[0] as Int64? else {
                        throw StoreError(
                            code: .invalidArgument,
                            message: "A row of \(table) in \(path) has a \(keyColumn) that is not an integer "
                                + "(after key \(key)); choose an integer key column with --key-column")
                    }
                    let value = row[1] as DatabaseValue
                    let bytes: [UInt8] =
                        switch value.storage {
                        case .string(let text): Array(text.utf8)
                        case .blob(let data): Array(data)
                        case .null: Array("null".utf8)
                        case .int64(let number): Array(String(number).utf8)
                        case .double(let number): Array(String(number).utf8)
                        }
                    rows.append((rowKey, bytes))
                }
                return rows
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrapping(error, doing: "reading \(table) after \(keyColumn) \(key)", path: path)
        }
    }

    private func checkColumns() throws(StoreError) {
        let columns: [String]
        do {
            columns = try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map {
                    $0[0] as String
                }
            }
        } catch {
            throw StoreError.wrapping(error, doing: "reading the columns of \(table)", path: path)
        }
        guard !columns.isEmpty else {
            throw StoreError(
                code: .invalidArgument,
                message: "\(path) has no table or view named \(table); check --sqlite-table (names are case-sensitive "
                    + "as written in the schema)")
        }
        let rowidAliases = ["rowid", "oid", "_rowid_"]
        for (flag, column) in [("--key-column", keyColumn), ("--entry-column", entryColumn)]
        where !columns.contains(column) && !(flag == "--key-column" && rowidAliases.contains(column.lowercased())) {
            throw StoreError(
                code: .invalidArgument,
                message: "\(table) in \(path) has no column \(column); its columns are "
                    + "\(columns.joined(separator: ", ")); pass \(flag)")
        }
    }

    /// `name` as an SQL identifier.
    static func quote(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
