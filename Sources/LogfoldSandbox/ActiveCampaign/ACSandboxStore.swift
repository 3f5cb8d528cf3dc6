internal import Foundation
internal import GRDB

/// The local ActiveCampaign's state on SQLite (`DIR/activecampaign-sandbox.sqlite`), kept across restarts.
///
/// Every resource ActiveCampaign holds (contacts, fields, field values, lists, contact lists, tags,
/// contact tags, connections, e-commerce customers and orders, bulk imports) is a row of `objects`: its
/// kind, its id (numbered per kind from 1, as ActiveCampaign's are), its natural key (a contact's email,
/// a tag's name, a connection's service and external id, …) unique per kind, and its JSON document.
/// Tracked events are appended to `events`. One request is one transaction.
package final class ACSandboxStore: Sendable {
    /// The database file's path.
    package let path: String
    let pool: DatabasePool

    /// The tables `POST /sandbox/reset` empties.
    static let tables = ["objects", "events", "counters", "requests"]

    /// Opens (creating on first use) the state file at `path`.
    package init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.label = "logfold.sandbox.activecampaign"
        configuration.busyMode = .timeout(10)
        configuration.journalMode = .wal
        pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-tables") { db in
            for statement in Self.schema { try db.execute(sql: statement) }
        }
        try migrator.migrate(pool)
    }

    static let schema = [
        """
        CREATE TABLE objects (
            kind TEXT NOT NULL,
            id INTEGER NOT NULL,
            key TEXT NOT NULL,
            doc TEXT NOT NULL,
            PRIMARY KEY (kind, id),
            UNIQUE (kind, key)
        )
        """,
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            email TEXT NOT NULL,
            event TEXT NOT NULL,
            eventdata TEXT,
            received_ms INTEGER NOT NULL
        )
        """,
        "CREATE TABLE counters (name TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL)",
        """
        CREATE TABLE requests (
            seq INTEGER PRIMARY KEY,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            status INTEGER NOT NULL,
            received_at_ms INTEGER NOT NULL,
            answered_at_ms INTEGER NOT NULL,
            fault TEXT
        )
        """,
    ]

    /// Empties every table.
    package func reset() async throws {
        try await pool.write { db in
            for table in Self.tables { try db.execute(sql: "DELETE FROM \(table)") }
        }
    }

    /// Runs `body` in one write transaction; what it throws rolls everything back.
    func write<T: Sendable>(_ body: @escaping @Sendable (ACObjects) throws -> T) async throws -> T {
        try await pool.write { db in try body(ACObjects(db: db)) }
    }

    /// Runs `body` on a read snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (ACObjects) throws -> T) async throws -> T {
        try await pool.read { db in try body(ACObjects(db: db)) }
    }

    /// Appends a request to the log and adds to the counters.
    func record(
        method: String, path: String, status: Int, receivedAt: Int64, answeredAt: Int64, fault: String?,
        counters deltas: [String: Int]
    ) async throws {
        try await pool.write { db in
            for (name, delta) in deltas where delta != 0 {
                try db.execute(
                    sql: """
                        INSERT INTO counters (name, value) VALUES (?, ?)
                        ON CONFLICT(name) DO UPDATE SET value = value + excluded.value
                        """, arguments: [name, delta])
            }
            try db.execute(
                sql: """
                    INSERT INTO requests (method, path, status, received_at_ms, answered_at_ms, fault)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [method, path, status, receivedAt, answeredAt, fault])
        }
    }
}

/// The objects of one transaction: find, create, replace and delete by kind, id and natural key.
struct ACObjects {
    let db: Database

    /// The document of `kind` under `key`, with its id.
    func find(_ kind: String, key: String) throws -> (id: Int64, doc: SandboxJSON)? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT id, doc FROM objects WHERE kind = ? AND key = ?", arguments: [kind, key])
        else { return nil }
        return (row["id"], Self.parse(row["doc"]))
    }

    /// The document of `kind` with `id`, with its key.
    func get(_ kind: String, id: Int64) throws -> (key: String, doc: SandboxJSON)? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT key, doc FROM objects WHERE kind = ? AND id = ?", arguments: [kind, id])
        else { return nil }
        return (row["key"], Self.parse(row["doc"]))
    }

    /// Every document of `kind` in id order.
    func all(_ kind: String) throws -> [(id: Int64, key: String, doc: SandboxJSON)] {
        try Row.fetchAll(db, sql: "SELECT id, key, doc FROM objects WHERE kind = ? ORDER BY id", arguments: [kind]).map
        {
            ($0["id"], $0["key"], Self.parse($0["doc"]))
        }
    }

    /// Stores a new document of `kind` under `key` and returns its id; `makeDoc` gets the id.
    func create(_ kind: String, key: String, _ makeDoc: (Int64) -> SandboxJSON) throws -> Int64 {
        let id = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM objects WHERE kind = ?", arguments: [kind]) ?? 0) + 1
        try db.execute(
            sql: "INSERT INTO objects (kind, id, key, doc) VALUES (?, ?, ?, ?)",
            arguments: [kind, id, key, makeDoc(id).rendered])
        return id
    }

    /// Replaces the document of `kind` with `id`.
    func replace(_ kind: String, id: Int64, _ doc: SandboxJSON) throws {
        try db.execute(
            sql: "UPDATE objects SET doc = ? WHERE kind = ? AND id = ?", arguments: [doc.rendered, kind, id])
    }

    /// Deletes the document of `kind` with `id`; returns whether there was one.
    func delete(_ kind: String, id: Int64) throws -> Bool {
        try db.execute(sql: "DELETE FROM objects WHERE kind = ? AND id = ?", arguments: [kind, id])
        return db.changesCount > 0
    }

    /// Appends a tracked event.
    func appendEvent(email: String, event: String, eventdata: String?, at milliseconds: Int64) throws {
        try db.execute(
            sql: "INSERT INTO events (email, event, eventdata, received_ms) VALUES (?, ?, ?, ?)",
            arguments: [email, event, eventdata, milliseconds])
    }

    /// Every tracked event in arrival order.
    func events() throws -> [(email: String, event: String, eventdata: String?, receivedAt: Int64)] {
        try Row.fetchAll(db, sql: "SELECT email, event, eventdata, received_ms FROM events ORDER BY seq").map {
            ($0["email"], $0["event"], $0["eventdata"], $0["received_ms"])
        }
    }

    /// Every counter.
    func counters() throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counters") { result[row["name"]] = row["value"] }
        return result
    }

    /// The request log in arrival order.
    func requests() throws -> [SandboxJSON] {
        try Row.fetchAll(db, sql: "SELECT * FROM requests ORDER BY seq").map { row in
            .object([
                .init("seq", .number(String(row["seq"] as Int64))), .init("method", .string(row["method"])),
                .init("path", .string(row["path"])), .init("status", .number(String(row["status"] as Int64))),
                .init("received_at_ms", .number(String(row["received_at_ms"] as Int64))),
                .init("answered_at_ms", .number(String(row["answered_at_ms"] as Int64))),
                .init("fault", (row["fault"] as String?).map(SandboxJSON.string) ?? .null),
            ])
        }
    }

    static func parse(_ text: String) -> SandboxJSON { (try? SandboxJSON.parse(text)) ?? .null }
}
