import Foundation
package import LogfoldDomain
package import LogfoldJournal
package import LogfoldStore

/// Folds the journal into the state store: reads a batch of records, folds them in memory, and
/// commits the touched state, the new outbox rows and the checkpoint in one store transaction.
///
/// Crash-safe by construction: a batch is in the store whole or not at all, and the next run resumes
/// from the checkpoint with state reloaded from the store, so it writes exactly what an uninterrupted
/// run would have.
package final class Projector {
    /// The checkpoint name of the projector that feeds the Klaviyo outbox.
    package static let defaultName = "klaviyo"
    /// ActiveCampaign's name: its checkpoint, its destination row.
    package static let activeCampaignName = "activecampaign"

    let journal: Journal
    let store: StateStore
    let name: String
    private let batchSize: Int
    /// The most bytes of outbox rows one batch holds (``defaultBatchBytes``).
    let batchBytes: Int
    var projection: Projection
    /// The snapshots last decoded per customer and order (``SnapshotMemo``).
    var snapshotMemo = SnapshotMemo()
    /// The store had no state when this projector started: ids never evicted need no lookup.
    var storeWasEmpty = false
    /// The orders evicted to the store (``evictColdOrders(before:committed:)``), once any was: a filter of
    /// fixed size, where a set of their ids grew with every order of the journal.
    var evictedOrders: EvictionFilter?
    /// The customers and owner keys that left memory for the store (``evictSetAsideCustomers(committed:)``),
    /// `nil` until the first do: from then on one not in memory is looked up there when this may hold it,
    /// even in a store that started empty.
    var evicted: EvictionFilter?
    /// How many customers left memory for the store so far (one customer can leave more than once).
    package internal(set) var evictedCustomerCount = 0
    /// What the last batch folded counted toward its byte budget.
    var lastBatchBytes = 0
    /// How many customers week changes read back from the store (``completeWeekChange(appendingTo:)``).
    package internal(set) var weekChangeReads = 0
    /// How many of those left memory again unchanged, right after the week change passed them.
    package internal(set) var weekChangeDrops = 0
    /// The customers each batch submitted but not yet known committed touched, with its last seq.
    var uncommittedTouches: [(toSeq: UInt64, customers: Set<String>)] = []
    /// Set-aside customers beyond which the next eviction runs.
    var nextEviction: Int
    /// Whether the customers whose week tag can change are in memory (a warm start loads them before the
    /// first week change; a fresh store has them all).
    var weekWatchersLoaded = false
    /// Identifier owner keys whose owner is in memory: looked up in the store, or settled by this fold.
    var ownerKeysKnown = Set<String>()
    /// Whether the journal clock was read from the store.
    private var clockLoaded = false
    /// Whether customers' rows are written once, when the run ends, not with each batch (a replay: ADR 0005
    /// decision 4, ``writeUnwrittenCustomers(at:committer:)``).
    package var customersAtEnd = false
    /// The customers touched while ``customersAtEnd``, whose rows are not in the store yet.
    var unwrittenCustomers = Set<String>()
    /// The checkpoint at which customers left unwritten were submitted: no eviction until a later one commits.
    var customersWrittenAt: UInt64?
    /// Test hook: each batch commits only once this many more were submitted (0: as soon as it can).
    ///
    /// What the fold sees committed after each submit is then the same in every run.
    package var committerLag = 0
    /// Orders untouched for this many entries leave memory (they are in the store).
    let orderHorizon: UInt64
    /// The most customers kept decoded in memory between batches (``defaultHotCustomers``).
    let hotCustomers: Int
    /// The most orders kept in memory between batches; the oldest beyond it are evicted like cold ones.
    let hotOrders: Int
    /// The most customers kept set aside, encoded, before those the store holds as they are leave memory
    /// (``defaultSetAsideCustomers``).
    let setAsideCustomers: Int

    /// The default byte budget of a batch: 6 MiB of outbox row bodies and keys.
    ///
    /// A batch is cut at `batchSize` entries or at this many bytes of new outbox rows, whichever comes
    /// first, so the memory the batches in flight take (one folding, one queued, one committing) does not
    /// depend on how many messages an entry makes: a replay with every destination enabled writes 2.5 rows
    /// per entry.
    /// Measured on the synthetic year (both destinations, 2 cores): 8, 16 and 24 MiB replay in the same
    /// time within the noise (105–113 s), peaking at 327, 370 and 411 MiB (287 at 8 MiB once the index
    /// build's cache was cut). At 80,000 customers (60 days, Klaviyo only) 8 MiB peaked at 296–303 MiB,
    /// 6 MiB at 285 and 4 MiB at 279: 6 keeps a replay of that size under 300 MiB for about 1% more of the
    /// folding thread (the touched customers' rows are built once per batch).
    package static let defaultBatchBytes = 6 << 20

    /// The default number of customers kept decoded in memory: 20,000.
    ///
    /// The others are kept encoded, about 440 bytes each against about 4 KB decoded (with their snapshot),
    /// and decoded again when an entry or a week change needs them. A journal of 80,000 customers (60 days,
    /// 2.6 million entries, Klaviyo only) replayed in 520 MiB with every customer decoded, 349 MiB with
    /// this bound and batches that count their state rows (373 MiB once a third batch could wait queued);
    /// the synthetic year's 20,000 are all kept.
    package static let defaultHotCustomers = 20_000

    /// The default number of orders kept in memory between batches: 50,000.
    package static let defaultHotOrders = 50_000

    /// A projector named `name` (its checkpoint's key in the store).
    package init(
        journal: Journal, store: StateStore, mapping: EventMapping = .defaults, name: String = Projector.defaultName,
        batchSize: Int = 10_000, batchBytes: Int = Projector.defaultBatchBytes, orderHorizon: UInt64 = 200_000,
        hotCustomers: Int = Projector.defaultHotCustomers, hotOrders: Int = Projector.defaultHotOrders,
        setAsideCustomers: Int = Projector.defaultSetAsideCustomers, messagesPerEntry: Int = 1 << 16,
        activeCampaign: ActiveCampaignMapping? = nil
    ) {
        self.journal = journal
        self.store = store
        self.name = name
        self.batchSize = max(1, batchSize)
        self.batchBytes = max(1, batchBytes)
        self.orderHorizon = orderHorizon
        self.hotCustomers = max(0, hotCustomers)
        self.hotOrders = max(0, hotOrders)
        self.setAsideCustomers = max(0, setAsideCustomers)
        self.nextEviction = max(0, setAsideCustomers)
        self.projection = Projection(mapping: mapping)
        projection.messagesPerEntry = messagesPerEntry
        projection.activeCampaign = activeCampaign
        // Watchers leave memory like any customer; a week change asks for those it reaches.
        projection.pausesForMissingCustomers = true
    }

    /// Whether this projector folds ActiveCampaign beside Klaviyo.
    package var foldsActiveCampaign: Bool { projection.activeCampaign != nil }

    /// The destinations folded with this projector, whose checkpoints move with its own.
    var movesWith: [String] { projection.activeCampaign == nil ? [] : [Self.activeCampaignName] }

    /// The journal's latest week folded so far (``JournalClock``), `nil` before the first entry.
    package var journalWeek: Int32? { projection.clock.week }

    /// What a run did.
    package struct Summary: Sendable, Hashable {
        package var entries = 0
        package var messages = 0
        package var newOutboxRows = 0
        package var fromSeq: UInt64 = 0
        package var toSeq: UInt64 = 0
        package var unknownTypes: [String: Int] = [:]
        package var skipped = 0
        /// Records set aside because they could not be decoded (`logfold journal quarantine list`).
        package var quarantined = 0

        /// An empty summary.
        package init() {}

        /// Adds a later run's figures to these (the seq range grows to cover both).
        package mutating func absorb(_ later: Summary) {
            if entries == 0 && toSeq == 0 { fromSeq = later.fromSeq }
            entries += later.entries
            messages += later.messages
            newOutboxRows += later.newOutboxRows
            quarantined += later.quarantined
            toSeq = max(toSeq, later.toSeq)
            skipped = later.skipped
            unknownTypes = later.unknownTypes
        }

        /// `projected N entries (seq A-B): M messages, K new outbox rows`; with nothing new, the range
        /// reads `(up to date at seq B)`.
        package var line: String {
            let range = toSeq > fromSeq ? "seq \(fromSeq + 1)-\(toSeq)" : "up to date at seq \(toSeq)"
            let line = "projected \(entries) entries (\(range)): \(messages) messages, \(newOutboxRows) new outbox rows"
            guard quarantined > 0 else { return line }
            return line + ", \(quarantined) quarantined (see `logfold journal quarantine list`)"
        }
    }

    /// Projects from the checkpoint up to the journal head (or `limit`), batch by batch.
    ///
    /// Two stages overlap: this thread reads and folds batch k+1 while a committer thread writes batch k
    /// to SQLite. Batches commit in order, each from the checkpoint the previous one set.
    package func run(through limit: UInt64? = nil, progress: ((Summary) -> Void)? = nil) throws(EngineError) -> Summary
    {
        var summary = Summary()
        var checkpoint = try storeCall { try store.checkpoint(name) }
        storeWasEmpty = checkpoint == 0
        if !clockLoaded {
            if let stored = try storeCall({ try store.clock(name) }) {
                projection.restore(
                    clock: JournalClock(week: stored.week, sweeping: stored.sweeping, sweptThrough: stored.sweptThrough)
                )
            }
            clockLoaded = true
            weekWatchersLoaded = storeWasEmpty
        }
        summary.fromSeq = checkpoint
        summary.toSeq = checkpoint
        let head = try journalCall { try journal.head() }
        try verifyJournalHoldsCheckpoint(checkpoint, head: head)
        for destination in movesWith {
            let behind = try storeCall { try store.checkpoint(destination) }
            guard behind == checkpoint else {
                throw EngineError(
                    .configuration,
                    "\(destination) is at seq \(behind), not at the projector's seq \(checkpoint): it is still catching up",
                    remedy: "finish `logfold destination add \(destination)` first")
            }
        }
        let last = min(limit ?? head, head)

        let committer = BatchCommitter(store: store, projector: name, checkpoint: checkpoint, lag: committerLag)
        committer.start()
        var foldError: EngineError?
        do throws(EngineError) {
            while checkpoint < last, committer.failure == nil {
                let started = ContinuousClock.now
                let batch = try foldBatch(from: checkpoint, through: last, summary: &summary, committer: committer)
                guard let batch else { break }
                EngineMetrics.foldedBatch(ContinuousClock.now - started)
                // Divided, not multiplied: a budget given as large as it goes must not overflow.
                let oversized = lastBatchBytes / 4 > batchBytes
                guard committer.submit(batch) else { break }
                if oversized { committer.waitForCommit(through: batch.toSeq) }
                checkpoint = batch.toSeq
                summary.toSeq = checkpoint
                let committed = committer.committedThrough
                evictColdOrders(before: checkpoint, committed: committed)
                setAsideColdCustomers()
                // Evicting needs every customer in the store as it is: customers left for the end go in now.
                if customersAtEnd, projection.dormantCustomerCount > nextEviction {
                    guard try writeUnwrittenCustomers(at: checkpoint, committer: committer) else { break }
                }
                evictSetAsideCustomers(committed: committed)
                EngineMetrics.foldMemory(
                    decodedCustomers: projection.hotCustomerCount, setAsideCustomers: projection.dormantCustomerCount,
                    orders: projection.orders.count)
                progress?(summary)
            }
            if customersAtEnd, committer.failure == nil {
                _ = try writeUnwrittenCustomers(at: checkpoint, committer: committer)
            }
        } catch {
            foldError = error
        }
        summary.newOutboxRows = committer.finish()
        // Committed or abandoned: either way no batch of this run is in flight any more.
        uncommittedTouches.removeAll()
        if let failure = committer.failure {
            throw EngineError(.io, "state store: \(failure)", remedy: "see the store error; the journal is untouched")
        }
        if let foldError { throw foldError }
        summary.unknownTypes = projection.unknownTypes
        summary.skipped = projection.skipped
        return summary
    }

    /// Reads and folds the next batch after `checkpoint`; `nil` when there is nothing to fold.
    ///
    /// The messages are handed to the committer as they are, which builds their rows (keys, bodies and
    /// ActiveCampaign's JSON, a sixth of this thread's work) and frees each row itself; the messages come
    /// back with the spent batch to be freed here, on the thread that allocated them. (Rows built on the
    /// committer and freed here, in an earlier design, cost more in cross-thread frees than they moved:
    /// 66 s against 55 s for the synthetic year.)
    private func foldBatch(
        from checkpoint: UInt64, through last: UInt64, summary: inout Summary, committer: BatchCommitter
    ) throws(EngineError) -> ProjectionBatch? {
        let upper = min(last, checkpoint + UInt64(batchSize))
        var touchedCustomers = Set<String>()
        var touchedOrders = Set<String>()
        // A customer's row counts toward the batch when the batch writes it.
        let customerRowBytes = customersAtEnd ? 0 : Self.customerRowBytes
        // Owner key → owner, "" when let go; the last change in the batch wins.
        var ownerChanges: [String: String] = [:]
        // Klaviyo's messages; the committer builds their rows.
        var outboxMessages: [OutboundMessage] = []
        var folded = 0
        var rowBytes = 0
        var toSeq = checkpoint
        var quarantined: [QuarantinedRecord] = []
        // Records are read in place in the journal's map (no copy of each, half of it the JSON the fold
        // never reads), and decoded with the snapshot memo.
        do {
            try journal.forEach(from: checkpoint + 1, through: upper) { record in
                folded += 1
                if folded % 4096 == 0 {
                    committer.releaseSpentBatches()
                    // Within the batch too: one batch of a replay can meet every customer. Those touched
                    // are decoded again for their rows at its end.
                    setAsideColdCustomers()
                }
                let entry: LogEntry
                do {
                    entry = try JournalFigures.decode(record, memo: &snapshotMemo)
                } catch {
                    // Set aside, not fatal: one record that cannot be decoded must not stop all after it.
                    quarantined.append(
                        QuarantinedRecord(seq: record.seq, platformID: record.platformID, reason: "\(error)"))
                    summary.quarantined += 1
                    toSeq = record.seq
                    return true
                }
                try prefetch(for: entry)
                // Read before the fold, which takes the entry: its customer is the same after the fold
                // (an entry without a customer or order snapshot changes no stored order's customer).
                let entryCustomer = customerReference(of: entry)
                let entryOrder = entry.orderReference
                let activeCampaignStart = projection.activeCampaignMessages.count
                // Appended to the batch's messages by the fold itself: appending the entry's array here
                // copied each message into the batch's (2% of the folding thread).
                let messagesStart = outboxMessages.count
                projection.apply(consume entry, seq: record.seq, appendingTo: &outboxMessages)
                try completeWeekChange(appendingTo: &outboxMessages)
                if let id = entryCustomer, touchedCustomers.insert(id).inserted { rowBytes += customerRowBytes }
                if let id = entryOrder, touchedOrders.insert(id).inserted { rowBytes += Self.orderRowBytes }
                for change in projection.takeOwnerChanges() {
                    ownerChanges[change.key] = change.owner ?? ""
                    ownerKeysKnown.insert(change.key)
                }
                // Messages and rows are read in place (a buffer's elements are borrowed; a `for in` over the
                // array, or a copy of the row, retained and released each of their strings).
                outboxMessages.withUnsafeBufferPointer { messages in
                    for i in messagesStart..<messages.count {
                        rowBytes += Self.rowBytes(messages[i])
                        // A week change updates customers the entry is not about. The entry's own customer is
                        // in the set already (hashing its id again per message was a hundredth of the fold).
                        if messages[i].kind == .profile, messages[i].customerID != entryCustomer,
                            touchedCustomers.insert(messages[i].customerID).inserted
                        {
                            rowBytes += customerRowBytes
                        }
                    }
                }
                summary.messages += outboxMessages.count - messagesStart
                if projection.activeCampaign != nil {
                    // They gather in the projection for the whole batch; the committer renders their rows.
                    projection.activeCampaignMessages.withUnsafeBufferPointer { messages in
                        for i in activeCampaignStart..<messages.count {
                            rowBytes += Self.rowBytes(messages[i])
                            if messages[i].customerID != entryCustomer,
                                touchedCustomers.insert(messages[i].customerID).inserted
                            {
                                rowBytes += customerRowBytes
                            }
                        }
                    }
                }
                toSeq = record.seq
                // Whole entries only: the budget is checked after an entry's rows, never between them.
                return rowBytes < batchBytes
            }
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.journal, "\(error)", remedy: "run `logfold journal verify`", cause: error)
        }
        guard folded > 0 else { return nil }
        lastBatchBytes = rowBytes
        let lastRecord = try journalCall { try journal.record(at: toSeq) }.map(Self.identity)
        summary.entries += folded
        // Sorted so the batch's SQL runs in one order every time (the rows do not depend on it).
        var batch = ProjectionBatch(
            customers: batchCustomerRows(touchedCustomers, changedAfter: checkpoint),
            orders: touchedOrders.sorted().compactMap { projection.orders[$0] }
                .filter { $0.lastSeq > checkpoint }.map(ProjectionRows.row),
            fromSeq: checkpoint, toSeq: toSeq, clock: ProjectionRows.row(projection.clock),
            identifierOwners: ownerChanges.sorted { $0.key < $1.key }.map {
                IdentifierOwnerRow(identifier: $0.key, customerID: $0.value.isEmpty ? nil : $0.value)
            }, lastRecord: lastRecord, quarantined: quarantined)
        batch.outboxMessages = outboxMessages
        batch.activeCampaignMessages = projection.takeAllActiveCampaignMessages()
        batch.movesWith = movesWith
        uncommittedTouches.append((toSeq: toSeq, customers: touchedCustomers))
        return batch
    }

    /// ``Projection/customerReference(of:)``, read in place.
    ///
    /// A non-mutating call on the class's stored struct copied the whole projection (about thirty
    /// references retained, then released), twice per entry; through `inout` it is borrowed.
    func customerReference(of entry: LogEntry) -> String? {
        Self.customerReference(of: entry, in: &projection)
    }

    private static func customerReference(of entry: LogEntry, in projection: inout Projection) -> String? {
        projection.customerReference(of: entry)
    }

    /// Reads the journal clock the store kept, once per projector.
    func loadClock() throws(EngineError) {
        guard !clockLoaded else { return }
        if let stored = try storeCall({ try store.clock(name) }) {
            projection.restore(
                clock: JournalClock(week: stored.week, sweeping: stored.sweeping, sweptThrough: stored.sweptThrough))
        }
        clockLoaded = true
        weekWatchersLoaded = storeWasEmpty
    }

    /// A record's identity as the checkpoint keeps it.
    static func identity(_ record: JournalRecord) -> RecordIdentity {
        RecordIdentity(platformID: record.platformID, checksum: CRC32C.checksum(record.compact))
    }
}
