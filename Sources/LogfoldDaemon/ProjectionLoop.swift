import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldStore
import Logging
import Synchronization

/// The daemon's projector: folds new journal entries into state and outbox as they arrive, on a thread
/// of its own (the projector's folds and SQLite commits block).
///
/// It folds up to the journal head, then waits on its ``Doorbell`` (rung by every source commit that
/// journaled entries, or `--project-interval-ms` at the longest); a pass runs the projector in chunks up to the head. Once ingestion has
/// ended on a stop, one last pass folds what the sources committed while stopping, so nothing a source
/// acknowledged waits for the next start, unless a large backlog is still being caught up: then it stops
/// after the chunk in hand (the checkpoint is durable and the next start resumes there).
final class ProjectionLoop: Sendable {
    private let journal: Journal
    private let store: StateStore
    private let configuration: DaemonConfiguration
    private let ingestEnded = Atomic<Bool>(false)
    /// Rung by the sources after each commit that journaled entries.
    let doorbell = Doorbell()

    /// Entries per chunk: between chunks a stop request is seen while a backlog is caught up.
    static let chunkBatches: UInt64 = 10

    init(journal: Journal, store: StateStore, configuration: DaemonConfiguration) {
        self.journal = journal
        self.store = store
        self.configuration = configuration
    }

    /// Tells the loop that no source will commit again: its next pass is its last.
    func noteIngestEnded() {
        ingestEnded.store(true, ordering: .sequentiallyConsistent)
        doorbell.ring()
    }

    /// Runs until the last pass after ``noteIngestEnded()``; returns what it folded, and the failure
    /// that ended it early, if any.
    func run() -> (Projector.Summary, EngineError?) {
        var total = Projector.Summary()
        do throws(EngineError) {
            try restoreIndexes()
            var projector = try makeProjector()
            var checkpoint = try call(.io) { try store.checkpoint(Projector.defaultName) }
            var caughtUpAt = configuration.now()
            total.fromSeq = checkpoint
            total.toSeq = checkpoint
            let chunk = UInt64(configuration.projectBatch) * Self.chunkBatches
            while true {
                // Read before the head: a commit a source makes before saying it has ended is then seen.
                let lastPass = ingestEnded.load(ordering: .sequentiallyConsistent)
                let head = try call(.journal) { try journal.head() }
                // Lag in seconds: how long the projector has been behind since it last caught up.
                let now = configuration.now()
                if head <= checkpoint { caughtUpAt = now }
                EngineMetrics.journalHead(head)
                EngineMetrics.projection(
                    checkpoint: checkpoint, head: head, behindSeconds: Double(max(0, now - caughtUpAt)))
                if head > checkpoint {
                    // The last pass comes with a stop: a large backlog waits for the next start.
                    if lastPass, head - checkpoint > chunk {
                        configuration.logger.notice(
                            "stopping with entries still to project; the next start resumes after the checkpoint",
                            metadata: ["entries_left": "\(head - checkpoint)", "checkpoint": "\(checkpoint)"])
                        return (total, nil)
                    }
                    // `logfold destination add` may enable a destination while the daemon runs: from then on the
                    // projector must fold it too (a projector without it has its commit refused).
                    if try destinationsChanged(since: projector) {
                        projector = try makeProjector()
                        continue
                    }
                    let summary: Projector.Summary
                    do {
                        summary = try projector.run(through: min(head, checkpoint + chunk))
                    } catch {
                        // Refused because a destination was enabled between the check and the commit: nothing
                        // was written; fold again with it.
                        guard try destinationsChanged(since: projector) else { throw error }
                        projector = try makeProjector()
                        continue
                    }
                    total.absorb(summary)
                    checkpoint = summary.toSeq
                    if summary.newOutboxRows > 0 { configuration.newRows.ring() }
                    continue
                }
                if lastPass { return (total, nil) }
                try journalTickIfDue(projector: projector, head: head)
                // Woken by a source's commit; the bound keeps stops and the week's tick seen without one.
                doorbell.wait(upTo: configuration.projectInterval)
            }
        } catch {
            return (total, error)
        }
    }

    /// A projector folding every destination enabled now.
    private func makeProjector() throws(EngineError) -> Projector {
        let activeCampaign = try Projector.enabledActiveCampaign(in: store, mapping: configuration.mapping)
        if activeCampaign != nil {
            configuration.logger.info("projecting for klaviyo and activecampaign")
        }
        return Projector(
            journal: journal, store: store, mapping: configuration.mapping, batchSize: configuration.projectBatch,
            batchBytes: configuration.projectBatchBytes, hotCustomers: configuration.hotCustomers,
            hotOrders: configuration.hotOrders, setAsideCustomers: configuration.setAsideCustomers,
            activeCampaign: activeCampaign)
    }

    /// Whether the enabled destinations differ from those `projector` folds.
    private func destinationsChanged(since projector: Projector) throws(EngineError) -> Bool {
        let enabled = try Projector.enabledActiveCampaign(in: store, mapping: configuration.mapping) != nil
        return enabled != projector.foldsActiveCampaign
    }

    /// Journals the `logfold.tick` of the current week when nothing was journaled in it yet.
    ///
    /// The week's order tags then change on time in a quiet log (and the same way in every replay, which folds
    /// the tick from the journal). Its id is the week's own, so journaling it twice keeps one.
    private func journalTickIfDue(projector: Projector, head: UInt64) throws(EngineError) {
        guard configuration.weekTicks, head > 0, let week = projector.journalWeek else { return }
        let offset = try offsetOfEntry(at: head)
        let calendar = configuration.mapping.calendar
        guard
            let tick = JournalTick.due(
                now: configuration.now(), journalWeek: week, offsetMinutes: offset, calendar: calendar)
        else { return }
        let append = JournalAppend(
            platformID: tick.id, entry: JournalTick.line(tick), compact: CompactEntryCodec.encode(tick))
        let outcome = try call(.journal) { try journal.append([append]) }
        if case .appended = outcome.first {
            configuration.logger.info(
                "journaled the week's tick",
                metadata: ["type": "\(JournalTick.type)", "week": "\(tick.at.rfc3339String)"])
        }
    }

    /// The UTC offset the entry at `seq` was written in (the week of a tick is counted in it, unless the
    /// mapping sets the store's offset).
    private func offsetOfEntry(at seq: UInt64) throws(EngineError) -> Int16 {
        let record = try call(.journal) { try journal.record(at: seq) }
        guard let record else { return 0 }
        return try JournalFigures.decode(record).at.offsetMinutes
    }

    /// Rebuilds outbox indexes an interrupted replay into this directory left dropped.
    private func restoreIndexes() throws(EngineError) {
        let removed = try Replay.restoreIndexes(store)
        if removed > 0 {
            configuration.logger.notice(
                "rebuilt the outbox indexes, dropping repeated rows", metadata: ["rows_dropped": "\(removed)"])
        }
    }

    private func call<T>(_ code: EngineError.Code, _ body: () throws -> T) throws(EngineError) -> T {
        do {
            return try body()
        } catch {
            throw EngineError(
                code, "projection: \(error)",
                remedy: code == .journal
                    ? "run `logfold journal verify`" : "see the store error; the journal is untouched")
        }
    }
}
