import Foundation
import LogfoldActiveCampaign
import LogfoldCrashPoints
import LogfoldStore
import Logging

extension ActiveCampaignSender {
    /// What one bulk import attempt came to.
    enum BulkImportOutcome {
        /// A batch went in and its rows are settled.
        case imported
        /// Fewer new contacts than ``ActiveCampaignSenderLimits/bulkImportMinimum`` are left.
        case tooFew
        /// ActiveCampaign refused the import: its contacts go by `contact/sync`.
        case refused
    }

    /// Imports up to 250 new contacts of the history lane in one call, each with its current fields and,
    /// when they were never set, its list subscription and week's tag (activecampaign-api.md §5–6).
    ///
    /// An import is an upsert, so one repeated after a crash changes nothing. ActiveCampaign answers with
    /// a batch id and imports asynchronously; the sender polls the batch's status, then settles the rows
    /// it carried (the earlier rows of the same kind as superseded). A contact the import failed goes by
    /// `contact/sync` at once.
    func bulkImport(olderThan cutoff: Int64) async throws -> BulkImportOutcome {
        let candidates = try store.activeCampaignBulkCandidates(
            before: .max, olderThan: cutoff, limit: ActiveCampaignSenderLimits.bulkImportSize)
        guard candidates.count >= ActiveCampaignSenderLimits.bulkImportMinimum,
            let list = try store.activeCampaignID("list", "All Customers")
        else { return .tooFew }
        var fieldIDs: [(title: String, id: String)] = []
        for field in ActiveCampaignFields.all {
            if let id = try store.activeCampaignID("field", field.tag) { fieldIDs.append((field.title, id)) }
        }
        var contacts: [BulkContact] = []
        var settled: [(kind: ActiveCampaignOutboxRow.Kind, customerID: String, through: UInt64)] = []
        var tagged: [(email: String, tag: String)] = []
        var byEmail: [String: ActiveCampaignOutboxRow] = [:]
        for candidate in candidates {
            guard let message = Self.object(candidate.contact.body), let email = message["email"] as? String else {
                // Never picked again: a stored contact sync without an email cannot be sent at all.
                try store.settleActiveCampaign(
                    candidate.contact.ordinal, status: .dead, error: "the stored contact sync has no email", at: now())
                report.dead += 1
                continue
            }
            let fields = message["fields"] as? [String: Any] ?? [:]
            var contact = BulkContact(
                email: email, firstName: message["first_name"] as? String,
                lastName: message["last_name"] as? String, phone: message["phone"] as? String,
                fields: fieldIDs.map { .init(fieldID: $0.id, value: fields[$0.title] as? String ?? "") })
            settled.append((.contact, candidate.contact.customerID, candidate.contact.ordinal))
            // Only for the same email: a list status or tag of an older email is not this contact's.
            if let row = candidate.list, let status = Self.object(row.body), status["email"] as? String == email,
                status["subscribed"] as? Bool ?? true
            {
                contact.listID = list
                settled.append((.listStatus, row.customerID, row.ordinal))
            }
            if let row = candidate.tag, let swap = Self.object(row.body), swap["email"] as? String == email,
                let tag = swap["add"] as? String
            {
                contact.tags = [tag]
                settled.append((.tag, row.customerID, row.ordinal))
                tagged.append((email, tag))
            }
            contacts.append(contact)
            byEmail[email.lowercased()] = candidate.contact
        }
        let (answer, response) = try await call(ActiveCampaignRequests.bulkImport(contacts))
        guard case .accepted = answer, let batch = Self.text(Self.object(response.body)?["batchId"]) else {
            logger.notice(
                "activecampaign refused a bulk import; its contacts go one by one",
                metadata: ["activecampaign.error": .string(LogRedaction.redact(String("\(answer)".prefix(300))))])
            return .refused
        }
        // Stopped while ActiveCampaign imports: the rows stay pending; importing them again is harmless.
        guard let failed = try await waitForImport(batch) else { return .imported }
        CrashPoint.sendAnsweredBeforeMarking.reach()
        let failedCustomers = Set(failed.compactMap { byEmail[$0.lowercased()]?.customerID })
        try store.settleActiveCampaignBulk(settled.filter { !failedCustomers.contains($0.customerID) }, at: now())
        for (email, tag) in tagged where !failed.contains(email.lowercased()) {
            // The import's answer names no contact-tag: a later change finds the link by listing.
            try store.saveActiveCampaignID("week_tag", email.lowercased(), tag)
        }
        report.bulkImported += contacts.count - failedCustomers.count
        let delivered = settled.count - settled.filter { failedCustomers.contains($0.customerID) }.count
        report.delivered += delivered
        ActivityRecorder.shared.record(.activecampaign, count: delivered)
        for email in failed {
            guard let row = byEmail[email.lowercased()] else { continue }
            logger.notice(
                "activecampaign's bulk import failed a contact; syncing it",
                metadata: ["activecampaign.ordinal": "\(row.ordinal)"])
            try await deliver(row)
        }
        return .imported
    }

    /// Polls a bulk import until ActiveCampaign reports it finished.
    ///
    /// Returns the emails it failed (lowercased), or `nil` when a stop came first. Throws after ten minutes with the rows still pending (importing again is harmless).
    private func waitForImport(_ batch: String) async throws -> Set<String>? {
        for _ in 0..<300 {
            if options.shouldStop() { return nil }
            let (answer, response) = try await call(ActiveCampaignRequests.importInfo(batchID: batch))
            let info = Self.object(response.body) ?? [:]
            let status = (info["status"] as? String)?.lowercased() ?? ""
            if case .accepted = answer, ["completed", "complete", "finished", "done"].contains(status) {
                let failures = info["failure"] as? [Any] ?? []
                return Set(
                    failures.compactMap { item in
                        (item as? String) ?? ((item as? [String: Any])?["email"] as? String)
                    }.map { $0.lowercased() })
            }
            try await clock.sleep(for: .seconds(2))
        }
        throw EngineError(
            .network,
            "ActiveCampaign's bulk import \(batch) did not finish within 10 minutes; its contacts stay pending",
            remedy:
                "run `logfold send --destination activecampaign` again (an import is an upsert: repeating it is harmless)"
        )
    }

    /// A stored message's or an answer's top-level JSON object.
    static func object(_ body: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}
