internal import GRDB

extension SandboxStore {
    /// Stores a validated batch: upserts each group's profile, then keeps the first event per
    /// (profile, metric, unique_id) and drops repeats, all in one transaction.
    ///
    /// For a bulk request (`bulk`), two events with one explicit key are refused (400 `duplicate`,
    /// pointing at the second one's `unique_id`); with `strictDuplicates` an event already stored is
    /// refused too. A refusal throws ``SandboxRejection`` and stores nothing of the request.
    package func storeEvents(_ batch: EventBatch, bulk: Bool, strictDuplicates: Bool, now: Int64) async throws
        -> EventOutcome
    {
        try await pool.write { db in
            var outcome = EventOutcome()
            var errors: [SandboxAPIError] = []
            var seen: [EventKey: JSONPointer] = [:]
            for group in batch.groups {
                let profile = try Self.upsert(group.profile, conflicts: .keepFirstMatch, now: now, in: db).profile
                for event in group.events {
                    let time = event.time ?? now / 1000
                    // Without a unique_id Klaviyo keys the event by its time to the second.
                    let key = EventKey(
                        profile: profile.id, metric: event.metric, dedupe: event.uniqueID ?? "time:\(time)")
                    let uniquePointer = event.pointer.appending("unique_id")
                    if let first = seen[key] {
                        if bulk, event.uniqueID != nil {
                            errors.append(
                                .duplicate(
                                    uniquePointer,
                                    "unique_id '\(key.dedupe)' repeats the event at \(first.path) (same profile and "
                                        + "metric); the request was not processed."))
                        }
                        outcome.deduplicated += 1
                        continue
                    }
                    seen[key] = event.pointer
                    if try Self.eventExists(key, in: db) {
                        if bulk, strictDuplicates {
                            errors.append(
                                .duplicate(
                                    uniquePointer,
                                    "An event with unique_id '\(key.dedupe)' for this profile and metric "
                                        + "'\(event.metric)' was already accepted; the request was not processed."))
                        }
                        outcome.deduplicated += 1
                        continue
                    }
                    try Self.insert(event, key: key, time: time, profile: profile, now: now, in: db)
                    outcome.accepted += 1
                }
            }
            if !errors.isEmpty { throw SandboxRejection(errors) }
            return outcome
        }
    }

    /// Accepted events as `/sandbox/events` lines, in acceptance order; only `profileID`'s when given.
    package func eventLines(profileID: String? = nil) async throws -> [SandboxJSON] {
        try await pool.read { db in
            let rows =
                if let profileID {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM events WHERE profile_id = ? ORDER BY seq", arguments: [profileID])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY seq")
                }
            return rows.map(Self.eventLine(from:))
        }
    }

    // MARK: - Inside a transaction

    /// The dedupe key: Klaviyo keeps the first event per (profile, metric, unique_id).
    struct EventKey: Hashable {
        var profile: String
        var metric: String
        var dedupe: String
    }

    static func eventExists(_ key: EventKey, in db: Database) throws -> Bool {
        let statement = try db.cachedStatement(
            sql: "SELECT EXISTS (SELECT 1 FROM events WHERE profile_id = ? AND metric = ? AND dedupe_key = ?)")
        return try Bool.fetchOne(statement, arguments: [key.profile, key.metric, key.dedupe]) ?? false
    }

    static func insert(
        _ event: ValidatedEvent, key: EventKey, time: Int64, profile: ProfileRecord, now: Int64, in db: Database
    ) throws {
        // Cached statements: a bulk request runs these a thousand times in one transaction.
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO events (profile_id, metric, unique_id, dedupe_key, time_s, value, value_currency,
                    properties, backfill, email, external_id, accepted_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(
            arguments: [
                profile.id, event.metric, event.uniqueID, key.dedupe, time, event.value, event.valueCurrency,
                text(event.properties), event.backfill, profile.email, profile.externalID, now,
            ])
    }

    static func eventLine(from row: Row) -> SandboxJSON {
        let backfill: Bool = row["backfill"]
        let value: String? = row["value"]
        let time: Int64 = row["time_s"]
        return .object([
            "seq": .integer(row["seq"] as Int64),
            "metric": .string(row["metric"] as String),
            "unique_id": .string(row["unique_id"] as String?),
            "time": .string(Timestamp.format(unixSeconds: time)),
            "value": value.map { .number($0) } ?? .null,
            "value_currency": .string(row["value_currency"] as String?),
            "email": .string(row["email"] as String?),
            "external_id": .string(row["external_id"] as String?),
            "profile_id": .string(row["profile_id"] as String),
            "properties": .object(members(row["properties"])),
            "backfill": .bool(backfill),
            "fires_flows": .bool(!backfill),
            "accepted_at_ms": .integer(row["accepted_ms"] as Int64),
        ])
    }
}
