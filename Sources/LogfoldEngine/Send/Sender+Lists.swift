import Foundation
import LogfoldCrashPoints
import LogfoldDomain
import LogfoldKlaviyo
import LogfoldStore
import Logging
import Synchronization

/// Klaviyo list ids by name: configured, remembered in the store, found by name, or created.
final class ListDirectory: Sendable {
    private let known: Mutex<[String: String]>

    init(configured: [String: String]) {
        known = Mutex(configured)
    }

    subscript(name: String) -> String? {
        known.withLock { $0[name] }
    }

    func remember(_ name: String, _ id: String) {
        known.withLock { $0[name] = id }
    }
}

extension Sender {
    /// The Klaviyo id of list `name`; dead-letters the step's rows and returns `nil` when it has none.
    func resolveList(_ name: String, step: DeliveryStep) async throws -> String? {
        if let id = listIDs[name] { return id }
        if let id = try await store.read({ try $0.klaviyoListIDs() })[name] {
            listIDs.remember(name, id)
            return id
        }
        let filter = "equals(name,\"\(name.replacingOccurrences(of: "\"", with: "\\\""))\")"
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~(),")
        let query = filter.addingPercentEncoding(withAllowedCharacters: allowed) ?? filter
        let found = try await callAccepting(
            KlaviyoCall(endpoint: .lists, method: .get, path: "/api/lists?filter=" + query))
        var id = found.flatMap { Self.firstListID($0.body) }
        if id == nil, options.createLists {
            let body = KlaviyoRequestBody.createList(name: name).rendered
            let created = try await callAccepting(
                KlaviyoCall(endpoint: .lists, method: .post, path: "/api/lists", body: Array(body.utf8))
            )
            id = created.flatMap { Self.dataID($0.body) }
        }
        guard let id else {
            let reason =
                "Klaviyo has no list named '\(name)'"
                + (options.createLists ? " and refused to create it" : " (list creation is off)")
                + ": create it, or map it with --lists FILE, then run `logfold outbox retry --all`"
            let marks = step.items.flatMap(\.ordinals).map { DeliveryMark.dead($0, reason) }
            try await store { try $0.settle(marks, ledger: [], at: self.options.now()) }
            tally.update { $0.dead += marks.count }
            return nil
        }
        listIDs.remember(name, id)
        try await store { try $0.saveKlaviyoListID(name: name, id: id) }
        return id
    }

    /// The step with the Klaviyo profile ids of its items (from earlier answers, else from a
    /// profile-import of the identifiers, which answers the id); items without one are dead-lettered.
    func withProfileIDs(_ step: DeliveryStep) async throws -> (DeliveryStep, [String]) {
        let profiles = step.profiles
        let externalIDs = profiles.map(\.externalID)
        var ids = try await store.read { try $0.klaviyoProfileIDs(externalIDs) }
        var learnt: [String: String] = [:]
        var refusals: [String: String] = [:]
        for profile in profiles where ids[profile.externalID] == nil {
            let body = KlaviyoRequestBody.profileImport(profile.identifiersOnly).rendered
            let call = KlaviyoCall(endpoint: .profileImport, path: "/api/profile-import", body: Array(body.utf8))
            switch try await callWithRetries(call) {
            case .success(let answer):
                if let id = Self.dataID(answer.body) {
                    ids[profile.externalID] = id
                    learnt[profile.externalID] = id
                }
            case .failure(let refusal):
                refusals[profile.externalID] = refusal.text
            }
        }
        try await store { [learnt] in try $0.saveKlaviyoProfileIDs(learnt) }
        var kept: [DeliveryItem] = []
        var keptIDs: [String] = []
        var marks: [DeliveryMark] = []
        for (item, profile) in zip(step.items, profiles) {
            if let id = ids[profile.externalID] {
                kept.append(item)
                keptIDs.append(id)
            } else {
                let why = refusals[profile.externalID].map { "Klaviyo refused the profile (\($0))" }
                marks += item.ordinals.map {
                    .dead(
                        $0,
                        "\(why ?? "Klaviyo gave no profile id") for customer \(profile.externalID), so it cannot leave the list"
                    )
                }
            }
        }
        try await store { [marks] in try $0.settle(marks, ledger: [], at: self.options.now()) }
        tally.update { $0.dead += marks.count }
        return (step.with(kept), keptIDs)
    }

    /// Makes a call with the retry policy: the answer when accepted, `nil` when refused; throws when the
    /// sender must stop.
    func callAccepting(_ call: KlaviyoCall) async throws -> KlaviyoResponse? {
        switch try await callWithRetries(call) {
        case .success(let response): response
        case .failure: nil
        }
    }

    /// Makes a call with the retry policy: the answer when accepted, Klaviyo's refusal otherwise.
    ///
    /// Throws when the sender must stop. `onRetry` hears each transient failure before the wait.
    func callWithRetries(
        _ call: KlaviyoCall, onRetry: (String) async throws -> Void = { _ in }
    ) async throws -> Result<KlaviyoResponse, Refusal> {
        var attempt = 0
        while true {
            attempt += 1
            CrashPoint.sendRequestBefore.reach()
            let response = try await client.send(call)
            tally.update { $0.requests += 1 }
            EngineMetrics.request(
                destination: "klaviyo", endpoint: call.endpoint.rawValue, status: response.status ?? 0)
            switch options.retry.decide(status: response.status, attempt: attempt, jitter: Double.random(in: 0..<1)) {
            case .accepted: return .success(response)
            case .rejected:
                let text = failureText(response)
                // One line however many records Klaviyo named: the dead letters keep every error.
                logger.notice(
                    "klaviyo refused a call",
                    metadata: [
                        "klaviyo.path": "\(call.path)",
                        "klaviyo.error": "\(LogRedaction.redact(String(text.prefix(300))))",
                    ]
                )
                return .failure(Refusal(text: text, response: response))
            case .retry(let seconds):
                let reason = failureText(response)
                try await onRetry(reason)
                tally.update {
                    $0.retries += 1
                    if response.status == 429 { $0.throttled += 1 }
                }
                EngineMetrics.retried(destination: "klaviyo", throttled: response.status == 429)
                logger.info(
                    "klaviyo call failed, retrying",
                    metadata: [
                        "klaviyo.endpoint": "\(call.endpoint.rawValue)",
                        "klaviyo.error": "\(LogRedaction.redact(reason))",
                    ]
                )
                if seconds > 0 { try await client.clock.sleep(.seconds(seconds)) }
            case .stop(let code):
                throw KlaviyoError(code, operatorMessage(code, response), status: response.status)
            case .giveUp:
                throw KlaviyoError(
                    .retriesExhausted,
                    "Klaviyo kept failing (\(failureText(response))) after \(attempt) attempts on \(call.path); "
                        + "the rows stay pending: check Klaviyo's status and the network, then run `logfold send` again",
                    status: response.status
                )
            }
        }
    }

    /// The id of the first list in a `GET /api/lists` answer.
    static func firstListID(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let data = object["data"] as? [[String: Any]]
        else { return nil }
        return data.first?["id"] as? String
    }
}

/// Klaviyo refused a call as it was (a 4xx other than 401/403/410/429).
struct Refusal: Error {
    /// `HTTP 400: invalid at /data/attributes/email: …`.
    var text: String
    /// Klaviyo's answer, whose error pointers name the refused records.
    var response: KlaviyoResponse
}
