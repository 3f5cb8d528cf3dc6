import Foundation
import LogfoldCrashPoints
import LogfoldDomain
import LogfoldKlaviyo
import LogfoldStore
import Logging

extension Sender {
    /// Delivers one step: sends it, retries transient failures, splits it around refused records, and
    /// marks what Klaviyo accepted, one transaction per answer.
    func deliver(_ step: DeliveryStep) async throws {
        var queue = [step]
        while let current = queue.popLast() {
            if let resend = try await deliverOnce(current) { queue += resend }
        }
    }

    /// Sends `step` until Klaviyo accepts or refuses it; returns the parts to send again after a refusal.
    private func deliverOnce(_ step: DeliveryStep) async throws -> [DeliveryStep]? {
        var step = step
        var listID: String?
        if case .listAdd(let name) = step.kind { listID = try await resolveList(name, step: step) }
        if case .listRemove(let name) = step.kind { listID = try await resolveList(name, step: step) }
        if isList(step) && listID == nil { return nil }  // resolveList dead-lettered the items
        var profileIDs: [String] = []
        if case .listRemove = step.kind {
            (step, profileIDs) = try await withProfileIDs(step)
            if step.items.isEmpty { return nil }
        }
        let route = step.route(listID: listID)
        let body = step.body(
            includeBackfill: client.configuration.supportsBackfill, listID: listID, profileIDs: profileIDs
        )
        let call = KlaviyoCall(endpoint: route.endpoint, method: route.method, path: route.path, body: body)
        // The rows are listed only when an attempt fails: most steps never need them.
        let result = try await callWithRetries(call) { [step] reason in
            try await store { try $0.recordFailedAttempt(step.ordinals, error: reason) }
        }
        switch result {
        case .success(let response):
            try await accept(step, response: response)
            return nil
        case .failure(let refusal):
            return try await reject(step, response: refusal.response)
        }
    }

    private func isList(_ step: DeliveryStep) -> Bool {
        switch step.kind {
        case .listAdd, .listRemove: true
        default: false
        }
    }

    /// Marks every row of an accepted step delivered, with its superseded rows and ledger entries.
    private func accept(_ step: DeliveryStep, response: KlaviyoResponse) async throws {
        CrashPoint.sendAnsweredBeforeMarking.reach()
        if let crashBeforeMarking, step.kind == .eventBulk || step.kind == .event {
            // Test hook (LOGFOLD_TEST_CRASH_BEFORE_MARKING=N): die after the N-th accepted event request,
            // before its marking, as a power cut would.
            let eventRequests = eventRequestsAccepted.add(1)
            if eventRequests >= crashBeforeMarking { kill(getpid(), SIGKILL) }
        }
        var marks: [DeliveryMark] = []
        marks.reserveCapacity(step.items.count)
        var ledger: [LedgerEntry] = []
        var superseded = 0
        // By index, in place: a loop over the items copied each one, its payload's strings retained and released.
        for index in step.items.indices {
            marks.append(.delivered(step.items[index].ordinal, "accepted"))
            for ordinal in step.items[index].superseded { marks.append(.delivered(ordinal, "superseded")) }
            superseded += step.items[index].superseded.count
            if let entry = step.items[index].ledger { ledger.append(entry) }
        }
        let events = ledger.count
        if step.kind == .profileImport, let profile = step.profiles.first, let id = Self.dataID(response.body) {
            try await store { try $0.saveKlaviyoProfileIDs([profile.externalID: id]) }
        }
        var job: ImportJob?
        switch step.kind {
        case .profileBulk, .listAdd:
            // Accepted is not imported: the job's per-profile errors are read later (Sender+Jobs).
            job = Self.dataID(response.body).map { ImportJob(id: $0, rows: step.items.map(\.ordinals)) }
        default: break
        }
        try await store { [marks, ledger, job] in try $0.settle(marks, ledger: ledger, job: job, at: self.options.now())
        }
        tally.update {
            $0.delivered += marks.count
            ActivityRecorder.shared.record(.klaviyo, count: marks.count)
            $0.superseded += superseded
            $0.events += events
        }
        progress?(tally.snapshot)
    }

    /// Settles the records Klaviyo's errors name (dead, or delivered when it says they are already
    /// stored) and returns the rest to send again; a refusal naming no record splits the step in halves.
    private func reject(_ step: DeliveryStep, response: KlaviyoResponse) async throws -> [DeliveryStep] {
        let status = response.status ?? 0
        let errors = KlaviyoAPIError.parse(response.body, status: status)
        if step.kind == .profileImport, case .profile(var profile) = step.items.first?.payload,
            profile.phoneNumber != nil,
            errors.allSatisfy({ $0.code == "duplicate_profile" && $0.pointer?.hasSuffix("/phone_number") == true })
        {
            // The phone belongs to another Klaviyo profile: remember it, and send the profile without it.
            let customer = profile.externalID
            let detail = errors.map(\.description).joined(separator: "; ")
            try await store { try $0.notePhoneConflict(customer, detail: detail, at: self.options.now()) }
            profile.phoneNumber = nil
            var item = step.items[0]
            item.payload = .profile(profile)
            return [step.with([item])]
        }
        var named: [Int: [KlaviyoAPIError]] = [:]
        for error in errors {
            for index in step.items(namedBy: error.pointer) ?? [] { named[index, default: []].append(error) }
        }
        if named.isEmpty {
            let half = step.items.count / 2
            guard half > 0 else { return [] }
            return [step.with(Array(step.items[half...])), step.with(Array(step.items[..<half]))]
        }
        var marks: [DeliveryMark] = []
        var ledger: [LedgerEntry] = []
        var dead = 0
        var deduplicated = 0
        for (index, itemErrors) in named.sorted(by: { $0.key < $1.key }) {
            let item = step.items[index]
            if let entry = item.ledger, itemErrors.allSatisfy(\.meansAlreadyStored) {
                marks.append(.delivered(item.ordinal, "deduplicated"))
                marks += item.superseded.map { .delivered($0, "superseded") }
                ledger.append(entry)
                deduplicated += 1
            } else {
                let text = "HTTP \(status): " + itemErrors.map(\.description).joined(separator: "; ")
                marks += item.ordinals.map { .dead($0, text) }
                dead += item.ordinals.count
            }
        }
        if case .listRemove = step.kind {
            // The profile ids came from earlier answers and may be stale (a profile merged or deleted in
            // Klaviyo): forget them, so `logfold outbox retry` learns them afresh.
            let profiles = step.profiles
            let stale = named.keys.sorted().compactMap { profiles.indices.contains($0) ? profiles[$0].externalID : nil }
            try await store { try $0.forgetKlaviyoProfileIDs(stale) }
        }
        try await store { [marks, ledger] in try $0.settle(marks, ledger: ledger, at: self.options.now()) }
        tally.update {
            $0.dead += dead
            $0.deduplicated += deduplicated
            $0.delivered += marks.count - dead
            ActivityRecorder.shared.record(.klaviyo, count: marks.count - dead)
        }
        let rest = step.items.indices.filter { named[$0] == nil }.map { step.items[$0] }
        return rest.isEmpty ? [] : [step.with(rest)]
    }

    func failureText(_ response: KlaviyoResponse) -> String {
        guard let status = response.status else { return response.summary }
        let errors = KlaviyoAPIError.parse(response.body, status: status)
        return "HTTP \(status): " + errors.map(\.description).joined(separator: "; ")
    }

    func operatorMessage(_ code: KlaviyoError.Code, _ response: KlaviyoResponse) -> String {
        let detail = failureText(response)
        switch code {
        case .unauthorized:
            return "Klaviyo refused the API key (\(detail)): check KLAVIYO_API_KEY or --api-key-file "
                + "(a private key, pk_…); nothing was dead-lettered"
        case .forbidden:
            return "the API key lacks a scope (\(detail)): give it events:write, profiles:write, lists:write "
                + "and subscriptions:write in Klaviyo; nothing was dead-lettered"
        case .revisionRetired:
            return "Klaviyo retired revision \(client.configuration.revision) (\(detail)): upgrade logfold or "
                + "pass a current --revision; nothing was dead-lettered"
        default:
            return detail
        }
    }

    /// `data.id` of a JSON:API answer; `nil` when the answer has none (or it is not text).
    ///
    /// Decoded into the one member it needs: `JSONSerialization` built an object, a string and a number
    /// for every member of a bulk import's job answer, about one allocation in twenty of a send.
    static func dataID(_ body: [UInt8]) -> String? {
        try? JSONDecoder().decode(JSONAPIResourceID.self, from: Data(body)).data.id
    }
}

/// The `data.id` of a JSON:API document, and nothing else of it.
private struct JSONAPIResourceID: Decodable {
    struct Resource: Decodable {
        let id: String
    }

    let data: Resource
}
