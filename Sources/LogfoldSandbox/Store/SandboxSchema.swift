internal import GRDB

/// The sandbox's tables, created by a GRDB migrator: what Klaviyo would hold (profiles, events, lists,
/// memberships, jobs) plus the counters and the request log the inspection endpoints report.
enum SandboxSchema {
    /// `PRAGMA application_id` of a sandbox state file ("lgsb").
    static let applicationID: Int32 = 0x6C67_7362

    /// The tables `POST /sandbox/reset` empties.
    static let tables = ["profiles", "events", "lists", "memberships", "jobs", "counters", "requests"]

    /// Every migration, in order (append-only).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-tables") { db in
            for statement in version1 { try db.execute(sql: statement) }
        }
        return migrator
    }

    static let version1 = [
        "PRAGMA application_id = \(applicationID)",
        """
        CREATE TABLE profiles (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            email TEXT,
            email_key TEXT,
            phone_number TEXT,
            external_id TEXT,
            strings TEXT NOT NULL,
            location TEXT NOT NULL,
            properties TEXT NOT NULL,
            suppression_reason TEXT,
            suppressed_at_ms INTEGER,
            email_consent TEXT NOT NULL,
            sms_consent TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL
        )
        """,
        "CREATE INDEX profiles_by_email ON profiles(email_key)",
        "CREATE INDEX profiles_by_phone ON profiles(phone_number)",
        "CREATE INDEX profiles_by_external_id ON profiles(external_id)",
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            profile_id TEXT NOT NULL,
            metric TEXT NOT NULL,
            unique_id TEXT,
            dedupe_key TEXT NOT NULL,
            time_s INTEGER NOT NULL,
            value TEXT,
            value_currency TEXT,
            properties TEXT NOT NULL,
            backfill INTEGER NOT NULL,
            email TEXT,
            external_id TEXT,
            accepted_ms INTEGER NOT NULL,
            UNIQUE (profile_id, metric, dedupe_key)
        )
        """,
        "CREATE INDEX events_by_profile ON events(profile_id, time_s)",
        """
        CREATE TABLE lists (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE memberships (
            list_id TEXT NOT NULL,
            profile_id TEXT NOT NULL,
            added_ms INTEGER NOT NULL,
            PRIMARY KEY (list_id, profile_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX memberships_by_profile ON memberships(profile_id)",
        """
        CREATE TABLE jobs (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            document TEXT NOT NULL,
            created_ms INTEGER NOT NULL
        )
        """,
        "CREATE TABLE counters (name TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
        """
        CREATE TABLE requests (
            seq INTEGER PRIMARY KEY,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            endpoint TEXT,
            status INTEGER NOT NULL,
            received_at_ms INTEGER NOT NULL,
            answered_at_ms INTEGER NOT NULL,
            events INTEGER NOT NULL,
            fault TEXT
        )
        """,
    ]
}
