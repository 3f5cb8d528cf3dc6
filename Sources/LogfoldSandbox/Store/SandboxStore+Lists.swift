internal import GRDB

extension SandboxStore {
    /// Creates a list named `name`.
    package func createList(name: String, now: Int64) async throws -> ListRecord {
        try await pool.write { db in
            let list = ListRecord(
                id: SandboxIDs.list(try Self.next("list_ids", in: db)), name: name, created: now, updated: now)
            try db.execute(
                sql: "INSERT INTO lists (id, name, created_ms, updated_ms) VALUES (?, ?, ?, ?)",
                arguments: [list.id, list.name, now, now])
            return list
        }
    }

    /// Every list, or those named exactly `name`, in creation order.
    package func lists(named name: String?) async throws -> [ListRecord] {
        try await pool.read { db in
            let rows =
                if let name {
                    try Row.fetchAll(db, sql: "SELECT * FROM lists WHERE name = ? ORDER BY seq", arguments: [name])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM lists ORDER BY seq")
                }
            return rows.map {
                ListRecord(id: $0["id"], name: $0["name"], created: $0["created_ms"], updated: $0["updated_ms"])
            }
        }
    }

    /// Adds (or with `remove`, removes) the profiles `profileIDs` to list `listID`: 404 for an unknown
    /// list, 400 pointing at each unknown profile id, and then nothing changes.
    package func changeMembers(listID: String, profileIDs: [String], remove: Bool, now: Int64) async throws {
        try await pool.write { db in
            guard try Self.listExists(listID, in: db) else {
                throw SandboxRejection(.notFound("No list with id '\(listID)'."))
            }
            var errors: [SandboxAPIError] = []
            for (i, id) in profileIDs.enumerated() where try Self.profile(id: id, in: db) == nil {
                errors.append(
                    .invalid(JSONPointer(path: "/data").appending(i).appending("id"), "No profile with id '\(id)'."))
            }
            if !errors.isEmpty { throw SandboxRejection(errors) }
            for id in profileIDs {
                try Self.setMember(listID: listID, profileID: id, member: !remove, now: now, in: db)
            }
        }
    }

    // MARK: - Inside a transaction

    static func listExists(_ id: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM lists WHERE id = ?)", arguments: [id]) ?? false
    }

    static func setMember(listID: String, profileID: String, member: Bool, now: Int64, in db: Database) throws {
        if member {
            try db.execute(
                sql: "INSERT OR IGNORE INTO memberships (list_id, profile_id, added_ms) VALUES (?, ?, ?)",
                arguments: [listID, profileID, now])
        } else {
            try db.execute(
                sql: "DELETE FROM memberships WHERE list_id = ? AND profile_id = ?", arguments: [listID, profileID])
        }
    }

    /// The ids of `listID`'s members.
    static func memberIDs(of listID: String, in db: Database) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT profile_id FROM memberships WHERE list_id = ? ORDER BY added_ms, profile_id",
            arguments: [listID])
    }
}
