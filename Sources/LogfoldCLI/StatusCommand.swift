import ArgumentParser
import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldStore

/// The `logfold status [--json]` command.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Journal head, projector checkpoint and lag, outbox counts by status, dead letters.")

    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "One JSON object instead of lines.") var json = false

    func run() throws {
        try reportingFailures {
            let directory = dataOptions.directory
            let head = try directory.openExistingJournal().head()
            var checkpoint: UInt64 = 0
            var counts: [String: Int] = [:]
            var sender: [String: (value: String, updatedAt: Int64)] = [:]
            var ledger = 0
            var shared = 0
            var quarantined = 0
            // ActiveCampaign's section, once it is a destination: counts by status and possible repeats.
            var activeCampaign:
                (
                    counts: [String: Int], repeated: Int, calls: Int, seconds: Double, state: String,
                    checkpoint: UInt64
                )?
            if FileManager.default.fileExists(atPath: directory.statePath) {
                let store = try directory.openExistingStore()
                checkpoint = try store.checkpoint(Projector.defaultName)
                counts = try store.outboxCounts()
                sender = try store.senderState()
                ledger = try store.ledgerCount()
                shared = try store.sharedIdentifierCount()
                quarantined = try store.quarantined(Projector.defaultName).count
                if let destination = try store.destinations().first(where: { $0.name == Projector.activeCampaignName })
                {
                    let rows = try store.activeCampaignCounts()
                    let drain =
                        (rows[.pending] ?? 0) == 0
                        ? (calls: 0, seconds: 0.0) : try ActiveCampaignEstimate.calls(store: store)
                    activeCampaign = (
                        Dictionary(uniqueKeysWithValues: rows.map { ($0.key.name, $0.value) }),
                        try store.activeCampaignPossiblyRepeated(), drain.calls, drain.seconds,
                        destination.state.rawValue, try store.checkpoint(Projector.activeCampaignName)
                    )
                }
            }
            let lastError = sender["last_error"].map {
                "\($0.value) (at \(Timestamp(unixSeconds: $0.updatedAt).utcSecondsString))"
            }
            // Negative when the store is ahead of its journal (an older journal put back): shown, not clamped.
            let lag = Int64(bitPattern: head) - Int64(bitPattern: checkpoint)
            let statuses = ["pending", "delivered", "dead"]
            if json {
                var o = JSONObjectBuilder()
                o.add("journal_head", JSONValue.number(String(head)))
                o.add("checkpoint", JSONValue.number(String(checkpoint)))
                o.add("lag", JSONValue.number(String(lag)))
                o.add(
                    "outbox",
                    JSONValue.object(statuses.map { JSONValue.Member($0, .number(String(counts[$0] ?? 0))) }))
                o.add("dead_letters", JSONValue.number(String(counts["dead"] ?? 0)))
                o.add("delivered_events_in_ledger", JSONValue.number(String(ledger)))
                o.add("shared_identifiers", JSONValue.number(String(shared)))
                o.add("quarantined", JSONValue.number(String(quarantined)))
                o.add("last_error", lastError.map { JSONValue.string($0) } ?? .null)
                o.add("sender_stopped", sender["stopped"]?.value)
                if let activeCampaign {
                    o.add(
                        "activecampaign_outbox",
                        JSONValue.object(statuses.map { .init($0, .number(String(activeCampaign.counts[$0] ?? 0))) }))
                    o.add("activecampaign_possibly_repeated", JSONValue.number(String(activeCampaign.repeated)))
                    o.add(
                        "activecampaign_drain_seconds",
                        JSONValue.number(String(Int(activeCampaign.seconds.rounded(.up)))))
                    // The same, nested per destination (the flat keys above stay for existing scripts).
                    var d = JSONObjectBuilder()
                    d.add("state", activeCampaign.state)
                    d.add("checkpoint", JSONValue.number(String(activeCampaign.checkpoint)))
                    d.add(
                        "lag",
                        JSONValue.number(String(Int64(bitPattern: head) - Int64(bitPattern: activeCampaign.checkpoint)))
                    )
                    d.add(
                        "outbox",
                        JSONValue.object(statuses.map { .init($0, .number(String(activeCampaign.counts[$0] ?? 0))) }))
                    d.add("possibly_repeated", JSONValue.number(String(activeCampaign.repeated)))
                    d.add("drain_calls", JSONValue.number(String(activeCampaign.calls)))
                    d.add("drain_seconds", JSONValue.number(String(Int(activeCampaign.seconds.rounded(.up)))))
                    o.add("destinations", JSONValue.object([.init(Projector.activeCampaignName, d.object)]))
                }
                say(o.object.rendered)
            } else {
                say("journal head  \(head)")
                if lag < 0 {
                    say(
                        "checkpoint    \(checkpoint) (lag \(lag): the store is AHEAD of the journal; "
                            + "`logfold replay --data DIR --into NEW` rebuilds it from this journal)")
                } else {
                    say("checkpoint    \(checkpoint) (lag \(lag))")
                }
                say("outbox        " + statuses.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", "))
                say("dead letters  \(counts["dead"] ?? 0)")
                say("ledger        \(ledger) events delivered")
                if quarantined > 0 {
                    say("quarantined   \(quarantined) records could not be decoded (`logfold journal quarantine list`)")
                }
                if shared > 0 {
                    say("shared ids    \(shared) customers sent without an email or phone another customer owns")
                }
                say("last error    \(lastError ?? "-")")
                if let stopped = sender["stopped"] { say("sender        stopped: \(stopped.value)") }
                if let activeCampaign {
                    say(
                        "activecampaign "
                            + statuses.map { "\($0) \(activeCampaign.counts[$0] ?? 0)" }.joined(separator: ", ")
                            + ", possibly repeated \(activeCampaign.repeated) (tracked events a crash may have sent twice)"
                            + ", about \(ActiveCampaignEstimate.format(activeCampaign.seconds)) to drain at 5 requests/s"
                    )
                }
            }
        }
    }
}
