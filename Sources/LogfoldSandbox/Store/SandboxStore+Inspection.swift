internal import GRDB

extension SandboxStore {
    /// Profiles as `/sandbox/profiles` lines, in creation order; with `query`, only those whose email,
    /// external id, phone number, id or name contains it (case-insensitively).
    package func profileLines(query: String? = nil) async throws -> [SandboxJSON] {
        try await pool.read { db in
            var memberships: [String: [SandboxJSON]] = [:]
            let sql = """
                SELECT m.profile_id, l.id, l.name FROM memberships m JOIN lists l ON l.id = m.list_id
                ORDER BY l.seq
                """
            for row in try Row.fetchAll(db, sql: sql) {
                memberships[row[0], default: []].append(
                    .object(["id": .string(row[1] as String), "name": .string(row[2] as String)]))
            }
            var counts: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT profile_id, COUNT(*) FROM events GROUP BY profile_id") {
                counts[row[0]] = row[1]
            }
            let needle = query?.lowercased().trimming(" ")
            var lines: [SandboxJSON] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM profiles ORDER BY seq") {
                let profile = Self.profile(from: row)
                if let needle, !needle.isEmpty, !Self.matches(profile, needle) { continue }
                lines.append(
                    Self.profileLine(
                        profile, lists: memberships[profile.id] ?? [], events: counts[profile.id] ?? 0))
            }
            return lines
        }
    }

    /// The request log as `/sandbox/requests` lines, oldest first.
    package func requestLines() async throws -> [SandboxJSON] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM requests ORDER BY seq").map { row in
                .object([
                    "seq": .integer(row["seq"] as Int64),
                    "method": .string(row["method"] as String),
                    "path": .string(row["path"] as String),
                    "endpoint": .string(row["endpoint"] as String?),
                    "status": .integer(row["status"] as Int64),
                    "received_at_ms": .integer(row["received_at_ms"] as Int64),
                    "answered_at_ms": .integer(row["answered_at_ms"] as Int64),
                    "events": .integer(row["events"] as Int64),
                    "fault": .string(row["fault"] as String?),
                ])
            }
        }
    }

    static func matches(_ profile: ProfileRecord, _ needle: String) -> Bool {
        let fields = [
            profile.id, profile.email, profile.externalID, profile.phoneNumber, profile.strings["first_name"],
            profile.strings["last_name"],
        ]
        return fields.contains { $0?.lowercased().contains(needle) == true }
    }

    static func profileLine(_ profile: ProfileRecord, lists: [SandboxJSON], events: Int64) -> SandboxJSON {
        .object([
            "id": .string(profile.id),
            "email": .string(profile.email),
            "external_id": .string(profile.externalID),
            "phone_number": .string(profile.phoneNumber),
            "first_name": .string(profile.strings["first_name"]),
            "last_name": .string(profile.strings["last_name"]),
            "location": .object(profile.location),
            "properties": .object(profile.properties),
            "suppressed": .bool(profile.suppressionReason != nil),
            "suppression_reason": .string(profile.suppressionReason),
            "email_consent": .string(profile.emailConsent),
            "sms_consent": .string(profile.smsConsent),
            "lists": .array(lists),
            "events": .integer(events),
            "created": .string(Timestamp.format(unixSeconds: profile.created / 1000)),
            "updated": .string(Timestamp.format(unixSeconds: profile.updated / 1000)),
        ])
    }
}
