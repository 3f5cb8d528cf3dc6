internal import GRDB

extension StateStore {
    /// Klaviyo profile ids learnt from profile-import answers, by external id (list removal needs them).
    package func klaviyoProfileIDs(_ externalIDs: [String]) throws(StoreError) -> [String: String] {
        try read("reading Klaviyo profile ids") { db in
            var ids: [String: String] = [:]
            for externalID in externalIDs {
                if let id = try String.fetchOne(
                    db, sql: "SELECT profile_id FROM klaviyo_profiles WHERE external_id = ?", arguments: [externalID]
                ) {
                    ids[externalID] = id
                }
            }
            return ids
        }
    }

    /// Remembers Klaviyo profile ids.
    package func saveKlaviyoProfileIDs(_ ids: [String: String]) throws(StoreError) {
        guard !ids.isEmpty else { return }
        try write("saving Klaviyo profile ids") { db in
            for (externalID, id) in ids.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: "INSERT INTO klaviyo_profiles (external_id, profile_id) VALUES (?, ?) "
                        + "ON CONFLICT(external_id) DO UPDATE SET profile_id = excluded.profile_id",
                    arguments: [externalID, id]
                )
            }
        }
    }

    /// Forgets Klaviyo profile ids Klaviyo no longer knows (a list call refused them), so the next
    /// attempt learns them again.
    package func forgetKlaviyoProfileIDs(_ externalIDs: [String]) throws(StoreError) {
        guard !externalIDs.isEmpty else { return }
        try write("forgetting Klaviyo profile ids") { db in
            for externalID in externalIDs {
                try db.execute(sql: "DELETE FROM klaviyo_profiles WHERE external_id = ?", arguments: [externalID])
            }
        }
    }

    /// Klaviyo list ids by list name, as resolved or created before.
    package func klaviyoListIDs() throws(StoreError) -> [String: String] {
        try read("reading Klaviyo list ids") { db in
            var ids: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, list_id FROM klaviyo_lists") {
                ids[row[0]] = row[1]
            }
            return ids
        }
    }

    /// Remembers a Klaviyo list id.
    package func saveKlaviyoListID(name: String, id: String) throws(StoreError) {
        try write("saving the Klaviyo id of list \(name)") { db in
            try db.execute(
                sql: "INSERT INTO klaviyo_lists (name, list_id) VALUES (?, ?) "
                    + "ON CONFLICT(name) DO UPDATE SET list_id = excluded.list_id",
                arguments: [name, id]
            )
        }
    }

    /// The sender's notes for `logfold status`, with when they were written.
    ///
    /// Names: `last_error`, `stopped`.
    package func senderState() throws(StoreError) -> [String: (value: String, updatedAt: Int64)] {
        try read("reading the sender state") { db in
            var state: [String: (value: String, updatedAt: Int64)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, value, updated_at FROM sender_state") {
                state[row[0]] = (row[1], row[2])
            }
            return state
        }
    }

    /// Writes (or with `nil`, clears) one sender note.
    package func setSenderState(_ name: String, _ value: String?, at time: Int64) throws(StoreError) {
        try write("writing the sender state \(name)") { db in
            if let value {
                try db.execute(
                    sql: "INSERT INTO sender_state (name, value, updated_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    arguments: [name, value, time]
                )
            } else {
                try db.execute(sql: "DELETE FROM sender_state WHERE name = ?", arguments: [name])
            }
        }
    }
}
