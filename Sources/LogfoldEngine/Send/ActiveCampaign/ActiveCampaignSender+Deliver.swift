import Foundation
import LogfoldActiveCampaign
import LogfoldCrashPoints
import LogfoldDomain
import LogfoldStore
import Logging

extension ActiveCampaignSender {
    /// Sends one row and settles it; with `coalesce`, a contact sync, list status or tag that a later one
    /// of the customer supersedes is settled without a call.
    func deliver(_ row: ActiveCampaignOutboxRow, coalesce: Bool = true) async throws {
        guard let message = (try? JSONSerialization.jsonObject(with: Data(row.body))) as? [String: Any],
            let email = message["email"] as? String
        else {
            try store.settleActiveCampaign(
                row.ordinal, status: .dead, error: "the stored message does not decode", at: now())
            report.dead += 1
            return
        }
        // Coalescing: a contact sync, list status or week's tag followed by a later one of the same
        // customer is superseded, the later one carrying the whole current state.
        if coalesce, row.kind == .contact || row.kind == .listStatus || row.kind == .tag,
            try store.hasLaterActiveCampaignRow(row.kind, customerID: row.customerID, after: row.ordinal)
        {
            try store.settleActiveCampaign(row.ordinal, status: .delivered, outcome: "superseded", at: now())
            report.superseded += 1
            return
        }
        let result: (ActiveCampaignAnswer, String)
        switch row.kind {
        case .contact: result = try await syncContact(message, email: email)
        case .listStatus:
            result = try await setListStatus(email: email, subscribed: message["subscribed"] as? Bool ?? true)
        case .tag:
            result = try await setWeekTag(
                email: email, add: message["add"] as? String ?? "", previous: message["remove"] as? String)
        case .event:
            if options.skipEvents {
                try store.settleActiveCampaign(row.ordinal, status: .delivered, outcome: "skipped", at: now())
                return
            }
            try store.beginActiveCampaignFlight(row.ordinal, kind: .event, at: now())
            result = try await track(message, email: email, eventdata: Self.rawMember(row.body, "eventdata"))
        case .order, .orderCorrection:
            try store.beginActiveCampaignFlight(row.ordinal, kind: row.kind, at: now())
            result = try await saveOrder(message, email: email, row: row)
        }
        CrashPoint.sendAnsweredBeforeMarking.reach()
        switch result.0 {
        case .accepted:
            try store.settleActiveCampaign(row.ordinal, status: .delivered, outcome: result.1, at: now())
            report.delivered += 1
            ActivityRecorder.shared.record(.activecampaign, count: 1)
        case .rejected(let error), .stop(let error), .retry(_, let error):
            logger.notice(
                "activecampaign refused a row",
                metadata: [
                    "activecampaign.key": "\(row.key)",
                    "activecampaign.error": "\(LogRedaction.redact(String(error.prefix(300))))",
                ])
            try store.settleActiveCampaign(row.ordinal, status: .dead, error: error, at: now())
            report.dead += 1
        }
        CrashPoint.sendMarkingAfter.reach()
    }

    // MARK: Contacts, list, tags

    private func syncContact(_ message: [String: Any], email: String) async throws -> (ActiveCampaignAnswer, String) {
        let fields = message["fields"] as? [String: Any] ?? [:]
        var values: [ContactValues.FieldValue] = []
        for field in ActiveCampaignFields.all {
            guard let id = try store.activeCampaignID("field", field.tag) else { continue }
            values.append(.init(fieldID: id, value: fields[field.title] as? String ?? ""))
        }
        let contact = ContactValues(
            email: email, firstName: message["first_name"] as? String, lastName: message["last_name"] as? String,
            phone: message["phone"] as? String, fields: values)
        let (answer, response) = try await call(ActiveCampaignRequests.contactSync(contact))
        if case .accepted = answer, let id = Self.id(response.body, "contact") {
            try store.saveActiveCampaignID("contact", email.lowercased(), id)
        }
        return (answer, "accepted")
    }

    /// The contact's id: remembered, found by email, or made by a sync of the email alone.
    func contactID(_ email: String) async throws -> String? {
        if let id = try store.activeCampaignID("contact", email.lowercased()) { return id }
        let (answer, response) = try await call(ActiveCampaignRequests.contactSync(ContactValues(email: email)))
        guard case .accepted = answer, let id = Self.id(response.body, "contact") else { return nil }
        try store.saveActiveCampaignID("contact", email.lowercased(), id)
        return id
    }

    private func setListStatus(email: String, subscribed: Bool) async throws -> (ActiveCampaignAnswer, String) {
        guard let contact = try await contactID(email), let list = try store.activeCampaignID("list", "All Customers")
        else { return (.rejected("no ActiveCampaign contact for \(email)"), "") }
        return (
            try await call(ActiveCampaignRequests.listStatus(listID: list, contactID: contact, subscribed: subscribed))
                .0, "accepted"
        )
    }

    /// A tag's id: remembered, found by its exact name, or created.
    func tagID(_ name: String) async throws -> String {
        let id = try await remembered("tag", name) {
            try await findOrCreate(
                ActiveCampaignRequests.findTag(named: name), "tags", matching: { $0["tag"] as? String == name },
                create: ActiveCampaignRequests.createTag(named: name), "tag")
        }
        guard let id else {
            throw EngineError(
                .network, "ActiveCampaign has no tag '\(name)' and would not create it",
                remedy: "create it by hand, then send again")
        }
        return id
    }

    // MARK: Events

    private func track(_ message: [String: Any], email: String, eventdata: String?) async throws
        -> (ActiveCampaignAnswer, String)
    {
        let name = message["event"] as? String ?? ""
        let call = ActiveCampaignRequests.trackEvent(
            account: client.configuration.eventAccount, key: client.configuration.eventKey,
            name: ActiveCampaignEventName.shortened(name), data: eventdata, email: email)
        return (try await self.call(call).0, "accepted")
    }

    /// The text of member `name`'s object in a body logfold rendered (no whitespace), exactly as stored:
    /// `eventdata` keeps its member order and number literals.
    static func rawMember(_ body: [UInt8], _ name: String) -> String? {
        let marker = Array("\"\(name)\":{".utf8)
        guard let start = body.indices.first(where: { body[$0...].starts(with: marker) }) else { return nil }
        var depth = 0
        var inString = false
        var escaped = false
        let open = start + marker.count - 1
        for index in open..<body.count {
            let byte = body[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return String(decoding: body[open...index], as: UTF8.self) }
            default: break
            }
        }
        return nil
    }
}
