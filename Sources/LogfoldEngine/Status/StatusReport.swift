import Foundation
package import LogfoldDomain
package import LogfoldJournal
package import LogfoldStore

/// What `logfold status` prints and the daemon's `GET /v1/status` answers: journal head, each
/// destination's checkpoint, lag and outbox counts, dead letters, the sender's last error.
package struct StatusReport: Sendable {
    /// ActiveCampaign's part, once it is a destination.
    package struct ActiveCampaignPart: Sendable {
        package var state: String
        package var checkpoint: UInt64
        package var counts: [String: Int]
        package var possiblyRepeated: Int
        /// The drain estimate at 5 requests/s, when it was asked for (it reads the whole outbox).
        package var drainCalls: Int
        package var drainSeconds: Double
    }

    package var head: UInt64
    package var checkpoint: UInt64 = 0
    /// Klaviyo's outbox by status (`pending`, `delivered`, `dead`).
    package var counts: [String: Int] = [:]
    package var ledger = 0
    package var shared = 0
    package var quarantined = 0
    /// The sender's last error with when it happened, and why it stopped, if it did.
    package var lastError: String?
    package var senderStopped: String?
    package var activeCampaign: ActiveCampaignPart?

    /// Signed: negative when the store is ahead of its journal (an older journal put back).
    package var lag: Int64 { Int64(bitPattern: head) - Int64(bitPattern: checkpoint) }

    static let statuses = ["pending", "delivered", "dead"]

    /// Reads the report.
    ///
    /// `store` is `nil` before the first projection. `estimate` adds ActiveCampaign's drain estimate,
    /// which reads its whole pending outbox.
    package static func read(journal: Journal, store: StateStore?, estimate: Bool = true) throws(EngineError)
        -> StatusReport
    {
        var report: StatusReport
        do {
            report = StatusReport(head: try journal.head())
        } catch {
            throw EngineError(
                .journal, "reading the journal's head: \(error)", remedy: "run `logfold journal verify`", cause: error)
        }
        guard let store else { return report }
        do {
            report.checkpoint = try store.checkpoint(Projector.defaultName)
            report.counts = try store.outboxCounts()
            let sender = try store.senderState()
            report.ledger = try store.ledgerCount()
            report.shared = try store.sharedIdentifierCount()
            report.quarantined = try store.quarantined(Projector.defaultName).count
            // Klaviyo's error text can quote a refused email or phone: redacted here, for every reader.
            report.lastError = sender["last_error"].map {
                "\(LogRedaction.redact($0.value)) (at \(Timestamp(unixSeconds: $0.updatedAt).utcSecondsString))"
            }
            report.senderStopped = sender["stopped"].map { LogRedaction.redact($0.value) }
            if let destination = try store.destinations().first(where: { $0.name == Projector.activeCampaignName }) {
                let rows = try store.activeCampaignCounts()
                let drain =
                    (rows[.pending] ?? 0) == 0 || !estimate
                    ? (calls: 0, seconds: 0.0) : try ActiveCampaignEstimate.calls(store: store)
                report.activeCampaign = ActiveCampaignPart(
                    state: destination.state.rawValue, checkpoint: try store.checkpoint(Projector.activeCampaignName),
                    counts: Dictionary(uniqueKeysWithValues: rows.map { ($0.key.name, $0.value) }),
                    possiblyRepeated: try store.activeCampaignPossiblyRepeated(), drainCalls: drain.calls,
                    drainSeconds: drain.seconds)
            }
        } catch {
            throw EngineError(.io, "reading the state store: \(error)", remedy: "see the store error", cause: error)
        }
        return report
    }

    /// The JSON object `status --json` prints.
    package var json: JSONValue {
        var o = JSONObjectBuilder()
        o.add("journal_head", JSONValue.number(String(head)))
        o.add("checkpoint", JSONValue.number(String(checkpoint)))
        o.add("lag", JSONValue.number(String(lag)))
        o.add("outbox", JSONValue.object(Self.statuses.map { .init($0, .number(String(counts[$0] ?? 0))) }))
        o.add("dead_letters", JSONValue.number(String(counts["dead"] ?? 0)))
        o.add("delivered_events_in_ledger", JSONValue.number(String(ledger)))
        o.add("shared_identifiers", JSONValue.number(String(shared)))
        o.add("quarantined", JSONValue.number(String(quarantined)))
        o.add("last_error", lastError.map { JSONValue.string($0) } ?? .null)
        o.add("sender_stopped", senderStopped)
        if let ac = activeCampaign {
            let outbox = JSONValue.object(Self.statuses.map { .init($0, .number(String(ac.counts[$0] ?? 0))) })
            let seconds = JSONValue.number(String(Int(ac.drainSeconds.rounded(.up))))
            // The flat keys came first; scripts read them, so they stay beside the nested object.
            o.add("activecampaign_outbox", outbox)
            o.add("activecampaign_possibly_repeated", JSONValue.number(String(ac.possiblyRepeated)))
            o.add("activecampaign_drain_seconds", seconds)
            var d = JSONObjectBuilder()
            d.add("state", ac.state)
            d.add("checkpoint", JSONValue.number(String(ac.checkpoint)))
            d.add("lag", JSONValue.number(String(Int64(bitPattern: head) - Int64(bitPattern: ac.checkpoint))))
            d.add("outbox", outbox)
            d.add("possibly_repeated", JSONValue.number(String(ac.possiblyRepeated)))
            d.add("drain_calls", JSONValue.number(String(ac.drainCalls)))
            d.add("drain_seconds", seconds)
            o.add("destinations", JSONValue.object([.init(Projector.activeCampaignName, d.object)]))
        }
        return o.object
    }

    /// One destination's part (`status --destination D`): the journal head, then only its own figures.
    package func json(destination: String) -> JSONValue {
        guard case .object(let members) = json else { return json }
        var o = JSONObjectBuilder()
        o.add("journal_head", JSONValue.number(String(head)))
        o.add("destination", destination)
        if destination == Projector.activeCampaignName {
            let nested = members.first { $0.key == "destinations" }?.value[Projector.activeCampaignName]
            guard case .object(let part)? = nested else {
                o.add("state", "not added")
                return o.object
            }
            for member in part { o.add(member.key, member.value) }
            return o.object
        }
        let klaviyoKeys = [
            "checkpoint", "lag", "outbox", "dead_letters", "delivered_events_in_ledger", "shared_identifiers",
            "quarantined", "last_error", "sender_stopped",
        ]
        for member in members where klaviyoKeys.contains(member.key) { o.add(member.key, member.value) }
        return o.object
    }

    /// The lines `status --destination D` prints.
    package func lines(destination: String) -> [String] {
        let all = lines
        if destination == Projector.activeCampaignName {
            guard let ac = activeCampaign else { return ["journal head  \(head)", "activecampaign not added"] }
            return [
                "journal head  \(head)",
                "checkpoint    \(ac.checkpoint) (lag \(Int64(bitPattern: head) - Int64(bitPattern: ac.checkpoint)); \(ac.state))",
            ] + all.filter { $0.hasPrefix("activecampaign ") }
        }
        return all.filter { !$0.hasPrefix("activecampaign ") }
    }

    /// The lines `status` prints.
    package var lines: [String] {
        var lines = ["journal head  \(head)"]
        if lag < 0 {
            lines.append(
                "checkpoint    \(checkpoint) (lag \(lag): the store is AHEAD of the journal; "
                    + "`logfold replay --data DIR --into NEW` rebuilds it from this journal)")
        } else {
            lines.append("checkpoint    \(checkpoint) (lag \(lag))")
        }
        lines.append("outbox        " + Self.statuses.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", "))
        lines.append("dead letters  \(counts["dead"] ?? 0)")
        lines.append("ledger        \(ledger) events delivered")
        if quarantined > 0 {
            lines.append(
                "quarantined   \(quarantined) records could not be decoded (`logfold journal quarantine list`)")
        }
        if shared > 0 {
            lines.append("shared ids    \(shared) customers sent without an email or phone another customer owns")
        }
        lines.append("last error    \(lastError ?? "-")")
        if let senderStopped { lines.append("sender        stopped: \(senderStopped)") }
        if let ac = activeCampaign {
            lines.append(
                "activecampaign "
                    + Self.statuses.map { "\($0) \(ac.counts[$0] ?? 0)" }.joined(separator: ", ")
                    + ", possibly repeated \(ac.possiblyRepeated) (tracked events a crash may have sent twice)"
                    + ", about \(ActiveCampaignEstimate.format(ac.drainSeconds)) to drain at 5 requests/s")
        }
        return lines
    }
}
