internal import Foundation
internal import GRDB

/// The sandbox's state on SQLite: one GRDB `DatabasePool` in WAL mode at `DIR/sandbox.sqlite`, so a
/// restarted sandbox keeps its profiles, events, lists, jobs, counters and request log.
///
/// Every operation is one transaction run with GRDB's async API (off the cooperative pool); the checks
/// that depend on stored state (dedupe, profile conflicts) happen inside the same write transaction as
/// the changes, and a request refused by them throws, rolling everything back.
package final class SandboxStore: Sendable {
    /// The database file's path.
    package let path: String
    let pool: DatabasePool

    /// Opens (creating and migrating on first use) the state file at `path`; its directory is created.
    package init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.label = "logfold.sandbox"
        configuration.busyMode = .timeout(10)
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try SandboxSchema.migrator.migrate(pool)
    }

    /// Empties every table (`POST /sandbox/reset`): counters restart, so ids repeat from the first.
    package func reset() async throws {
        try await pool.write { db in
            for table in SandboxSchema.tables { try db.execute(sql: "DELETE FROM \(table)") }
        }
    }

    // MARK: - Counters

    /// Adds `deltas` to the named counters and appends `entry` to the request log, in one transaction.
    package func record(_ entry: RequestLogEntry, counters deltas: [String: Int]) async throws {
        try await pool.write { db in
            try Self.add(deltas, in: db)
            try db.execute(
                sql: """
                    INSERT INTO requests (method, path, endpoint, status, received_at_ms, answered_at_ms, events, fault)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.method, entry.path, entry.endpoint, entry.status, entry.receivedAt, entry.answeredAt,
                    entry.events, entry.fault,
                ])
        }
    }

    static func add(_ deltas: [String: Int], in db: Database) throws {
        for (name, delta) in deltas where delta != 0 {
            try db.execute(
                sql: """
                    INSERT INTO counters (name, value) VALUES (?, ?)
                    ON CONFLICT(name) DO UPDATE SET value = value + excluded.value
                    """,
                arguments: [name, delta])
        }
    }

    /// The next value of counter `name` (1 for the first), inside a write transaction.
    static func next(_ name: String, in db: Database) throws -> Int64 {
        try add([name: 1], in: db)
        return try Int64.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [name]) ?? 1
    }

    /// Every counter by name.
    package func counters() async throws -> [String: Int64] {
        try await pool.read { db in
            var result: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counters") {
                result[row["name"]] = row["value"]
            }
            return result
        }
    }

    // MARK: - JSON columns

    static func text(_ members: [SandboxJSON.Member]) -> String { SandboxJSON.object(members).rendered }

    static func members(_ text: String?) -> [SandboxJSON.Member] {
        guard let text, let value = try? SandboxJSON.parse(text) else { return [] }
        return value.objectMembers ?? []
    }
}
