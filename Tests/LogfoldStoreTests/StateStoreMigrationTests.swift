import Foundation
import LogfoldTestSupport
import Testing

@testable import LogfoldStore

@Suite("Opening and migrating the store")
struct StateStoreMigrationTests {
    @Test("Opening, closing and reopening runs the migrations once and keeps every row")
    func migrationsAreIdempotent() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let batch = ProjectionBatch(
            customers: [StoreFixture.customer(1)],
            outbox: [StoreFixture.message(seq: 1, customer: 1)],
            fromSeq: 0,
            toSeq: 1
        )
        let first = try StateStore(path: path)
        _ = try first.commit(batch, projector: "main")
        let digest = try first.digest()
        try first.close()

        for _ in 0..<2 {
            let reopened = try StateStore(path: path)
            #expect(try reopened.digest() == digest)
            #expect(try reopened.checkpoint("main") == 1)
            let migrations = try reopened.read("test") { db in
                var identifiers: [String] = []
                let statement = try RawStatement(db, "SELECT identifier FROM grdb_migrations")
                try statement.forEachRow(path: path, { "test" }) { identifiers.append($0.string(0)) }
                return identifiers
            }
            #expect(
                migrations == [
                    "v1-tables", "v2-delivery", "v3-import-jobs", "v4-outbox-key-index", "v5-journal-clock",
                    "v6-identifier-owners", "v7-checkpoint-identity", "v8-quarantine", "v9-destinations",
                    "v10-activecampaign-sender", "v11-activecampaign-key-index", "v12-unsettled-indexes",
                    "v13-ledger-from-outbox", "v14-customer-blobs-v2", "v15-outbox-settled", "v16-outbox-kind-floors",
                    "v17-unwritten-customers", "v18-activecampaign-keys-by-ordinal",
                ])
            try reopened.close()
        }
    }

    @Test("A store written before v4 keeps every outbox row and delivery column, and its keys stay unique")
    func version3StoreMigrates() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let batches = StoreFixture.batches(entries: 40, size: 10)
        let reference = try StoreFixture.store(in: directory, name: "reference.sqlite")
        for batch in batches { _ = try reference.commit(batch, projector: "main") }

        // Put the outbox back as v1-v3 made it (the key's uniqueness a column constraint), then fill it.
        let old = try StateStore(path: path)
        try old.write("test") { db in
            let statements =
                ["DROP TABLE outbox"] + StoreSchema.version1.filter { $0.contains("outbox") }
                + StoreSchema.version2.filter { $0.contains("outbox") }
                + [
                    "DELETE FROM grdb_migrations WHERE identifier = 'v4-outbox-key-index'",
                    // v4 rebuilds the table with the status index of its time; v12 then narrows it, as in a real upgrade.
                    "DELETE FROM grdb_migrations WHERE identifier = 'v12-unsettled-indexes'",
                ]
            for sql in statements { try RawStatement(db, sql).execute(path: path, { sql }) }
        }
        for batch in batches { _ = try old.commit(batch, projector: "main") }
        let firstTwo = try old.outbox(status: nil, limit: 2, after: nil).map(\.row.ordinal)
        try #require(firstTwo.count == 2)
        try old.settle(
            [.delivered(firstTwo[0], "accepted"), .dead(firstTwo[1], "400: invalid email")], ledger: [],
            at: 1_700_000_000)
        let before = try old.outbox(status: nil, limit: nil, after: nil)
        try Self.forgetVersion15(old)
        try old.close()

        let migrated = try StateStore(path: path)
        #expect(try Set(Self.statusIndexes(migrated).keys) == ["outbox_dead", "activecampaign_outbox_unsettled"])
        #expect(try migrated.outbox(status: nil, limit: nil, after: nil) == before)
        #expect(try migrated.digest() == reference.digest())
        #expect(try migrated.isBulkLoading() == false)
        let last = try #require(batches.last)
        let again = ProjectionBatch(outbox: last.outbox, fromSeq: last.toSeq, toSeq: last.toSeq + 1)
        #expect(try migrated.commit(again, projector: "main") == 0)
    }

    @Test("A version 10 store keeps every ActiveCampaign row and status; its key's uniqueness becomes an index")
    func version10StoreMigrates() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let batches = StoreFixture.withActiveCampaign(StoreFixture.batches(entries: 40, size: 10))
        let reference = try StoreFixture.store(in: directory, name: "reference.sqlite")
        for batch in batches { _ = try reference.commit(batch, projector: "main") }

        // Put ActiveCampaign's outbox back as v9 made it (the key's uniqueness a column constraint).
        let old = try StateStore(path: path)
        try old.write("test") { db in
            let statements =
                ["DROP TABLE activecampaign_outbox"]
                + StoreSchema.version9.filter { $0.contains("activecampaign_outbox") }
                + [
                    "DELETE FROM grdb_migrations WHERE identifier = 'v11-activecampaign-key-index'",
                    "DELETE FROM grdb_migrations WHERE identifier = 'v12-unsettled-indexes'",
                ]
            for sql in statements { try RawStatement(db, sql).execute(path: path, { sql }) }
        }
        for batch in batches { _ = try old.commit(batch, projector: "main") }
        try old.write("test") { db in
            try RawStatement(
                db,
                "UPDATE activecampaign_outbox SET status = 2, attempts = 3, last_error = 'x' WHERE ordinal = (SELECT min(ordinal) FROM activecampaign_outbox)"
            )
            .execute(path: path, { "test" })
        }
        let before = try old.activeCampaignOutbox()
        try Self.forgetVersion15(old)
        try old.close()

        let migrated = try StateStore(path: path)
        #expect(try Set(Self.statusIndexes(migrated).keys) == ["outbox_dead", "activecampaign_outbox_unsettled"])
        #expect(try migrated.activeCampaignOutbox() == before)
        #expect(before.contains { $0.status == .dead })
        #expect(try migrated.isBulkLoading() == false)
        #expect(try migrated.digest(destination: "activecampaign") != "")
        let last = try #require(batches.last)
        var again = ProjectionBatch(fromSeq: last.toSeq, toSeq: last.toSeq + 1)
        again.activeCampaignOutbox = last.activeCampaignOutbox
        #expect(try migrated.commit(again, projector: "main") == 0)
    }

    @Test("A version 12 store's copies of its own deliveries leave the ledger; what it counts stays")
    func version12LedgerMigrates() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let old = try StoreFixture.filled(at: path)
        let events = try old.outbox(status: "pending", limit: nil, after: nil).filter { $0.row.kind == "event" }
        try #require(events.count >= 4)
        let ordinals = events.prefix(4).map(\.row.ordinal)
        try old.settle(
            [
                .delivered(ordinals[0], "accepted"), .delivered(ordinals[1], "deduplicated"),
                .delivered(ordinals[2], "ledger"), .dead(ordinals[3], "HTTP 400"),
            ], ledger: [], at: 1)
        // As v12 left it: delivery marked on the row; its sender copied its two events into the ledger, beside
        // the one a replay carried over (and `send --history` marked `ledger`) and one more carried over; no
        // count table.
        try old.write("test") { db in
            let statements =
                StoreFixture.backToVersion14 + [
                    "INSERT INTO delivery_ledger SELECT metric, unique_id, customer_id, 1 FROM outbox "
                        + "WHERE ordinal IN (\(ordinals[0]), \(ordinals[1]), \(ordinals[2]))",
                    "INSERT INTO delivery_ledger VALUES ('Placed Order', 'carried', 'c9', 1)",
                    "DROP TABLE delivered_event_count",
                    "DELETE FROM grdb_migrations WHERE identifier = 'v13-ledger-from-outbox'",
                ]
            for sql in statements { try RawStatement(db, sql).execute(path: path, { sql }) }
        }
        let digest = try old.digest()
        try old.close()

        let migrated = try StateStore(path: path)
        #expect(try migrated.ledgerCount() == 4)
        let carried = try StoreFixture.strings("SELECT unique_id FROM delivery_ledger ORDER BY unique_id", in: migrated)
        #expect(carried == ["carried", events[2].row.uniqueID ?? ""].sorted())
        #expect(try migrated.digest() == digest)
        let rebuilt = try StateStore(path: directory.file("rebuilt.sqlite"))
        #expect(try rebuilt.importLedger(fromStoreAt: path) == 4)
    }

    @Test("A version 11 store's status indexes become partial; its queues, dead letters and counts stay")
    func version11StoreMigrates() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let old = try StateStore(path: path)
        for batch in StoreFixture.withActiveCampaign(StoreFixture.batches(entries: 40, size: 10)) {
            _ = try old.commit(batch, projector: "main")
        }
        let firstThree = try old.outbox(status: nil, limit: 3, after: nil).map(\.row.ordinal)
        try #require(firstThree.count == 3)
        try old.settle(
            [
                .delivered(firstThree[0], "accepted"), .dead(firstThree[1], "400: invalid email"),
                .delivered(firstThree[2], "deduplicated"),
            ], ledger: [], at: 1_700_000_000)
        func queues(_ store: StateStore) throws -> [String] {
            [
                "\(try store.outboxCounts().sorted { $0.key < $1.key })",
                "\(try store.activeCampaignCounts().sorted { $0.key.rawValue < $1.key.rawValue })",
                "\(try store.outbox(status: "pending", limit: nil, after: nil))",
                "\(try store.outbox(status: "dead", limit: nil, after: nil))",
                "\(try store.pendingOutbox(kinds: ["profile", "event"], limit: 1_000, after: firstThree[0]))",
                "\(try store.unsettledCountsByKind().map { "\($0)" })",
                "\(try store.latestDeadLetters(limit: 5).map { "\($0)" })",
                "\(try store.oldestPendingTimes().sorted { $0.key < $1.key })",
            ]
        }
        try old.write("test") { db in
            let statements = [
                "UPDATE activecampaign_outbox SET status = 2, last_error = 'x' WHERE ordinal = (SELECT min(ordinal) FROM activecampaign_outbox)",
                "UPDATE activecampaign_outbox SET status = 1 WHERE ordinal = (SELECT max(ordinal) FROM activecampaign_outbox)",
            ]
            for sql in statements { try RawStatement(db, sql).execute(path: path, { sql }) }
        }
        let before = try queues(old)
        let digest = try old.digest()
        // Put both status indexes back as v11 left them (every row), then forget v12.
        try old.write("test") { db in
            let statements =
                StoreFixture.backToVersion14 + [
                    "DROP INDEX outbox_unsettled", "DROP INDEX activecampaign_outbox_unsettled",
                    "CREATE INDEX outbox_by_status ON outbox(status)",
                    "CREATE INDEX activecampaign_outbox_by_status ON activecampaign_outbox(status)",
                    "DELETE FROM grdb_migrations WHERE identifier = 'v12-unsettled-indexes'",
                ]
            for sql in statements { try RawStatement(db, sql).execute(path: path, { sql }) }
        }
        try old.close()

        let migrated = try StateStore(path: path)
        #expect(try queues(migrated) == before)
        #expect(try migrated.digest() == digest)
        let rows = try migrated.outbox(status: nil, limit: nil, after: nil).count
        #expect(try migrated.outboxCounts() == ["pending": rows - 3, "delivered": 2, "dead": 1])
        #expect(try migrated.activeCampaignCounts() == [.pending: 38, .delivered: 1, .dead: 1])
        let statusIndexes = try Self.statusIndexes(migrated)
        #expect(
            statusIndexes
                == [
                    "activecampaign_outbox_unsettled": StoreSchema.activeCampaignUnsettledIndex,
                    "outbox_dead": StoreSchema.deadIndex,
                ].mapValues { $0.replacingOccurrences(of: "IF NOT EXISTS ", with: "") })
        // The queues' own shapes are served by them (Klaviyo's pending rows by the table, from the floor, since
        // v15); a customer's rows by the customer's index.
        let plans = [
            "SELECT * FROM outbox WHERE status = 'pending' AND kind IN ('event') AND ordinal > 0 ORDER BY ordinal":
                "INTEGER PRIMARY KEY (rowid>?)",
            "SELECT ordinal FROM outbox WHERE status = 'dead' ORDER BY ordinal DESC LIMIT 5": "INDEX outbox_dead ",
            "SELECT * FROM activecampaign_outbox WHERE status = 0 AND ordinal > 0 ORDER BY ordinal":
                "INDEX activecampaign_outbox_unsettled ",
            "SELECT ordinal FROM activecampaign_outbox WHERE status = 2 ORDER BY ordinal DESC LIMIT 5":
                "INDEX activecampaign_outbox_unsettled ",
            "SELECT 1 FROM outbox WHERE customer_id = 'c1' AND source_seq = 1 AND kind = 'profile' AND +status = 'pending' AND ordinal < 9":
                "INDEX outbox_by_customer ",
        ]
        for (sql, step) in plans {
            #expect(try Self.plan(of: sql, in: migrated).contains(step), "\(sql)")
        }
    }

    /// Takes a store that forgot earlier migrations back to version 14 too, so they run again in order.
    static func forgetVersion15(_ store: StateStore) throws {
        try store.write("test") { db in
            for sql in StoreFixture.backToVersion14 { try RawStatement(db, sql).execute(path: store.path, { sql }) }
        }
    }

    /// The status indexes of both outboxes, by name, with their SQL.
    static func statusIndexes(_ store: StateStore) throws -> [String: String] {
        try store.read("test") { db in
            var indexes: [String: String] = [:]
            let statement = try RawStatement(
                db,
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    + "AND (name LIKE '%status%' OR name LIKE '%unsettled' OR name LIKE '%dead')")
            try statement.forEachRow(path: "test", { "test" }) { indexes[$0.string(0)] = $0.string(1) }
            return indexes
        }
    }

    /// SQLite's plan for a query, its steps joined.
    static func plan(of sql: String, in store: StateStore) throws -> String {
        try store.read("test") { db in
            var steps: [String] = []
            let statement = try RawStatement(db, "EXPLAIN QUERY PLAN " + sql)
            try statement.forEachRow(path: "test", { "test" }) { steps.append($0.string(3)) }
            return steps.joined(separator: "; ")
        }
    }

    @Test("A version 4 store gains the journal clock and the order week; its rows stay, the clock starts unknown")
    func version4StoreMigrates() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let batches = StoreFixture.batches(entries: 30, size: 10)
        let old = try StateStore(path: path)
        for batch in batches { _ = try old.commit(batch, projector: "main") }
        var before: [CustomerRow] = []
        try old.forEachCustomer { before.append($0) }
        try old.write("test") { db in
            for sql in [
                "DROP TABLE journal_clocks", "ALTER TABLE customers DROP COLUMN order_week",
                "DELETE FROM grdb_migrations WHERE identifier = 'v5-journal-clock'",
            ] {
                try RawStatement(db, sql).execute(path: path, { sql })
            }
        }
        try old.close()

        let migrated = try StateStore(path: path)
        var after: [CustomerRow] = []
        try migrated.forEachCustomer { after.append($0) }
        #expect(after == before && !after.isEmpty)
        #expect(try migrated.clock("main") == nil)
        let clock = ProjectionClock(week: 2_650, sweeping: true, sweptThrough: "c7")
        let last = try #require(batches.last)
        _ = try migrated.commit(
            ProjectionBatch(fromSeq: last.toSeq, toSeq: last.toSeq + 1, clock: clock), projector: "main")
        #expect(try migrated.clock("main") == clock)
    }

    @Test("A new store is in WAL mode with every table, including the later stages' ledger")
    func newStoreHasSchema() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        let (mode, tables) = try store.read("test") { db in
            let journal = try RawStatement(db, "PRAGMA journal_mode")
            var mode = ""
            try journal.forEachRow(path: store.path, { "test" }) { mode = $0.string(0) }
            let names = try RawStatement(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            var tables: [String] = []
            try names.forEachRow(path: store.path, { "test" }) { tables.append($0.string(0)) }
            return (mode, tables)
        }
        #expect(mode == "wal")
        #expect(try Self.pageSize(of: store) == StateStore.pageSize)
        #expect(
            tables == [
                "activecampaign_ids", "activecampaign_inflight", "activecampaign_outbox", "checkpoints", "customers",
                "delivered_event_count", "delivery_ledger", "destinations",
                "grdb_migrations", "identifier_owners", "journal_clocks", "klaviyo_jobs",
                "klaviyo_lists", "klaviyo_phone_conflicts", "klaviyo_profiles", "orders", "outbox",
                "outbox_floor", "outbox_kind_floors", "outbox_settled", "quarantine",
                "sender_state", "unwritten_customers",
            ])
        #expect(try store.checkpoint("main") == 0)
        #expect(try store.outboxCounts() == [:])
    }

    @Test("A new store's page size stays when it is reopened and written again")
    func pageSizeStays() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let batches = StoreFixture.batches(entries: 20, size: 10)
        let first = try StateStore(path: path)
        _ = try first.commit(batches[0], projector: "main")
        #expect(try Self.pageSize(of: first) == 8192)
        try first.close()
        let reopened = try StateStore(path: path)
        _ = try reopened.commit(batches[1], projector: "main")
        #expect(try Self.pageSize(of: reopened) == 8192)
        #expect(try reopened.checkpoint("main") == batches[1].toSeq)
        try reopened.close()
    }

    static func pageSize(of store: StateStore) throws -> Int64 {
        try store.read("test") { db in
            var size: Int64 = 0
            try RawStatement(db, "PRAGMA page_size").forEachRow(path: store.path, { "test" }) { size = $0.int64(0) }
            return size
        }
    }

    @Test("A file written by a newer logfold is refused with a schema error")
    func newerSchemaIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let store = try StateStore(path: path)
        try store.write("test") { db in
            try RawStatement(db, "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')").execute(
                path: path,
                { "test" }
            )
        }
        try store.close()

        let error = try #require(throws: StoreError.self) { try StateStore(path: path) }
        #expect(error.code == .schema)
        #expect(error.message.contains(path))
    }

    @Test("A file that is not SQLite is refused as not a database, naming the path")
    func notADatabaseIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))

        let error = try #require(throws: StoreError.self) { try StateStore(path: path) }
        #expect(error.code == .notADatabase)
        #expect(error.message.contains(path))
        #expect(error.sqliteCode == 26)
    }

    @Test("A store in a missing directory fails as an I/O error that says to check the directory")
    func missingDirectoryIsAnIOError() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("missing/state.sqlite")

        let error = try #require(throws: StoreError.self) { try StateStore(path: path) }
        #expect(error.code == .io)
        #expect(error.message.contains("directory exists"))
    }
}
