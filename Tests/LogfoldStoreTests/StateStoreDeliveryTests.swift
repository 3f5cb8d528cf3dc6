import LogfoldTestSupport
import Testing

@testable import LogfoldStore

/// The sender's side of the store: settling rows, the ledger, dead letters.
@Suite("Delivery marks and the ledger") struct StateStoreDeliveryTests {
    static func filled(_ directory: TemporaryDirectory, name: String = "state.sqlite") throws -> StateStore {
        let store = try StoreFixture.store(in: directory, name: name)
        for batch in StoreFixture.batches(entries: 40, size: 10) {
            _ = try store.commit(batch, projector: "main")
        }
        return store
    }

    @Test("settling marks delivered and dead rows and records the ledger in one transaction")
    func settle() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.filled(directory)
        let rows = try store.outbox(status: "pending", limit: 3, after: nil)
        let entry = LedgerEntry(ordinal: rows[0].row.ordinal, metric: "Placed Order", uniqueID: "1_0", profileKey: "c1")
        try store.settle(
            [
                .delivered(rows[0].row.ordinal, "accepted"), .delivered(rows[1].row.ordinal, "superseded"),
                .dead(rows[2].row.ordinal, "HTTP 400: invalid at /data/attributes/time"),
            ],
            ledger: [entry], at: 1_800_000_000)
        let after = try store.outbox(status: nil, limit: 3, after: nil)
        #expect(after.map(\.status) == ["delivered", "delivered", "dead"])
        #expect(after.map(\.outcome) == ["accepted", "superseded", nil])
        #expect(after[0].deliveredAt == 1_800_000_000)
        #expect(after[2].lastError == "HTTP 400: invalid at /data/attributes/time")
        #expect(after.allSatisfy { $0.attempts == 1 })
        #expect(try store.ledgerCount() == 1)
        // Settling the same request again (a resend after a crash) changes nothing and adds no ledger row.
        try store.settle([.delivered(rows[0].row.ordinal, "deduplicated")], ledger: [entry], at: 1_800_000_100)
        #expect(try store.outbox(status: nil, limit: 1, after: nil)[0].outcome == "accepted")
        #expect(try store.ledgerCount() == 1)
    }

    @Test("a failing settle keeps nothing of it")
    func settleIsAtomic() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.filled(directory)
        let first = try #require(try store.outbox(status: "pending", limit: 1, after: nil).first)
        try store.write("test: a trigger that fails the delivered events' count") { db in
            try RawStatement(
                db,
                "CREATE TRIGGER refuse BEFORE UPDATE ON delivered_event_count BEGIN SELECT RAISE(ABORT, 'no'); END"
            ).execute(path: store.path) { "test" }
        }
        #expect(throws: StoreError.self) {
            try store.settle(
                [.delivered(first.row.ordinal, "accepted")],
                ledger: [LedgerEntry(ordinal: first.row.ordinal, metric: "m", uniqueID: "u", profileKey: "p")], at: 1)
        }
        #expect(try store.outbox(status: nil, limit: 1, after: nil)[0].status == "pending")
        #expect(try store.ledgerCount() == 0)
    }

    @Test("dead letters go back to pending by key or all at once")
    func retryDead() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.filled(directory)
        let rows = try store.outbox(status: "pending", limit: 3, after: nil)
        try store.settle(rows.map { .dead($0.row.ordinal, "HTTP 409: duplicate_profile") }, ledger: [], at: 1)
        #expect(try store.retryDead(keys: [rows[1].row.key, "no-such-key"]) == 1)
        #expect(try store.outboxCounts()["dead"] == 2)
        #expect(try store.retryDead(keys: nil) == 2)
        #expect(try store.outboxCounts()["dead"] == nil)
    }

    @Test("a replayed store takes the live ledger, and history skips what it holds")
    func ledgerCarriesOver() throws {
        let directory = try TemporaryDirectory()
        let live = try Self.filled(directory, name: "live.sqlite")
        let events = try live.outbox(status: "pending", limit: nil, after: nil).filter { $0.row.kind == "event" }
        let sent = events.prefix(5)
        try live.settle(
            sent.map { .delivered($0.row.ordinal, "accepted") },
            ledger: sent.map(Self.ledgerEntry),
            at: 1)
        #expect(try live.ledgerCount() == 5)
        let rebuilt = try Self.filled(directory, name: "rebuilt.sqlite")
        #expect(try rebuilt.importLedger(fromStoreAt: live.path) == 5)
        #expect(try rebuilt.importLedger(fromStoreAt: live.path) == 0)
        #expect(try rebuilt.ledgerCount() == 5)
        #expect(try rebuilt.settleFromLedger(at: 2) == 5)
        let delivered = try rebuilt.outbox(status: "delivered", limit: nil, after: nil)
        #expect(Set(delivered.map(\.row.key)) == Set(sent.map(\.row.key)))
        #expect(delivered.allSatisfy { $0.outcome == "ledger" })
        #expect(try rebuilt.ledgerCount() == 5)
    }

    @Test("an event sent again after a replay counts once; the store's own deliveries count as they are marked")
    func ledgerCountsEachEventOnce() throws {
        let directory = try TemporaryDirectory()
        let live = try Self.filled(directory, name: "live.sqlite")
        let events = try live.outbox(status: "pending", limit: nil, after: nil).filter { $0.row.kind == "event" }
        try #require(events.count >= 8)
        let sent = Array(events.prefix(4))
        try live.settle(sent.map { .delivered($0.row.ordinal, "accepted") }, ledger: sent.map(Self.ledgerEntry), at: 1)
        let rebuilt = try Self.filled(directory, name: "rebuilt.sqlite")
        #expect(try rebuilt.importLedger(fromStoreAt: live.path) == 4)
        // Without `--history` the carried events go again, and Klaviyo deduplicates them: still 4, not 8.
        let again = Array(events.prefix(6))
        try rebuilt.settle(
            again.map { .delivered($0.row.ordinal, "deduplicated") }, ledger: again.map(Self.ledgerEntry), at: 2)
        #expect(try rebuilt.ledgerCount() == 6)
        // A dead row, a row delivered without an event, and a second marking add nothing.
        try rebuilt.settle(
            [.dead(events[6].row.ordinal, "HTTP 400"), .delivered(events[7].row.ordinal, "superseded")]
                + again.map { .delivered($0.row.ordinal, "accepted") },
            ledger: again.map(Self.ledgerEntry), at: 3)
        #expect(try rebuilt.ledgerCount() == 6)
        // And a store rebuilt from the rebuilt one carries all six, whichever table held them.
        let third = try Self.filled(directory, name: "third.sqlite")
        #expect(try third.importLedger(fromStoreAt: rebuilt.path) == 6)
        #expect(try third.settleFromLedger(at: 4) == 6)
    }

    static func ledgerEntry(_ row: OutboxRowWithStatus) -> LedgerEntry {
        LedgerEntry(
            ordinal: row.row.ordinal, metric: row.row.metric ?? "", uniqueID: row.row.uniqueID ?? "",
            profileKey: row.row.customerID)
    }

    @Test("delivery does not change the digest: it covers what projection produced, not what was sent")
    func digestIgnoresDelivery() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.filled(directory)
        let before = try store.digest()
        let rows = try store.outbox(status: "pending", limit: 4, after: nil)
        try store.settle(rows.map { .delivered($0.row.ordinal, "accepted") }, ledger: [], at: 1)
        try store.saveKlaviyoProfileIDs(["c1": "01ABC"])
        try store.setSenderState("last_error", "HTTP 503", at: 1)
        #expect(try store.digest() == before)
    }
}
