import LogfoldStore
import LogfoldTestSupport
import Testing

@Suite("Reading state and the outbox")
struct StateStoreQueryTests {
    /// A store with messages for customers 1-3 at seqs 1...9, and a few delivered or dead.
    private func filledStore(_ directory: TemporaryDirectory) throws -> (StateStore, [OutboxRow]) {
        let store = try StoreFixture.store(in: directory)
        let messages = (1...9).flatMap { seq in
            (0..<2).map { StoreFixture.message(seq: UInt64(seq), index: UInt64($0), customer: seq % 3 + 1) }
        }
        // Committed out of order, in two batches.
        _ = try store.commit(ProjectionBatch(outbox: messages[8...].reversed(), fromSeq: 0, toSeq: 4), projector: "p")
        _ = try store.commit(ProjectionBatch(outbox: Array(messages[..<8]), fromSeq: 4, toSeq: 9), projector: "p")
        try StoreFixture.deliver(store, ordinal: messages[0].ordinal, status: OutboxStatus.delivered)
        try StoreFixture.deliver(store, ordinal: messages[3].ordinal, status: OutboxStatus.delivered)
        try StoreFixture.deliver(
            store, ordinal: messages[5].ordinal, status: OutboxStatus.dead, attempts: 4, lastError: "400")
        return (store, messages)
    }

    @Test("The outbox comes back in ordinal order, filtered by status, paged by limit and after")
    func outboxByStatus() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let (store, messages) = try filledStore(directory)
        let delivered: Set = [0, 3]

        #expect(try store.outbox(status: nil, limit: nil, after: nil).map(\.row) == messages)
        let pending = try store.outbox(status: OutboxStatus.pending, limit: nil, after: nil)
        #expect(
            pending.map(\.row) == messages.indices.filter { !delivered.contains($0) && $0 != 5 }.map { messages[$0] })
        #expect(pending.allSatisfy { $0.status == "pending" && $0.attempts == 0 && $0.lastError == nil })
        #expect(try store.outbox(status: "delivered", limit: nil, after: nil).map(\.row) == [messages[0], messages[3]])

        let dead = try store.outbox(status: OutboxStatus.dead, limit: nil, after: nil)
        #expect(dead == [OutboxRowWithStatus(row: messages[5], status: "dead", attempts: 4, lastError: "400")])

        let page = try store.outbox(status: OutboxStatus.pending, limit: 3, after: messages[6].ordinal)
        #expect(page.map(\.row) == [messages[7], messages[8], messages[9]])
        #expect(try store.outbox(status: nil, limit: 2, after: nil).map(\.row) == Array(messages[..<2]))
        #expect(try store.outbox(status: nil, limit: nil, after: messages.last?.ordinal).isEmpty)
        #expect(try store.outbox(status: nil, limit: nil, after: .max).isEmpty)
        #expect(try store.outbox(status: nil, limit: 0, after: nil).isEmpty)
    }

    @Test(
        "A window of pending rows stops once its bytes reach the budget, and always holds one row",
        arguments: [1, 250, 700, 1_000_000])
    func pendingWindowByteBudget(budget: Int) throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let (store, _) = try filledStore(directory)
        let all = try store.pendingOutbox(kinds: ["event"], limit: 100, after: nil)
        let window = try store.pendingOutbox(kinds: ["event"], limit: 100, after: nil, maximumBytes: budget)
        let sizes = all.map { $0.row.body.count + $0.row.key.utf8.count }
        // The shortest prefix of the pending rows whose bytes reach the budget (or all of them).
        var expected = 0
        var bytes = 0
        while expected < all.count && (expected == 0 || bytes < budget) {
            bytes += sizes[expected]
            expected += 1
        }
        #expect(window == Array(all.prefix(expected)))
        #expect(!window.isEmpty)
    }

    @Test("The outbox of one customer comes back in ordinal order with its delivery columns")
    func outboxByCustomer() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let (store, messages) = try filledStore(directory)

        let rows = try store.outbox(customerID: "c2")
        #expect(rows.map(\.row) == messages.filter { $0.customerID == "c2" })
        #expect(rows.first?.status == "delivered")
        #expect(try store.outbox(customerID: "nobody").isEmpty)
    }

    @Test("Outbox counts are grouped by status")
    func countsByStatus() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let (store, _) = try filledStore(directory)

        #expect(try store.outboxCounts() == ["pending": 15, "delivered": 2, "dead": 1])
    }

    @Test("customer(id:) and order(id:) round-trip every column, nil, empty and full")
    func rowsRoundTrip() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        let full = StoreFixture.customer(12, seq: UInt64(Int64.max))
        let empty = CustomerRow(id: "", email: "", lists: "", lastSeq: 0, state: [])
        let sparse = CustomerRow(
            id: "c-ü 😀", subscribed: false, suppressed: true, missedSignup: true, lastSeq: 3, state: [0])
        let orders = [
            StoreFixture.order(1, customer: 12, seq: 2),
            OrderRow(id: "o-bare", stage: "placed", lastSeq: 4, state: []),
        ]
        _ = try store.commit(
            ProjectionBatch(customers: [full, empty, sparse], orders: orders, fromSeq: 0, toSeq: 4),
            projector: "p"
        )

        for customer in [full, empty, sparse] {
            #expect(try store.customer(id: customer.id) == customer)
        }
        for order in orders {
            #expect(try store.order(id: order.id) == order)
        }
        #expect(try store.customer(id: "missing") == nil)
        #expect(try store.order(id: "missing") == nil)
    }

    @Test("forEachCustomer and forEachOrder stream every row in id order")
    func forEachStreamsInIDOrder() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        let customers = [30, 4, 112, 7].map { StoreFixture.customer($0) }
        let orders = [9, 1, 10].map { StoreFixture.order($0, customer: 4) }
        _ = try store.commit(
            ProjectionBatch(customers: customers, orders: orders, fromSeq: 0, toSeq: 1), projector: "p")

        var seen: [CustomerRow] = []
        try store.forEachCustomer { seen.append($0) }
        #expect(seen == customers.sorted { $0.id < $1.id })
        var seenOrders: [String] = []
        try store.forEachOrder { seenOrders.append($0.id) }
        #expect(seenOrders == ["o1", "o10", "o9"])
    }

    @Test("An error thrown by the caller's closure stops the scan and comes out unchanged")
    func forEachRethrowsCallerError() throws {
        struct Stop: Error {}
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        let customers = (1...5).map { StoreFixture.customer($0) }
        _ = try store.commit(ProjectionBatch(customers: customers, fromSeq: 0, toSeq: 1), projector: "p")

        var calls = 0
        #expect(throws: Stop.self) {
            try store.forEachCustomer { _ in
                calls += 1
                if calls == 2 { throw Stop() }
            }
        }
        #expect(calls == 2)
        // The store is still usable afterwards.
        #expect(try store.customer(id: "c1") == customers[0])
    }
}
