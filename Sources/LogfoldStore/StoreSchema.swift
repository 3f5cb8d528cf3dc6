internal import GRDB

/// The store's tables, created and upgraded by a GRDB `DatabaseMigrator`.
///
/// Migrations are append-only: a released migration is never edited, a change is a new one. GRDB records
/// the applied identifiers in `grdb_migrations`, so running the migrator on an up-to-date file does
/// nothing. Column names are snake_case so operators can query with plain SQL (`docs/state-store.md`).
enum StoreSchema {
    /// `PRAGMA application_id` of a logfold state store ("lgfs"), so `file(1)` and tools can tell it apart.
    static let applicationID: Int32 = 0x6C67_6673

    /// What one migration does: SQL statements, or Swift code for what SQL cannot do.
    enum Migration {
        case statements([String])
        case code(@Sendable (Database) throws -> Void)
    }

    /// Every migration, in order: its identifier (recorded in `grdb_migrations`, never renamed) and what
    /// it does.
    static let migrations: [(identifier: String, migration: Migration)] = [
        ("v1-tables", .statements(version1)), ("v2-delivery", .statements(version2)),
        ("v3-import-jobs", .statements(version3)), ("v4-outbox-key-index", .statements(version4)),
        ("v5-journal-clock", .statements(version5)), ("v6-identifier-owners", .statements(version6)),
        ("v7-checkpoint-identity", .statements(version7)), ("v8-quarantine", .statements(version8)),
        ("v9-destinations", .statements(version9)), ("v10-activecampaign-sender", .statements(version10)),
        ("v11-activecampaign-key-index", .statements(version11)), ("v12-unsettled-indexes", .statements(version12)),
        ("v13-ledger-from-outbox", .statements(version13)), ("v14-customer-blobs-v2", .code(rewriteVersion1Customers)),
        ("v15-outbox-settled", .statements(version15)), ("v16-outbox-kind-floors", .statements(version16)),
        ("v17-unwritten-customers", .statements(version17)),
        ("v18-activecampaign-keys-by-ordinal", .statements(version18)),
    ]

    /// Every migration, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (identifier, migration) in migrations {
            switch migration {
            case .statements(let statements):
                migrator.registerMigration(identifier) { db in
                    for statement in statements {
                        try db.execute(sql: statement)
                    }
                }
            case .code(let run):
                migrator.registerMigration(identifier, migrate: run)
            }
        }
        return migrator
    }

    /// The outbox's unique index on the dedupe key (a named index since v4, so a bulk load can drop it).
    static let keyIndex = "CREATE UNIQUE INDEX IF NOT EXISTS outbox_by_key ON outbox(key)"

    /// The per-customer outbox index, for `logfold customer ID`.
    static let customerIndex = "CREATE INDEX IF NOT EXISTS outbox_by_customer ON outbox(customer_id)"

    /// The sender's queue: the rows still to settle (pending or dead), by status (since v12).
    ///
    /// A partial index: a delivered row leaves it, so marking a row delivered deletes one entry instead of
    /// moving it within an index of the whole outbox, and the index stays as small as the queue. SQLite
    /// uses it for `status = 'pending'` and `status = 'dead'`, which imply its `WHERE`.
    static let unsettledIndex =
        "CREATE INDEX IF NOT EXISTS outbox_unsettled ON outbox(status) WHERE status = 'pending' OR status = 'dead'"

    /// ActiveCampaign's queue, like ``unsettledIndex``: pending (0) and dead (2) rows (since v12).
    static let activeCampaignUnsettledIndex =
        "CREATE INDEX IF NOT EXISTS activecampaign_outbox_unsettled ON activecampaign_outbox(status) "
        + "WHERE status = 0 OR status = 2"

    /// ActiveCampaign's outbox: the unique index on its dedupe key (v11 to v17; v18 drops it).
    static let activeCampaignKeyIndex =
        "CREATE UNIQUE INDEX IF NOT EXISTS activecampaign_outbox_by_key ON activecampaign_outbox(key)"

    /// ActiveCampaign's outbox: the per-customer index, for `logfold customer ID`.
    static let activeCampaignCustomerIndex =
        "CREATE INDEX IF NOT EXISTS activecampaign_outbox_by_customer ON activecampaign_outbox(customer_id)"

    /// The first schema: state, outbox, checkpoints and the delivery ledger.
    static let version1 = [
        "PRAGMA application_id = \(applicationID)",
        """
        CREATE TABLE customers (
            id TEXT NOT NULL PRIMARY KEY,
            email TEXT,
            first_name TEXT,
            last_name TEXT,
            status TEXT,
            schedule TEXT,
            box TEXT,
            signup_date TEXT,
            next_delivery TEXT,
            cancel_date TEXT,
            week_tag TEXT,
            subscribed INTEGER,
            suppressed INTEGER NOT NULL,
            missed_signup INTEGER NOT NULL,
            lists TEXT NOT NULL,
            last_seq INTEGER NOT NULL,
            state BLOB NOT NULL
        )
        """,
        """
        CREATE TABLE orders (
            id TEXT NOT NULL PRIMARY KEY,
            customer_id TEXT,
            stage TEXT NOT NULL,
            total TEXT,
            currency TEXT,
            placed_seq INTEGER,
            last_seq INTEGER NOT NULL,
            state BLOB NOT NULL
        )
        """,
        "CREATE INDEX orders_by_customer ON orders(customer_id)",
        """
        CREATE TABLE outbox (
            ordinal INTEGER NOT NULL PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            metric TEXT,
            unique_id TEXT,
            time INTEGER NOT NULL,
            value TEXT,
            list TEXT,
            source_seq INTEGER NOT NULL,
            body BLOB NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )
        """,
        // `ordinal` is the rowid, which every index entry ends with: these are (status, ordinal) and
        // (customer_id, ordinal) indexes, about a quarter smaller than naming `ordinal` again.
        "CREATE INDEX outbox_by_status ON outbox(status)",
        "CREATE INDEX IF NOT EXISTS outbox_by_customer ON outbox(customer_id)",
        "CREATE TABLE checkpoints (name TEXT NOT NULL PRIMARY KEY, seq INTEGER NOT NULL)",
        """
        CREATE TABLE delivery_ledger (
            metric TEXT NOT NULL,
            unique_id TEXT NOT NULL,
            profile_key TEXT NOT NULL,
            delivered_at INTEGER NOT NULL,
            PRIMARY KEY (metric, unique_id, profile_key)
        ) WITHOUT ROWID
        """,
    ]

    /// The sender's columns and tables: how and when each row was delivered, the Klaviyo ids learnt
    /// from answers, and the sender's last stop reason for `logfold status`.
    static let version2 = [
        // accepted | deduplicated | superseded | ledger: why a delivered row counts as delivered.
        "ALTER TABLE outbox ADD COLUMN outcome TEXT",
        "ALTER TABLE outbox ADD COLUMN delivered_at INTEGER",
        "CREATE TABLE klaviyo_profiles (external_id TEXT NOT NULL PRIMARY KEY, profile_id TEXT NOT NULL)",
        "CREATE TABLE klaviyo_lists (name TEXT NOT NULL PRIMARY KEY, list_id TEXT NOT NULL)",
        """
        CREATE TABLE sender_state (
            name TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        )
        """,
    ]

    /// Klaviyo bulk import jobs whose per-profile errors are still to be read: the rows each profile of
    /// the request settled (`rows`: one comma-separated ordinal list per profile, `;` between profiles);
    /// and customers whose phone number belongs to another Klaviyo profile, sent without it.
    static let version3 = [
        """
        CREATE TABLE klaviyo_jobs (
            id TEXT NOT NULL PRIMARY KEY,
            created_at INTEGER NOT NULL,
            rows TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
        )
        """,
        """
        CREATE TABLE klaviyo_phone_conflicts (
            external_id TEXT NOT NULL PRIMARY KEY,
            detail TEXT NOT NULL,
            noted_at INTEGER NOT NULL
        )
        """,
    ]

    /// The journal clock (the latest week folded, and the progress of its change's profile updates), kept
    /// with each checkpoint, and each customer's latest order week, so a warm start finds the customers
    /// whose week tag can change without decoding every state.
    static let version5 = [
        "ALTER TABLE customers ADD COLUMN order_week INTEGER",
        """
        CREATE TABLE journal_clocks (
            name TEXT NOT NULL PRIMARY KEY,
            week INTEGER,
            sweeping INTEGER NOT NULL,
            swept_through TEXT
        )
        """,
    ]

    /// Who owns each email and phone number in Klaviyo, as the fold settled it, and which customers are
    /// sent without one another customer owns.
    static let version6 = [
        "ALTER TABLE customers ADD COLUMN shared_identifiers TEXT",
        """
        CREATE TABLE identifier_owners (
            identifier TEXT NOT NULL PRIMARY KEY,
            customer_id TEXT NOT NULL
        ) WITHOUT ROWID
        """,
    ]

    /// The identity of the last record each checkpoint folded (its platform id and the CRC-32C of its
    /// compact form), so a journal that no longer holds that record at that seq is noticed.
    static let version7 = [
        "ALTER TABLE checkpoints ADD COLUMN last_id INTEGER",
        "ALTER TABLE checkpoints ADD COLUMN last_crc INTEGER",
    ]

    /// Journal records a projector could not decode, set aside with the reason so the others go on.
    static let version8 = [
        """
        CREATE TABLE quarantine (
            projector TEXT NOT NULL,
            seq INTEGER NOT NULL,
            entry_id INTEGER NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (projector, seq)
        ) WITHOUT ROWID
        """
    ]

    /// Destinations beside Klaviyo (ADR 0004): which are enabled, and ActiveCampaign's own outbox stream.
    ///
    /// Its rows carry kind and status as small integer enums (``ActiveCampaignOutboxRow``) and the
    /// message as its canonical JSON; ordinals are ActiveCampaign's own send order, so the table is its own.
    static let version9 = [
        """
        CREATE TABLE destinations (
            name TEXT NOT NULL PRIMARY KEY,
            state TEXT NOT NULL,
            added_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE activecampaign_outbox (
            ordinal INTEGER NOT NULL PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind INTEGER NOT NULL,
            customer_id TEXT NOT NULL,
            time INTEGER NOT NULL,
            source_seq INTEGER NOT NULL,
            body BLOB NOT NULL,
            status INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            outcome TEXT,
            delivered_at INTEGER
        )
        """,
        "CREATE INDEX activecampaign_outbox_by_status ON activecampaign_outbox(status)",
        "CREATE INDEX activecampaign_outbox_by_customer ON activecampaign_outbox(customer_id)",
    ]

    /// ActiveCampaign's sender: the ids its answers gave (fields, list, tags, contacts, contact-tags, the
    /// connection, e-commerce customers and orders), and the rows in flight, whose outcome a crash leaves
    /// unknown (a tracked event among them may have been recorded: "possibly repeated").
    static let version10 = [
        """
        CREATE TABLE activecampaign_ids (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            id TEXT NOT NULL,
            PRIMARY KEY (kind, key)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE activecampaign_inflight (
            ordinal INTEGER NOT NULL PRIMARY KEY,
            kind INTEGER NOT NULL,
            started_at INTEGER NOT NULL
        )
        """,
    ]

    /// The outbox rebuilt with its dedupe key's uniqueness as the named index `outbox_by_key` instead of a
    /// column constraint, so a bulk load can drop it like `outbox_by_customer` and build it once at the end
    /// (ADR 0003); rows, columns and every other index are as before.
    static let version4 = [
        "ALTER TABLE outbox RENAME TO outbox_v3",
        """
        CREATE TABLE outbox (
            ordinal INTEGER NOT NULL PRIMARY KEY,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            metric TEXT,
            unique_id TEXT,
            time INTEGER NOT NULL,
            value TEXT,
            list TEXT,
            source_seq INTEGER NOT NULL,
            body BLOB NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            outcome TEXT,
            delivered_at INTEGER
        )
        """,
        """
        INSERT INTO outbox (ordinal, key, kind, customer_id, metric, unique_id, time, value, list, source_seq, body,
            status, attempts, last_error, outcome, delivered_at)
        SELECT ordinal, key, kind, customer_id, metric, unique_id, time, value, list, source_seq, body,
            status, attempts, last_error, outcome, delivered_at
        FROM outbox_v3 ORDER BY ordinal
        """,
        "DROP TABLE outbox_v3",
        keyIndex,
        "CREATE INDEX outbox_by_status ON outbox(status)",
        customerIndex,
    ]

    /// ActiveCampaign's outbox rebuilt with its dedupe key's uniqueness as the named index
    /// `activecampaign_outbox_by_key` instead of a column constraint, so a bulk load can drop it with the
    /// per-customer index and build both once at the end, as v4 did for Klaviyo's outbox; rows, columns and
    /// the status index are as before.
    static let version11 = [
        "ALTER TABLE activecampaign_outbox RENAME TO activecampaign_outbox_v10",
        """
        CREATE TABLE activecampaign_outbox (
            ordinal INTEGER NOT NULL PRIMARY KEY,
            key TEXT NOT NULL,
            kind INTEGER NOT NULL,
            customer_id TEXT NOT NULL,
            time INTEGER NOT NULL,
            source_seq INTEGER NOT NULL,
            body BLOB NOT NULL,
            status INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            outcome TEXT,
            delivered_at INTEGER
        )
        """,
        """
        INSERT INTO activecampaign_outbox (ordinal, key, kind, customer_id, time, source_seq, body, status, attempts,
            last_error, outcome, delivered_at)
        SELECT ordinal, key, kind, customer_id, time, source_seq, body, status, attempts, last_error, outcome,
            delivered_at
        FROM activecampaign_outbox_v10 ORDER BY ordinal
        """,
        "DROP TABLE activecampaign_outbox_v10",
        activeCampaignKeyIndex,
        "CREATE INDEX activecampaign_outbox_by_status ON activecampaign_outbox(status)",
        activeCampaignCustomerIndex,
    ]

    /// Both status indexes narrowed to the rows still to settle (``unsettledIndex``,
    /// ``activeCampaignUnsettledIndex``).
    ///
    /// Marking a delivered row cost 10.1 µs of CPU with the whole-outbox index and 8.4 with this one, the
    /// same hour (`Benchmarks/sqlite-ceiling/marking.py`). Building them reads each outbox once, at the upgrade.
    static let version12 = [
        // IF EXISTS: a store whose index was dropped by hand still opens; the index is only for speed.
        "DROP INDEX IF EXISTS outbox_by_status",
        unsettledIndex,
        "DROP INDEX IF EXISTS activecampaign_outbox_by_status",
        activeCampaignUnsettledIndex,
    ]

    /// The store's own delivered events are read from its outbox rows, no longer copied into
    /// `delivery_ledger`, which keeps only what a replay carried over; a one-row count keeps
    /// ``StateStore/ledgerCount()`` from reading the outbox.
    ///
    /// The upgrade moves the copies out: one pass over the outbox and one over the ledger.
    static let version13 = [
        "CREATE TABLE delivered_event_count (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), events INTEGER NOT NULL)",
        "INSERT INTO delivered_event_count (id, events) SELECT 1, count(*) FROM outbox WHERE \(SQL.ownDeliveredEventOnTheRow)",
        "DELETE FROM delivery_ledger WHERE (metric, unique_id, profile_key) IN "
            + "(SELECT metric, unique_id, customer_id FROM outbox WHERE \(SQL.ownDeliveredEventOnTheRow))",
    ]
}
