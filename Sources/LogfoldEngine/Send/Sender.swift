import Foundation
import LogfoldDomain
package import LogfoldKlaviyo
package import LogfoldStore
package import Logging
import Synchronization

/// Drains the outbox to Klaviyo: reads a window of pending rows, plans its requests
/// (``DeliveryPlanner``), sends them phase by phase with bounded concurrency, and marks each request's
/// rows in one transaction once Klaviyo accepted them.
///
/// Exactly once as Klaviyo sees it: a crash between a request and its marking resends the same events
/// with the same `unique_id`s, which Klaviyo keeps once. Transient failures are retried with backoff and
/// never dead-letter anything; refused records are dead-lettered one by one (bulk requests are split
/// around them); configuration faults (401, 403, 410) stop the sender with the operator's next step.
package final class Sender: Sendable {
    /// The state store, reached only through a ``BlockingWork`` queue (see ``SenderStore``).
    let store: SenderStore
    let client: KlaviyoClient
    let options: SendOptions
    let logger: Logger
    let stop: StopSignal?
    let tally = SendTally()
    let listIDs: ListDirectory
    let progress: (@Sendable (SendReport) -> Void)?
    /// Test hook: kill the process with SIGKILL after this many accepted requests, before marking them.
    let crashBeforeMarking: Int?
    let eventRequestsAccepted = SharedCount()
    /// Set when the profile stream's drain has returned (a `--once` run): nothing is worth waiting for.
    let profileStreamDone = Atomic<Bool>(false)
    /// Rung when the profile stream has sent a window (and when it ends): the event stream, stopped short
    /// of a suppression whose customer's upsert is pending, waits on it rather than sleeping a poll.
    let profileWindowSent = AsyncDoorbell()

    /// Creates a sender.
    package init(
        store: StateStore, client: KlaviyoClient, options: SendOptions, logger: Logger, stop: StopSignal? = nil,
        crashBeforeMarking: Int? = nil, progress: (@Sendable (SendReport) -> Void)? = nil
    ) {
        self.store = SenderStore(store)
        self.client = client
        self.options = options
        self.logger = logger
        self.stop = stop
        self.crashBeforeMarking = crashBeforeMarking
        self.progress = progress
        self.listIDs = ListDirectory(configured: options.listIDs)
    }

    /// Drains until the outbox is empty (with ``SendOptions/once``) or the stop signal fires.
    ///
    /// Throws ``KlaviyoError`` when the sender must stop (bad key, missing scope, retired revision,
    /// retries exhausted), after recording the reason for `logfold status`.
    package func run() async throws(SenderFailure) -> SendReport {
        do {
            try await store { try $0.setSenderState("stopped", nil, at: self.options.now()) }
            if options.history {
                let known = try await store { try $0.settleFromLedger(at: self.options.now()) }
                tally.update { $0.fromLedger = known }
            }
            try await drainUntilStopped()
            try await store { try $0.setSenderState("last_error", nil, at: self.options.now()) }
            return tally.snapshot
        } catch let error as KlaviyoError {
            try? await store { try $0.setSenderState("stopped", error.message, at: self.options.now()) }
            try? await store { try $0.setSenderState("last_error", error.message, at: self.options.now()) }
            throw SenderFailure(error: error, report: tally.snapshot)
        } catch let error as StoreError {
            throw SenderFailure(error: error, report: tally.snapshot)
        } catch {
            throw SenderFailure(error: error, report: tally.snapshot)
        }
    }

    private var stopRequested: Bool { stop?.isRequested == true || Task.isCancelled }

    /// Drains, and on SIGTERM/SIGINT cancels whatever is waiting (a backoff, a pacer, a request in flight):
    /// its rows stay pending, and a request Klaviyo may have accepted is resent, and deduplicated, later.
    private func drainUntilStopped() async throws {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Two independent drains: events with the suppressions that must bracket them, and
                    // profile and list changes, which commute with events and spend other budgets. So
                    // a slow lane (profile-import's 12.5/s) never stalls the event stream.
                    try await withThrowingTaskGroup(of: Void.self) { drains in
                        drains.addTask { try await self.drain(kinds: Self.eventStream) }
                        drains.addTask {
                            defer {
                                self.profileStreamDone.store(true, ordering: .sequentiallyConsistent)
                                self.profileWindowSent.ring()
                            }
                            try await self.drain(kinds: Self.profileStream)
                        }
                        try await drains.waitForAll()
                    }
                }
                if let stop {
                    group.addTask {
                        await stop.requested()
                        try Task.checkCancellation()
                        throw StopRequested()
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        } catch is StopRequested {
            logger.notice("sender stopped on request")
        }
    }

    /// Waits for new rows: until the projector rings after generation `seen` (read before the outbox
    /// was), or a poll interval.
    private func idle(since seen: UInt64) async throws {
        if let newRows = options.newRows {
            await newRows.wait(since: seen, upTo: .seconds(options.pollSeconds))
            try Task.checkCancellation()
        } else {
            try await client.clock.sleep(.seconds(options.pollSeconds))
        }
    }

    /// Outbox kinds of the event stream.
    static let eventStream = ["event", "suppress", "unsuppress"]
    /// Outbox kinds of the profile stream.
    static let profileStream = ["profile", "list_add", "list_remove"]

    private func drain(kinds: [String]) async throws {
        var after: UInt64?
        // The rows of the last window from a suppression waiting for its profile on, not sent yet: the next
        // window starts with them instead of reading them again (a third of the event stream's reads were
        // of rows read before).
        var waitingRows: [OutboxRowWithStatus] = []
        while !stopRequested {
            let seen = options.newRows?.generation ?? 0
            var rows = waitingRows
            waitingRows = []
            let readAfter = rows.last?.row.ordinal ?? after
            let room = options.windowSize - rows.count
            let roomBytes = options.windowBytes - rows.reduce(0) { $0 + $1.row.body.count }
            if room > 0, roomBytes > 0 {
                let read = try await store.read { [readAfter] in
                    try $0.pendingOutbox(kinds: kinds, limit: room, after: readAfter, maximumBytes: roomBytes)
                }
                // Taken whole when no row waits: appending copied every row of the window (1.7% of the samples).
                if rows.isEmpty { rows = read } else { rows += read }
            }
            // Read before looking, so a window the profile stream sends meanwhile is not missed.
            let profileWindows = profileWindowSent.generation
            if kinds == Self.eventStream, let cut = try await firstSuppressionAwaitingItsProfile(rows) {
                waitingRows = Array(rows[cut...])
                rows.removeSubrange(cut...)
                if rows.isEmpty {
                    await profileWindowSent.wait(since: profileWindows, upTo: .seconds(options.pollSeconds))
                    try Task.checkCancellation()
                    continue
                }
            }
            guard let last = rows.last else {
                if after != nil {
                    after = nil  // once more from the start: rows an operator put back to pending
                    continue
                }
                if kinds == Self.profileStream, try await followUpImportJobs(waitForCompletion: options.once) > 0 {
                    continue  // rows went back to pending (sent again without a conflicting phone)
                }
                if options.once { return }
                try await idle(since: seen)
                continue
            }
            after = last.row.ordinal
            var planning = options
            planning.includeBackfill = client.configuration.supportsBackfill
            // One pass over the window, reading the two columns in place: filtering first copied every row.
            var profileCustomers: [String] = []
            var eventCustomers: [String] = []
            // By index: `for item in rows` copied each row (its strings retained and released) to read two.
            for index in rows.indices {
                if rows[index].row.kind == OutboundMessage.Kind.event.rawValue {
                    eventCustomers.append(rows[index].row.customerID)
                } else if rows[index].row.kind == OutboundMessage.Kind.profile.rawValue {
                    profileCustomers.append(rows[index].row.customerID)
                }
            }
            let withoutPhone =
                profileCustomers.isEmpty
                ? []
                : try await store.read { [profileCustomers] in
                    try $0.phoneConflicts(among: profileCustomers)
                }
            let currentEmails =
                eventCustomers.isEmpty
                ? [:]
                : try await store.read { [eventCustomers] in
                    try $0.currentEmails(of: eventCustomers)
                }
            let plan = DeliveryPlanner(
                options: planning, now: options.now(), withoutPhone: withoutPhone, currentEmails: currentEmails
            ).plan(rows)
            if !plan.settledLocally.isEmpty {
                try await store { try $0.settle(plan.settledLocally, ledger: [], at: self.options.now()) }
                for mark in plan.settledLocally {
                    logger.warning(
                        "outbox row dead-lettered before sending",
                        metadata: [
                            "outbox.ordinal": "\(mark.ordinal)",
                            "outbox.error": "\(LogRedaction.redact(mark.error ?? ""))",
                        ]
                    )
                }
                tally.update { $0.dead += plan.settledLocally.count }
            }
            for phase in plan.phases {
                if stopRequested { return }
                try await run(phase)
            }
            if kinds == Self.profileStream {
                _ = try await followUpImportJobs(waitForCompletion: false)
                profileWindowSent.ring()
            }
        }
    }

    /// Runs one phase: its lanes (profiles, lists, events, ...) side by side.
    ///
    /// Each lane's steps run with at most ``SendOptions/concurrency`` in flight, so a lane waiting on one
    /// endpoint's budget never holds up another endpoint's. With a concurrency of 1, one request at a
    /// time overall.
    private func run(_ phase: [DeliveryStep]) async throws {
        var lanes: [Int: [DeliveryStep]] = [:]
        for step in phase { lanes[step.kind.lane, default: []].append(step) }
        if options.concurrency <= 1 {
            // One request at a time overall: lanes one after the other.
            for (_, steps) in lanes.sorted(by: { $0.key < $1.key }) { try await runLane(steps) }
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (_, steps) in lanes.sorted(by: { $0.key < $1.key }) {
                group.addTask { try await self.runLane(steps) }
            }
            try await group.waitForAll()
        }
    }

    private func runLane(_ steps: [DeliveryStep]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for step in steps {
                if running >= max(1, options.concurrency) {
                    try await group.next()
                    running -= 1
                }
                group.addTask { try await self.deliver(step) }
                running += 1
            }
            try await group.waitForAll()
        }
    }
}

extension DeliveryStep.Kind {
    /// Steps of one lane share an endpoint budget and run in order of the plan.
    var lane: Int {
        switch self {
        case .suppress: 0
        case .profileImport, .profileBulk: 1
        case .listAdd, .listRemove: 2
        case .event, .eventBulk: 3
        case .unsuppress: 4
        }
    }
}

/// The sender stopped: why, and what it had done until then.
package struct SenderFailure: Error, Sendable, CustomStringConvertible {
    /// The cause: a ``KlaviyoError`` (stop the sender), a store error, or cancellation.
    package var error: any Error
    /// What was done before it stopped.
    package var report: SendReport

    /// The cause's message.
    package var description: String { "\(error)" }
}

/// A counter shared by concurrent deliveries.
final class SharedCount: Sendable {
    private let value = Mutex(0)

    /// Adds `n` and returns the new value.
    func add(_ n: Int) -> Int {
        value.withLock {
            $0 += n
            return $0
        }
    }
}

/// The sender's way to the state store, off Swift's cooperative pool.
///
/// Every call runs on a ``BlockingWork`` queue. In `logfold run` the projector holds SQLite's write lock
/// for a batch at a time; a marking waiting for it on a pool thread would stall the HTTP endpoint and
/// the stop signal with it.
struct SenderStore: Sendable {
    private let store: StateStore
    /// Writes (markings, settings) one at a time, as SQLite takes them anyway.
    private let writes = BlockingWork(label: "logfold-sender-store-writes")
    /// Reads on a queue of their own: a window read never waits behind a marking that waits for the lock.
    private let reads = BlockingWork(label: "logfold-sender-store-reads")

    init(_ store: StateStore) {
        self.store = store
    }

    /// Runs `body`, which writes, with the store off the cooperative pool, to its end even if the caller
    /// is cancelled; rethrows its ``StoreError``.
    func callAsFunction<Value: Sendable>(
        _ body: @escaping @Sendable (StateStore) throws -> Value
    ) async throws -> Value {
        try await writes.run { [store] in try body(store) }
    }

    /// Runs a read-only `body` like ``callAsFunction(_:)``, on the read queue (WAL readers never wait for
    /// the write lock).
    func read<Value: Sendable>(_ body: @escaping @Sendable (StateStore) throws -> Value) async throws -> Value {
        try await reads.run { [store] in try body(store) }
    }
}

/// The operator asked the sender to stop.
struct StopRequested: Error {}
