import Foundation
import LogfoldKlaviyo
import LogfoldStore
import Logging

extension Sender {
    /// Reads how accepted bulk import jobs ended; the rows of every profile Klaviyo failed to import die.
    ///
    /// A 202 only means queued. With `waitForCompletion` (a `--once` run ending) it waits up to two
    /// minutes for jobs still queued or processing; otherwise it looks once and moves on.
    /// Returns how many rows went back to pending.
    @discardableResult
    func followUpImportJobs(waitForCompletion: Bool) async throws -> Int {
        let deadline = client.clock.elapsed() + .seconds(120)
        var delay = 0.5
        var resent = 0
        while true {
            var open = 0
            let jobs = try await store.read { try $0.openImportJobs() }
            for job in jobs {
                if let requeued = try await followUp(job) { resent += requeued } else { open += 1 }
            }
            guard open > 0, waitForCompletion, client.clock.elapsed() < deadline else {
                if open > 0 {
                    logger.notice("klaviyo import jobs still running", metadata: ["klaviyo.jobs": "\(open)"])
                }
                return resent
            }
            try await client.clock.sleep(.seconds(delay))
            delay = min(delay * 2, 10)
        }
    }

    /// Looks at one job; returns `nil` while it runs, else how many rows went back to pending.
    private func followUp(_ job: ImportJob) async throws -> Int? {
        let path = "/api/profile-bulk-import-jobs/\(job.id)"
        guard
            case .success(let answer) = try await callWithRetries(
                KlaviyoCall(endpoint: .profileBulkImportJob, method: .get, path: path)),
            let attributes = Self.dataAttributes(answer.body)
        else {
            // Klaviyo no longer knows it (expired): nothing more to learn.
            try await store { try $0.closeImportJob(job.id, status: "unknown", dead: []) }
            return 0
        }
        let status = attributes["status"] as? String ?? ""
        guard status == "complete" || status == "cancelled" else { return nil }
        var outcome = JobOutcome()
        if (attributes["failed_count"] as? Int ?? 0) > 0 || status == "cancelled" {
            outcome = try await importErrors(job, path: path + "/import-errors")
        }
        var dead = outcome.dead
        if status == "cancelled" && dead.isEmpty && outcome.resend.isEmpty {
            dead = job.rows.joined().map { .dead($0, "Klaviyo cancelled bulk import job \(job.id)") }
        }
        // A phone shared with another profile fails the whole profile: send it again without the phone.
        let primaries = outcome.resendPrimaries.map(\.ordinal)
        let customers = try await store.read { try $0.customerIDs(ofRows: primaries) }
        var conflicts: [String: String] = [:]
        for (ordinal, detail) in outcome.resendPrimaries {
            if let customer = customers[ordinal] { conflicts[customer] = detail }
        }
        try await store { [dead, outcome, conflicts] in
            try $0.closeImportJob(
                job.id, status: status, dead: dead, resend: outcome.resend, phoneConflicts: conflicts,
                at: self.options.now())
        }
        let failures = Set(dead.map(\.ordinal)).count
        if failures > 0 {
            tally.update {
                $0.dead += failures
                $0.delivered -= failures
                $0.importFailures += failures
            }
            logger.warning(
                "klaviyo failed to import profiles",
                metadata: ["klaviyo.job": "\(job.id)", "klaviyo.failed": "\(failures)"]
            )
        }
        if !outcome.resend.isEmpty {
            tally.update { $0.delivered -= outcome.resend.count }
        }
        return outcome.resend.count
    }

    /// What an import job's errors ask for: dead letters, and rows to send again without the phone.
    struct JobOutcome {
        var dead: [DeliveryMark] = []
        var resend: [UInt64] = []
        var resendPrimaries: [(ordinal: UInt64, detail: String)] = []
    }

    /// The dead letters and resends an import job's errors name, following `links.next` pages.
    private func importErrors(_ job: ImportJob, path: String) async throws -> JobOutcome {
        var outcome = JobOutcome()
        var next: String? = path
        var pages = 0
        while let page = next, pages < 1_000 {
            pages += 1
            guard
                case .success(let answer) = try await callWithRetries(
                    KlaviyoCall(endpoint: .profileBulkImportJob, method: .get, path: page)),
                let object = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
            else { break }
            for error in object["data"] as? [[String: Any]] ?? [] {
                let attributes = error["attributes"] as? [String: Any] ?? [:]
                let pointer = (attributes["source"] as? [String: Any])?["pointer"] as? String
                let apiError = KlaviyoAPIError(
                    code: attributes["code"] as? String ?? "import_error", title: attributes["title"] as? String ?? "",
                    detail: attributes["detail"] as? String ?? "", pointer: pointer
                )
                guard
                    let index = pointer.flatMap({
                        KlaviyoPointer.indices($0, after: "/data/attributes/profiles")?.first
                    }),
                    job.rows.indices.contains(index)
                else { continue }
                let rows = job.rows[index]
                if apiError.code == "duplicate_profile", pointer?.hasSuffix("/phone_number") == true,
                    let first = rows.first
                {
                    outcome.resend += rows
                    outcome.resendPrimaries.append((first, apiError.description))
                } else {
                    outcome.dead += rows.map { .dead($0, "bulk import job \(job.id): \(apiError)") }
                }
            }
            next = ((object["links"] as? [String: Any])?["next"] as? String).flatMap(Self.pathAndQuery)
        }
        return outcome
    }

    /// `data.attributes` of a JSON:API answer.
    static func dataAttributes(_ body: [UInt8]) -> [String: Any]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return (object["data"] as? [String: Any])?["attributes"] as? [String: Any]
    }

    /// The path and query of an absolute link, for the next call through the same base URL.
    static func pathAndQuery(_ link: String) -> String? {
        guard let url = URLComponents(string: link), !url.path.isEmpty else { return nil }
        return url.path + (url.query.map { "?" + $0 } ?? "")
    }
}
