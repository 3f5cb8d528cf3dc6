internal import GRDB

extension SandboxStore {
    /// How an upsert treats identifiers that belong to two different profiles.
    enum ConflictPolicy {
        /// Profile import: answer 409 `duplicate_profile`.
        case reject
        /// Events: keep the best match, leave the other profile's identifiers where they are.
        case keepFirstMatch
    }

    /// Creates or updates the profile `patch` names (`POST /api/profile-import`): 201 when created,
    /// 200 when updated, 409 when its identifiers belong to two profiles.
    package func importProfile(_ patch: ProfilePatch, now: Int64) async throws -> (ProfileRecord, created: Bool) {
        try await pool.write { db in
            let result = try Self.upsert(patch, conflicts: .reject, now: now, in: db)
            return (result.profile, result.created)
        }
    }

    /// The profile with `id`.
    package func profile(id: String) async throws -> ProfileRecord? {
        try await pool.read { db in try Self.profile(id: id, in: db) }
    }

    // MARK: - Inside a transaction

    static func profile(id: String, in db: Database) throws -> ProfileRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM profiles WHERE id = ?"), arguments: [id])
            .map(profile(from:))
    }

    static func profile(where column: String, equals value: String, in db: Database) throws -> ProfileRecord? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM profiles WHERE \(column) = ? ORDER BY seq LIMIT 1"),
            arguments: [value]
        ).map(profile(from:))
    }

    /// The profile whose email is `email`, compared case-insensitively as Klaviyo does.
    static func profile(email: String, in db: Database) throws -> ProfileRecord? {
        try profile(where: "email_key", equals: email.lowercased(), in: db)
    }

    /// Finds, creates or updates the profile `patch` names: matched by id, then external_id, then
    /// email, then phone number.
    static func upsert(_ patch: ProfilePatch, conflicts policy: ConflictPolicy, now: Int64, in db: Database) throws
        -> (profile: ProfileRecord, created: Bool)
    {
        var matched: ProfileRecord?
        if let id = patch.id {
            guard let byID = try profile(id: id, in: db) else {
                throw SandboxRejection(
                    .invalid(patch.pointer.appending("id"), "No profile with id '\(id)'."))
            }
            matched = byID
        }
        var skipping: Set<ProfileRecord.Identifier> = []
        let lookups: [(ProfileRecord.Identifier, String?, (String) throws -> ProfileRecord?)] = [
            (.externalID, patch.externalID.value, { try Self.profile(where: "external_id", equals: $0, in: db) }),
            (.email, patch.email.value, { try Self.profile(email: $0, in: db) }),
            (.phoneNumber, patch.phoneNumber.value, { try Self.profile(where: "phone_number", equals: $0, in: db) }),
        ]
        for (identifier, value, lookup) in lookups {
            guard let value else { continue }
            // The profile already matched holds this identifier: a lookup would only find it again (most
            // event groups name a known profile by external id and email).
            if let current = matched, current.holds(identifier, value) { continue }
            guard let found = try lookup(value) else { continue }
            guard let current = matched else {
                matched = found
                continue
            }
            guard found.id != current.id else { continue }
            switch policy {
            case .reject:
                throw SandboxRejection(
                    SandboxAPIError(
                        status: 409, code: "duplicate_profile", title: "Conflict.",
                        detail: "A profile already exists with one of these identifiers (\(identifier.jsonName) "
                            + "'\(value)' belongs to profile \(found.id), not \(current.id)).",
                        pointer: patch.pointer.appending(path: "attributes", identifier.jsonName).path,
                        meta: .object(["duplicate_profile_id": .string(found.id)])))
            case .keepFirstMatch:
                skipping.insert(identifier)
            }
        }
        if let current = matched {
            var profile = current
            profile.apply(patch, skipping: skipping, now: now)
            // Unchanged but for the update time: nothing to write (a bulk request names most profiles again).
            var unchanged = profile
            unchanged.updated = current.updated
            if unchanged != current { try save(profile, in: db) }
            return (profile, false)
        }
        var profile = ProfileRecord(id: SandboxIDs.profile(try next("profile_ids", in: db)), now: now)
        profile.apply(patch, now: now)
        try save(profile, in: db)
        return (profile, true)
    }

    /// Inserts or replaces `profile`'s row.
    static func save(_ profile: ProfileRecord, in db: Database) throws {
        let strings = profile.strings.sorted { $0.key < $1.key }.map { SandboxJSON.Member($0.key, .string($0.value)) }
        try db.cachedStatement(
            sql: """
                INSERT INTO profiles (id, email, email_key, phone_number, external_id, strings, location, properties,
                    suppression_reason, suppressed_at_ms, email_consent, sms_consent, created_ms, updated_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET email = excluded.email, email_key = excluded.email_key,
                    phone_number = excluded.phone_number, external_id = excluded.external_id,
                    strings = excluded.strings, location = excluded.location, properties = excluded.properties,
                    suppression_reason = excluded.suppression_reason, suppressed_at_ms = excluded.suppressed_at_ms,
                    email_consent = excluded.email_consent, sms_consent = excluded.sms_consent,
                    updated_ms = excluded.updated_ms
                """
        ).execute(
            arguments: [
                profile.id, profile.email, profile.email?.lowercased(), profile.phoneNumber, profile.externalID,
                text(strings), text(profile.location), text(profile.properties), profile.suppressionReason,
                profile.suppressedAt, profile.emailConsent, profile.smsConsent, profile.created, profile.updated,
            ])
    }

    static func profile(from row: Row) -> ProfileRecord {
        var profile = ProfileRecord(id: row["id"], now: row["created_ms"])
        profile.email = row["email"]
        profile.phoneNumber = row["phone_number"]
        profile.externalID = row["external_id"]
        for member in members(row["strings"]) {
            if let value = member.value.stringValue { profile.strings[member.key] = value }
        }
        profile.location = members(row["location"])
        profile.properties = members(row["properties"])
        profile.suppressionReason = row["suppression_reason"]
        profile.suppressedAt = row["suppressed_at_ms"]
        profile.emailConsent = row["email_consent"]
        profile.smsConsent = row["sms_consent"]
        profile.updated = row["updated_ms"]
        return profile
    }
}

extension ProfileRecord.Identifier {
    /// The attribute's JSON name.
    var jsonName: String {
        switch self {
        case .email: "email"
        case .phoneNumber: "phone_number"
        case .externalID: "external_id"
        }
    }
}
