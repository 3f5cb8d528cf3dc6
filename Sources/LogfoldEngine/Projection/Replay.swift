import Foundation
package import LogfoldDomain
import LogfoldJournal
package import LogfoldStore

/// `logfold replay`: rebuilds state and outbox from the first journal entry into a fresh data directory
/// that shares the journal (a link to it), folding every destination the source directory has enabled.
///
/// Two replays of the same journal with the same mapping give the same `digest`, and the same as the
/// live directory's. What Klaviyo already holds is a fact about Klaviyo, not about the journal, so the
/// live directory's delivery ledger is carried over: `send --history` from the new one sends only what
/// Klaviyo lacks.
package struct Replay {
    /// When the outbox indexes are built.
    package enum IndexBuild: String, Sendable, CaseIterable {
        /// As rows go in, on the committing thread.
        case live
        /// Once, at the end: least CPU in total, none of it overlapping the fold.
        case deferred
        /// Deferred, whatever the cores.
        case auto

        /// `auto` decided: deferred.
        ///
        /// Live indexes once paid off with two cores, the committer hiding their upkeep behind the fold.
        /// Since every outbox's indexes are deferred and the fold allocates less, the fold is the slower
        /// stage and live indexes only add work (measured on the synthetic year with 2 cores: 122 s live,
        /// 94 s deferred; docs/performance.md).
        package func resolved(cores: Int) -> IndexBuild {
            guard self == .auto else { return self }
            return .deferred
        }
    }

    /// What a replay did.
    package struct Outcome: Sendable {
        /// The fold, from seq 1 to the journal's head.
        package var summary: Projector.Summary
        /// Delivered events carried over from the source directory's ledger (`nil` without one).
        package var ledgerCarried: Int?
    }

    package var source: DataDirectory
    package var target: DataDirectory
    package var mapping: EventMapping
    package var batchSize: Int
    /// The most bytes of outbox rows one transaction holds (``Projector/defaultBatchBytes``).
    package var batchBytes = Projector.defaultBatchBytes
    /// The most customers the fold keeps decoded in memory (``Projector/defaultHotCustomers``).
    package var hotCustomers = Projector.defaultHotCustomers
    /// The most customers the fold keeps encoded in memory (``Projector/defaultSetAsideCustomers``).
    package var setAsideCustomers = Projector.defaultSetAsideCustomers
    /// The most orders the fold keeps in memory between batches (``Projector/defaultHotOrders``).
    package var hotOrders = Projector.defaultHotOrders
    package var indexes: IndexBuild = .auto

    /// A replay of `source`'s journal into `target` with `mapping`, folding `batchSize` entries per
    /// transaction.
    package init(source: DataDirectory, into target: DataDirectory, mapping: EventMapping, batchSize: Int) {
        self.source = source
        self.target = target
        self.mapping = mapping
        self.batchSize = batchSize
    }

    /// Runs the replay; `now` stamps an enabled destination's row, `progress` hears each batch.
    package func run(now: Int64, progress: ((Projector.Summary) -> Void)? = nil) throws(EngineError) -> Outcome {
        let journal = try source.openExistingJournal()
        if FileManager.default.fileExists(atPath: target.statePath) {
            throw EngineError(
                .configuration, "\(target.root) already has a state store", remedy: "replay into a new, empty directory"
            )
        }
        do {
            try FileManager.default.createDirectory(atPath: target.root, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: target.journalPath) {
                let absolute = URL(fileURLWithPath: journal.directory).standardizedFileURL.path
                try FileManager.default.createSymbolicLink(atPath: target.journalPath, withDestinationPath: absolute)
            }
        } catch {
            throw EngineError(
                .io, "cannot prepare \(target.root): \(error.localizedDescription)",
                remedy: "check that the directory can be created and written")
        }
        // Held while the replay runs, so that a command opening the directory meanwhile can tell a replay
        // under way from one that stopped before it wrote its customers.
        let lock = try DirectoryLock(path: target.root + DirectoryLock.replay, holder: "replay")
        defer { withExtendedLifetime(lock) {} }
        let store = try target.openStore()
        let hasLiveStore = FileManager.default.fileExists(atPath: source.statePath)
        // A destination enabled in the live directory is folded from the first entry in the new one.
        if hasLiveStore, try Projector.enabledActiveCampaign(in: source.openExistingStore(), mapping: mapping) != nil {
            try storeCall { () throws(StoreError) in try store.enableFromStart(Projector.activeCampaignName, at: now) }
        }
        // Deferred, the key and per-customer outbox indexes are built once at the end instead of taking
        // every row at a random place (ADR 0003 has the figures).
        if indexes.resolved(cores: ProcessInfo.processInfo.activeProcessorCount) == .deferred {
            try storeCall { () throws(StoreError) in try store.beginBulkLoad() }
        }
        var summary = try fold(journal: journal, into: store, progress: progress)
        summary.newOutboxRows = max(0, summary.newOutboxRows - (try Self.restoreIndexes(store)))
        let carried: Int? =
            hasLiveStore
            ? try storeCall { () throws(StoreError) in try store.importLedger(fromStoreAt: source.statePath) } : nil
        return Outcome(summary: summary, ledgerCarried: carried)
    }

    /// Folds the whole journal into `store`; the projector (and every customer it holds in memory) is
    /// gone when this returns, so building the indexes after it does not add to the fold's peak memory.
    private func fold(
        journal: Journal, into store: StateStore, progress: ((Projector.Summary) -> Void)?
    ) throws(EngineError) -> Projector.Summary {
        let projector = Projector(
            journal: journal, store: store, mapping: mapping, batchSize: batchSize, batchBytes: batchBytes,
            hotCustomers: hotCustomers, hotOrders: hotOrders, setAsideCustomers: setAsideCustomers,
            activeCampaign: try Projector.enabledActiveCampaign(in: store, mapping: mapping)
        )
        // Customers are written once, when the fold ends; until then the store says so, and an interrupted
        // replay's directory is refused rather than folded on with customers behind its outbox.
        try storeCall { () throws(StoreError) in try store.markCustomersUnwritten(since: 1) }
        projector.customersAtEnd = true
        return try projector.run(progress: progress)
    }

    /// Rebuilds the indexes a bulk load dropped (a no-op when they exist), and returns how many rows that
    /// repeated an earlier row's dedupe key it dropped (the same event twice in the journal went in plainly
    /// during the load; the first is kept).
    package static func restoreIndexes(_ store: StateStore) throws(EngineError) -> Int {
        do {
            return try store.endBulkLoad()
        } catch {
            throw EngineError(
                .io, "rebuilding the outbox indexes: \(error)", remedy: "see the store error; run the command again",
                cause: error)
        }
    }

    private func storeCall<T>(_ body: () throws(StoreError) -> T) throws(EngineError) -> T {
        do {
            return try body()
        } catch {
            throw EngineError(.io, "\(error)", remedy: "see the store error; the journal is untouched", cause: error)
        }
    }
}
