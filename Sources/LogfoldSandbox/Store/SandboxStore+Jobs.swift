internal import GRDB

extension SandboxStore {
    /// Runs a Bulk Import Profiles job to completion: checks its lists exist (400 otherwise, nothing
    /// stored), upserts every profile, adds each to the lists, and stores the job document.
    ///
    /// A profile whose identifiers belong to two existing profiles fails alone: it is counted in
    /// `failed_count` and listed by `…/import-errors`, as Klaviyo reports per-profile failures.
    package func runBulkImport(_ request: ProfileValidator.BulkImport, now: Int64, baseURL: String) async throws
        -> SandboxJSON
    {
        try await pool.write { db in
            var errors: [SandboxAPIError] = []
            let listsPointer = JSONPointer(path: "/data/relationships/lists/data")
            for (i, id) in request.listIDs.enumerated() where try !Self.listExists(id, in: db) {
                errors.append(.invalid(listsPointer.appending(i).appending("id"), "No list with id '\(id)'."))
            }
            if !errors.isEmpty { throw SandboxRejection(errors) }
            let id = SandboxIDs.job(try Self.next("job_ids", in: db))
            var importErrors: [SandboxJSON] = []
            var completed = 0
            for patch in request.profiles {
                do {
                    let profile = try Self.upsert(patch, conflicts: .reject, now: now, in: db).profile
                    for list in request.listIDs {
                        try Self.setMember(listID: list, profileID: profile.id, member: true, now: now, in: db)
                    }
                    completed += 1
                } catch let rejection as SandboxRejection {
                    for error in rejection.errors {
                        importErrors.append(
                            .object([
                                "type": "import-error",
                                "id": .string("\(id)-\(importErrors.count + 1)"),
                                "attributes": .object([
                                    "code": .string(error.code), "title": .string(error.title),
                                    "detail": .string(error.detail),
                                    "source": .object(["pointer": .string(error.pointer)]),
                                    "original_payload": .null,
                                ]),
                            ]))
                    }
                }
            }
            let stamp = SandboxJSON.string(Timestamp.format(unixSeconds: now / 1000))
            let document = SandboxJSON.object([
                "type": "profile-bulk-import-job",
                "id": .string(id),
                "attributes": .object([
                    "status": "complete",
                    "created_at": stamp,
                    "total_count": .integer(request.profiles.count),
                    "completed_count": .integer(completed),
                    "failed_count": .integer(request.profiles.count - completed),
                    "completed_at": stamp,
                    "expires_at": .string(Timestamp.format(unixSeconds: now / 1000 + 7 * 86_400)),
                    "started_at": stamp,
                ]),
                "relationships": .object([
                    "lists": .object([
                        "data": .array(request.listIDs.map { .object(["type": "list", "id": .string($0)]) })
                    ])
                ]),
                "links": .object(["self": .string("\(baseURL)/api/profile-bulk-import-jobs/\(id)/")]),
            ])
            try Self.saveJob(id: id, type: "profile-bulk-import-job", document: document, now: now, in: db)
            try Self.saveJob(
                id: id + "/import-errors", type: "import-errors", document: .array(importErrors), now: now, in: db)
            return document
        }
    }

    /// The stored document of job `id` (or the import errors of a bulk import, `id + "/import-errors"`).
    package func job(id: String) async throws -> SandboxJSON? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT document FROM jobs WHERE id = ?", arguments: [id])
                .flatMap { try? SandboxJSON.parse($0) }
        }
    }

    static func saveJob(id: String, type: String, document: SandboxJSON, now: Int64, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO jobs (id, type, document, created_ms) VALUES (?, ?, ?, ?)",
            arguments: [id, type, document.rendered, now])
    }

    /// A finished job's document for the suppression endpoints, stored under a fresh id.
    static func finishedJob(type: String, total: Int, completed: Int, now: Int64, baseURL: String, in db: Database)
        throws -> SandboxJSON
    {
        let id = SandboxIDs.job(try next("job_ids", in: db))
        let stamp = SandboxJSON.string(Timestamp.format(unixSeconds: now / 1000))
        let document = SandboxJSON.object([
            "type": .string(type),
            "id": .string(id),
            "attributes": .object([
                "status": "complete",
                "created_at": stamp,
                "total_count": .integer(total),
                "completed_count": .integer(completed),
                "completed_at": stamp,
                "skipped_count": .integer(total - completed),
            ]),
            "links": .object(["self": .string("\(baseURL)/api/\(type)s/\(id)/")]),
        ])
        try saveJob(id: id, type: type, document: document, now: now, in: db)
        return document
    }
}
