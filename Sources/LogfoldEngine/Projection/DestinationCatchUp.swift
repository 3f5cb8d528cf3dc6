package import LogfoldDomain
package import LogfoldJournal
package import LogfoldStore

/// Folds the whole journal for a destination added to a running data directory (ADR 0004), then hands
/// it over to the projector.
///
/// The fold runs from seq 1 in memory with the destination's mapping, writing only the destination's
/// rows and checkpoint: Klaviyo's rows, state and checkpoint are untouched, and its projector and sender
/// keep running. When the fold reaches Klaviyo's checkpoint, one transaction adds what the destination
/// was told to each stored customer and enables it; from then on the projector folds both. The fold is
/// the one the projector ran, entry for entry (the same mapping file and limits), so the state it
/// reaches is the stored one.
///
/// Interrupted, it starts again from seq 1: rows already written are kept once by their ordinals.
package final class DestinationCatchUp {
    private let journal: Journal
    private let store: StateStore
    private let batchSize: Int
    /// The most customers kept decoded in memory between batches (``Projector/defaultHotCustomers``).
    private let hotCustomers: Int
    private var projection: Projection

    /// What a catch-up did.
    package struct Summary: Sendable, Hashable {
        package var entries = 0
        package var messages = 0
        package var newRows = 0
        /// The seq at which the destination joined the projector.
        package var handedOverAt: UInt64 = 0
        /// Times Klaviyo's projector moved on before the hand-over and the fold went further.
        package var retries = 0
    }

    /// A catch-up of ActiveCampaign with `mapping` (the projector's, ActiveCampaign's event names included).
    package init(
        journal: Journal, store: StateStore, mapping: EventMapping = .defaults, batchSize: Int = 10_000,
        hotCustomers: Int = Projector.defaultHotCustomers, messagesPerEntry: Int = 1 << 16
    ) {
        self.journal = journal
        self.store = store
        self.batchSize = max(1, batchSize)
        self.hotCustomers = max(0, hotCustomers)
        projection = Projection(mapping: mapping)
        projection.messagesPerEntry = messagesPerEntry
        projection.activeCampaign = mapping.activeCampaign
    }

    /// Folds from seq 1 to Klaviyo's checkpoint and hands over; `now` stamps the destination's row.
    package func run(now: Int64, progress: ((Summary) -> Void)? = nil) throws(EngineError) -> Summary {
        let name = Projector.activeCampaignName
        try storeCall { try store.beginCatchUp(name, at: now) }
        var summary = Summary()
        var seq: UInt64 = 0
        var memo = SnapshotMemo()
        while true {
            let target = try storeCall { try store.checkpoint(Projector.defaultName) }
            while seq < target {
                let upper = min(target, seq + UInt64(batchSize))
                var rows: [ActiveCampaignOutboxRow] = []
                do {
                    try journal.forEach(from: seq + 1, through: upper) { record in
                        // What the projector could not decode it quarantined, not folded: skipped here too.
                        guard let entry = try? JournalFigures.decode(record, memo: &memo) else { return true }
                        summary.entries += 1
                        _ = projection.apply(entry, seq: record.seq)
                        for message in projection.takeActiveCampaignMessages() {
                            rows.append(ProjectionRows.row(message))
                        }
                        return true
                    }
                    for id in projection.setAsideCustomers(keepingAtMost: hotCustomers) { memo.forget(customer: id) }
                } catch {
                    throw EngineError(.journal, "\(error)", remedy: "run `logfold journal verify`", cause: error)
                }
                summary.messages += rows.count
                summary.newRows += try storeCall {
                    try store.commitCatchUp(rows, destination: name, fromSeq: seq, toSeq: upper)
                }
                seq = upper
                progress?(summary)
            }
            let states = projection
            let handedOver = try storeCall {
                try store.handOver(name, at: seq, projector: Projector.defaultName, time: now) { id, blob in
                    guard let folded = states.customer(id), let sent = folded.activeCampaign else { return nil }
                    var stored = try ProjectionCodec.decodeCustomer(blob)
                    stored.activeCampaign = sent
                    // The same fold with the destination: the entry that last changed the customer may be
                    // one that changed only what ActiveCampaign was told.
                    stored.lastSeq = max(stored.lastSeq, folded.lastSeq)
                    return (ProjectionCodec.encode(stored), stored.lastSeq)
                }
            }
            if handedOver {
                summary.handedOverAt = seq
                return summary
            }
            summary.retries += 1
        }
    }

    private func storeCall<T>(_ body: () throws -> T) throws(EngineError) -> T {
        do {
            return try body()
        } catch {
            throw EngineError(
                .io, "state store: \(error)", remedy: "see the store error; the journal is untouched", cause: error)
        }
    }
}
