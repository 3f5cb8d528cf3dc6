import LogfoldDomain
import LogfoldJournal
import LogfoldStore

extension Projector {
    /// Folds a quarantined record now, after the entries that followed it, and takes it out of quarantine.
    ///
    /// Throws, leaving it there, when it still cannot be decoded. Returns how many messages it produced.
    ///
    /// Its messages keep the record's seq, so they sort before later rows; the sender picks them up on
    /// its next pass from the start. A replay folds the record in its place, if it decodes by then.
    package func retryQuarantined(_ seq: UInt64) throws(EngineError) -> Int {
        let checkpoint = try storeCall { try store.checkpoint(name) }
        storeWasEmpty = checkpoint == 0
        try loadClock()
        guard try storeCall({ try store.quarantined(name) }).contains(where: { $0.seq == seq }) else {
            throw EngineError(
                .notFound, "seq \(seq) is not in quarantine", remedy: "see `logfold journal quarantine list`")
        }
        guard let record = try journalCall({ try journal.record(at: seq) }) else {
            throw EngineError(.notFound, "no journal record at seq \(seq)", remedy: "check the seq")
        }
        let entry: LogEntry
        do {
            entry = try JournalFigures.decode(record)
        } catch {
            throw EngineError(
                .corrupt, "seq \(seq) still cannot be decoded: \(error); it stays in quarantine",
                remedy: "a build that reads it, or `logfold journal show \(seq) --raw` and a fixed re-ingest")
        }
        try prefetch(for: entry)
        var messages = projection.apply(entry, seq: seq)
        try completeWeekChange(appendingTo: &messages)
        var customers = Set(messages.filter { $0.kind == .profile }.map(\.customerID))
        if let id = projection.customerReference(of: entry) { customers.insert(id) }
        let batch = ProjectionBatch(
            customers: customers.sorted().compactMap { projection.customer($0) }.map(ProjectionRows.row),
            orders: entry.orderReference.flatMap { projection.orders[$0] }.map { [ProjectionRows.row($0)] } ?? [],
            outbox: messages.map(ProjectionRows.row), fromSeq: checkpoint, toSeq: checkpoint,
            identifierOwners: projection.takeOwnerChanges().map {
                IdentifierOwnerRow(identifier: $0.key, customerID: $0.owner)
            },
            released: [seq])
        var retried = batch
        retried.activeCampaignOutbox = projection.takeActiveCampaignMessages().map(ProjectionRows.row)
        retried.customers = (customers.union(retried.activeCampaignOutbox.map(\.customerID))).sorted()
            .compactMap { projection.customer($0) }.map(ProjectionRows.row)
        retried.movesWith = movesWith
        _ = try storeCall { try store.commit(retried, projector: name) }
        return messages.count
    }
}
