import LogfoldTestSupport
import Testing

@testable import LogfoldStore

/// Delivery recorded beside the outbox row (schema v15): the queue, the floor and the upgrade.
@Suite("Delivery records beside the outbox") struct OutboxSettledTests {
    /// What a row is, as the sender and the operator see it.
    enum State: String { case pending, delivered, dead }

    static let eventKinds = ["event"]
    static let profileKinds = ["profile"]

    @Test(
        "every pass from the start sees exactly the rows a model holds pending, whatever was settled, out of order",
        arguments: [1, 2, 3, 4] as [UInt64])
    func queueFollowsTheModel(seed: UInt64) throws {
        let directory = try TemporaryDirectory(prefix: "logfold-settled")
        let store = try StoreFixture.store(in: directory)
        let batches = StoreFixture.batches(entries: 80, size: 10)
        var committed = 0
        var model: [UInt64: State] = [:]
        func commitNext() throws {
            guard committed < batches.count else { return }
            _ = try store.commit(batches[committed], projector: "main")
            committed += 1
            for row in try store.outbox(status: nil, limit: nil, after: nil) where model[row.row.ordinal] == nil {
                model[row.row.ordinal] = .pending
            }
        }
        for _ in 0..<4 { try commitNext() }
        var random = SplitMix(seed: seed)
        for step in 0..<150 {
            let pending = model.filter { $0.value == .pending }.keys.sorted()
            let delivered = model.filter { $0.value == .delivered }.keys.sorted()
            switch random.next() % 10 {
            case 0...4 where !pending.isEmpty:
                // A random handful, in no particular order: the two streams settle out of ordinal order.
                var marks: [DeliveryMark] = []
                for _ in 0..<(1 + random.next() % 5) {
                    let ordinal = pending[Int(random.next() % UInt64(pending.count))]
                    guard !marks.contains(where: { $0.ordinal == ordinal }) else { continue }
                    let dies = random.next() % 4 == 0
                    marks.append(dies ? .dead(ordinal, "HTTP 400") : .delivered(ordinal, "accepted"))
                    model[ordinal] = dies ? .dead : .delivered
                }
                try store.settle(marks, ledger: [], at: Int64(step))
            case 5:
                let moved = try store.retryDead(keys: nil)
                #expect(moved == model.values.filter { $0 == .dead }.count)
                for (ordinal, state) in model where state == .dead { model[ordinal] = .pending }
            case 6 where delivered.count >= 2:
                // An import job read later: one profile failed, one goes again without its phone.
                let failed = delivered[Int(random.next() % UInt64(delivered.count))]
                let resent = delivered.first { $0 != failed } ?? failed
                try store.closeImportJob(
                    "job\(step)", status: "complete", dead: [.dead(failed, "invalid")], resend: [resent])
                model[failed] = .dead
                model[resent] = .pending
            case 7 where !pending.isEmpty:
                try store.recordFailedAttempt([pending[0]], error: "HTTP 503")
            case 8:
                try commitNext()
            case 9:
                // A late answer delivers a row already dead: its record wins, it is no dead letter.
                guard let ordinal = model.first(where: { $0.value == .dead })?.key else { break }
                try store.settle([.delivered(ordinal, "accepted")], ledger: [], at: Int64(step))
                model[ordinal] = .delivered
            default:
                break
            }
            try expectMatches(model, store, step: step)
        }
    }

    /// Checks every reader of the queue against the model.
    func expectMatches(_ model: [UInt64: State], _ store: StateStore, step: Int) throws {
        func ordinals(_ state: State) -> [UInt64] { model.filter { $0.value == state }.keys.sorted() }
        let kinds = Dictionary(
            try store.outbox(status: nil, limit: nil, after: nil).map { ($0.row.ordinal, $0.row.kind) },
            uniquingKeysWith: { first, _ in first })
        for stream in [Self.eventKinds, Self.profileKinds] {
            let window = try store.pendingOutbox(kinds: stream, limit: 1_000, after: nil).map(\.row.ordinal)
            #expect(window == ordinals(.pending).filter { stream.contains(kinds[$0] ?? "") }, "step \(step)")
        }
        for state in [State.pending, .delivered, .dead] {
            let listed = try store.outbox(status: state.rawValue, limit: nil, after: nil)
            #expect(listed.map(\.row.ordinal) == ordinals(state), "step \(step), \(state)")
            #expect(listed.allSatisfy { $0.status == state.rawValue }, "step \(step), \(state)")
        }
        // Operators' view says the same of every row.
        let viewed = try StoreFixture.strings("SELECT ordinal || ' ' || status FROM outbox_with_status", in: store)
        #expect(Set(viewed) == Set(model.map { "\($0.key) \($0.value.rawValue)" }), "step \(step)")
        var counts: [String: Int] = [:]
        for state in model.values { counts[state.rawValue, default: 0] += 1 }
        #expect(try store.outboxCounts() == counts, "step \(step)")
        #expect(try store.pendingCounts().values.reduce(0, +) == ordinals(.pending).count, "step \(step)")
    }

    @Test("a delivered row is not rewritten: its record says delivered, once, and a dead letter replaces it")
    func markingLeavesTheRow() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-settled")
        let store = try StoreFixture.store(in: directory)
        for batch in StoreFixture.batches(entries: 20, size: 10) { _ = try store.commit(batch, projector: "main") }
        let first = try #require(try store.pendingOutbox(kinds: Self.eventKinds, limit: 1, after: nil).first)
        #expect(first.row.key.isEmpty && !first.row.body.isEmpty, "the sender's window carries no dedupe key")
        try store.settle([.delivered(first.row.ordinal, "accepted")], ledger: [], at: 42)
        let onTheRow = try StoreFixture.strings(
            "SELECT status FROM outbox WHERE ordinal = \(first.row.ordinal)", in: store)
        #expect(onTheRow == ["pending"])
        let shown = try #require(
            try store.outbox(customerID: first.row.customerID).first { $0.row.ordinal == first.row.ordinal })
        #expect(shown.status == "delivered" && shown.outcome == "accepted" && shown.deliveredAt == 42)
        #expect(shown.attempts == 1)
        // The first record stands: a second marking (a resend after a crash) changes nothing.
        try store.settle([.delivered(first.row.ordinal, "deduplicated")], ledger: [], at: 43)
        #expect(
            try store.outbox(customerID: first.row.customerID).first { $0.row.ordinal == first.row.ordinal }?.outcome
                == "accepted")
        // Klaviyo's import job fails it later: dead, no delivery record left.
        try store.closeImportJob("job", status: "complete", dead: [.dead(first.row.ordinal, "invalid")])
        let dead = try store.outbox(status: "dead", limit: nil, after: nil)
        #expect(dead.map(\.row.ordinal) == [first.row.ordinal])
        #expect(dead.first?.outcome == nil)
        #expect(dead.first?.attempts == 1, "the delivery's attempt stays counted")
        #expect(try store.advanceOutboxFloor() > Int64(first.row.ordinal))
        // Put back, it is the first row of the sender's next pass: the floor moved back to it.
        #expect(try store.retryDead(keys: [shown.row.key]) == 1)
        let window = try store.pendingOutbox(kinds: Self.eventKinds, limit: 1, after: nil)
        #expect(window.map(\.row.ordinal) == [first.row.ordinal])
    }

    @Test("one settle of several outcomes records each row's own, counts only events newly delivered, in any order")
    func outcomesAndEventCountsInOneSettle() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-settled")
        let store = try StoreFixture.store(in: directory)
        for batch in StoreFixture.batches(entries: 20, size: 10) { _ = try store.commit(batch, projector: "main") }
        let rows = try store.pendingOutbox(kinds: Self.eventKinds, limit: 4, after: nil).map(\.row.ordinal)
        try #require(rows.count == 4)
        let entries = rows.map { LedgerEntry(ordinal: $0, metric: "Placed Order", uniqueID: "\($0)", profileKey: "c") }
        // Marks out of ordinal order (a deferred event sent after later ones), an outcome with a quote in it,
        // one row delivered before, and the ledger listing entries in yet another order.
        try store.settle([.delivered(rows[1], "accepted")], ledger: [entries[1]], at: 1)
        try store.settle(
            [
                .delivered(rows[3], "accepted"), .delivered(rows[1], "accepted"),
                .delivered(rows[0], "it's superseded"),
                .delivered(rows[2], "deduplicated"),
            ],
            ledger: [entries[2], entries[1], entries[3]], at: 2)
        let outcomes = try StoreFixture.strings(
            "SELECT outcome || '@' || delivered_at FROM outbox_settled ORDER BY ordinal", in: store)
        #expect(outcomes == ["it's superseded@2", "accepted@1", "deduplicated@2", "accepted@2"])
        #expect(try store.ledgerCount() == 3, "rows 1, 2 and 3 deliver events, row 1 counted once")
    }

    @Test("a long run of marks goes in by the statement-full: every row recorded once, each event counted once")
    func longRunsOfMarks() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-settled")
        let store = try StoreFixture.store(in: directory)
        for batch in StoreFixture.batches(entries: 200, size: 50) { _ = try store.commit(batch, projector: "main") }
        let rows = try store.pendingOutbox(kinds: Self.eventKinds, limit: 10_000, after: nil).map(\.row.ordinal)
        // Past one full statement (64 rows), one of 8 and single rows, in each of the two outcomes.
        try #require(rows.count >= 2 * (64 + 8 + 3))
        let entries = rows.map { LedgerEntry(ordinal: $0, metric: "Placed Order", uniqueID: "\($0)", profileKey: "c") }
        // Every seventh row was delivered before: it keeps its first record and is not counted again.
        let before = rows.enumerated().filter { $0.offset % 7 == 0 }.map(\.element)
        try store.settle(before.map { .delivered($0, "accepted") }, ledger: [], at: 1)
        // Runs of 75 rows of one outcome, then of the other, each row marked twice in the same call.
        var marks: [DeliveryMark] = []
        for (offset, ordinal) in rows.enumerated() {
            marks.append(.delivered(ordinal, (offset / 75) % 2 == 0 ? "accepted" : "superseded"))
        }
        try store.settle(marks + marks, ledger: entries, at: 2)
        let recorded = try StoreFixture.strings(
            "SELECT ordinal || ' ' || outcome || ' ' || delivered_at FROM outbox_settled ORDER BY ordinal", in: store)
        let expected = rows.enumerated().map { offset, ordinal in
            offset % 7 == 0
                ? "\(ordinal) accepted 1" : "\(ordinal) \((offset / 75) % 2 == 0 ? "accepted" : "superseded") 2"
        }
        #expect(recorded == expected)
        #expect(try store.ledgerCount() == rows.count - before.count)
    }

    @Test("a version 14 store keeps what each row's delivery said, its counts, ledger and digest")
    func version14DeliveriesMoveBeside() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-settled")
        let path = directory.file("state.sqlite")
        let old = try StoreFixture.filled(at: path)
        let events = try old.pendingOutbox(kinds: Self.eventKinds, limit: 4, after: nil).map(\.row.ordinal)
        try #require(events.count == 4)
        let entries = events.map {
            LedgerEntry(ordinal: $0, metric: "Placed Order", uniqueID: "\($0)", profileKey: "c")
        }
        try old.settle(
            [
                .delivered(events[0], "accepted"), .delivered(events[1], "deduplicated"),
                .delivered(events[2], "superseded"), .dead(events[3], "HTTP 400"),
            ], ledger: Array(entries.prefix(2)), at: 7)
        let before = try old.outbox(status: nil, limit: nil, after: nil)
        let counts = try old.outboxCounts()
        let digest = try old.digest()
        // As v14 left it: delivery written on the row, no record beside it, no floor.
        try old.write("test") { db in
            let statements = StoreFixture.backToVersion14
            for sql in statements { try RawStatement(db, sql).execute(path: path, { sql }) }
        }
        try old.close()

        let migrated = try StateStore(path: path)
        #expect(try migrated.outbox(status: nil, limit: nil, after: nil) == before)
        #expect(try migrated.outboxCounts() == counts)
        #expect(counts == ["delivered": 3, "dead": 1, "pending": before.count - 4])
        #expect(try migrated.digest() == digest)
        #expect(try migrated.ledgerCount() == 2)
        let window = try migrated.pendingOutbox(kinds: Self.eventKinds, limit: 1_000, after: nil)
        #expect(!window.contains { events.contains($0.row.ordinal) })
        // A row delivered before the upgrade, marked again, is not counted again.
        try migrated.settle([.delivered(events[0], "accepted")], ledger: [entries[0]], at: 8)
        #expect(try migrated.ledgerCount() == 2)
        let rebuilt = try StateStore(path: directory.file("rebuilt.sqlite"))
        #expect(try rebuilt.importLedger(fromStoreAt: path) == 2)
    }

    @Test("rows committed below the floor (a record retried out of quarantine, at its old seq) are sent next")
    func rowsBelowTheFloor() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-settled")
        let store = try StoreFixture.store(in: directory)
        for batch in StoreFixture.batches(entries: 20, size: 10) { _ = try store.commit(batch, projector: "main") }
        let all = try store.outbox(status: nil, limit: nil, after: nil).map(\.row.ordinal)
        try store.settle(all.map { .delivered($0, "accepted") }, ledger: [], at: 1)
        #expect(try store.pendingOutbox(kinds: Self.eventKinds, limit: 10, after: nil).isEmpty)
        #expect(try store.advanceOutboxFloor() > Int64(try #require(all.max())))
        let retried = StoreFixture.message(seq: 7, index: 5, customer: 3, key: "retried")
        _ = try store.commit(ProjectionBatch(outbox: [retried], fromSeq: 20, toSeq: 20), projector: "main")
        let window = try store.pendingOutbox(kinds: Self.eventKinds, limit: 10, after: nil)
        #expect(window.map(\.row.ordinal) == [retried.ordinal])
        #expect(try store.outboxCounts() == ["pending": 1, "delivered": all.count])
    }

    @Test("a suppression waits while any earlier profile upsert of its customer is pending, not only its entry's")
    func pendingProfileOfEarlierEntries() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-settled")
        let store = try StoreFixture.store(in: directory)
        for batch in StoreFixture.batches(entries: 20, size: 10) { _ = try store.commit(batch, projector: "main") }
        // Customer c1's entries are seqs 1 and 18; a suppression at seq 18's first place comes after both
        // of the customer's upserts (index 1 of seqs 1 and 18) only for seq 1's.
        let suppression: UInt64 = 18 << 16
        #expect(try store.hasPendingProfile(customerID: "c1", before: suppression))
        #expect(try !store.hasPendingProfile(customerID: "c2", before: 2 << 16 | 1), "c2's upsert is after it")
        try store.settle([.delivered(1 << 16 | 1, "accepted")], ledger: [], at: 1)
        #expect(try !store.hasPendingProfile(customerID: "c1", before: suppression))
        #expect(try store.hasPendingProfile(customerID: "c1", before: suppression | 2), "seq 18's own upsert")
    }
}
