import LogfoldStore
import LogfoldTestSupport
import Testing

@Suite("The canonical digest")
struct StateStoreDigestTests {
    @Test("The same content committed in one batch, in many small ones, or in another row order has one digest")
    func digestIgnoresBatching() throws {
        let whole = try StoreFixture.digest(of: StoreFixture.batches(entries: 300, size: 300))
        for size: UInt64 in [1, 7, 64] {
            #expect(try StoreFixture.digest(of: StoreFixture.batches(entries: 300, size: size)) == whole)
        }
        #expect(try StoreFixture.digest(of: StoreFixture.batches(entries: 300, size: 300, reversed: true)) == whole)
        #expect(try StoreFixture.digest(of: StoreFixture.batches(entries: 300, size: 13, reversed: true)) == whole)
        #expect(whole.count == 64)
        #expect(whole.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test("The digest is stable across closing and reopening and differs from an empty store's")
    func digestIsStable() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let empty = try StateStore(path: path).digest()
        let store = try StateStore(path: path)
        for batch in StoreFixture.batches(entries: 50, size: 10) {
            _ = try store.commit(batch, projector: "main")
        }
        let full = try store.digest()
        try store.close()

        #expect(try StateStore(path: path).digest() == full)
        #expect(full != empty)
    }

    @Test("Changing any column of any row, or the checkpoint, changes the digest", arguments: Mutation.all)
    func digestCoversEveryColumn(_ mutation: Mutation) throws {
        let base = Mutation.baseBatch
        var changed = base
        mutation.apply(&changed)
        try #require(changed != base, "the mutation must change the batch")

        #expect(try StoreFixture.digest(of: [changed]) != StoreFixture.digest(of: [base]))
    }

    @Test("Delivery status, attempts and errors do not change the digest")
    func digestIgnoresDelivery() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        for batch in StoreFixture.batches(entries: 20, size: 20) {
            _ = try store.commit(batch, projector: "main")
        }
        let before = try store.digest()

        try StoreFixture.deliver(store, ordinal: 1 << 16, status: OutboxStatus.delivered)
        try StoreFixture.deliver(store, ordinal: 2 << 16, status: OutboxStatus.dead, attempts: 3, lastError: "400: bad")

        #expect(try store.outboxCounts()[OutboxStatus.delivered] == 1)
        #expect(try store.digest() == before)
    }
}

/// One change to one column of one row of ``baseBatch``, for the digest's coverage test.
struct Mutation: Sendable, CustomTestStringConvertible {
    let name: String
    let apply: @Sendable (inout ProjectionBatch) -> Void

    var testDescription: String { name }

    /// Three customers, two orders, three messages; mutations touch the second row of each.
    static let baseBatch = ProjectionBatch(
        customers: (1...3).map { StoreFixture.customer($0 * 4 + 1, seq: 9) },
        orders: (1...2).map { StoreFixture.order($0, customer: 5, seq: 9) },
        outbox: (1...3).map { StoreFixture.message(seq: UInt64($0), customer: 5) },
        fromSeq: 0,
        toSeq: 9
    )

    static func customer(_ name: String, _ change: @escaping @Sendable (inout CustomerRow) -> Void) -> Mutation {
        Mutation(name: "customer." + name) { change(&$0.customers[1]) }
    }

    static func order(_ name: String, _ change: @escaping @Sendable (inout OrderRow) -> Void) -> Mutation {
        Mutation(name: "order." + name) { change(&$0.orders[1]) }
    }

    static func outbox(_ name: String, _ change: @escaping @Sendable (inout OutboxRow) -> Void) -> Mutation {
        Mutation(name: "outbox." + name) { change(&$0.outbox[1]) }
    }

    static let all: [Mutation] =
        customerMutations + orderMutations + outboxMutations + [
            Mutation(name: "checkpoint") { $0.toSeq += 1 }
        ]

    static let customerMutations: [Mutation] = [
        customer("id") { $0.id += "x" },
        customer("email") { $0.email = "other@example.com" },
        customer("email nil to empty") { $0.email = "" },
        customer("firstName") { $0.firstName = "Other" },
        customer("first/last boundary") {
            $0.firstName = ($0.firstName ?? "") + "L"
            $0.lastName = String(($0.lastName ?? "").dropFirst())
        },
        customer("lastName") { $0.lastName = nil },
        customer("status") { $0.status = "Dead" },
        customer("schedule") { $0.schedule = "monthly" },
        customer("box") { $0.box = "Veggie" },
        customer("signupDate") { $0.signupDate = "2021-01-01" },
        customer("nextDelivery") { $0.nextDelivery = nil },
        customer("cancelDate") { $0.cancelDate = "2022-02-02" },
        customer("weekTag") { $0.weekTag = "no order" },
        customer("subscribed") { $0.subscribed = $0.subscribed.map { !$0 } ?? true },
        customer("subscribed to nil") { $0.subscribed = $0.subscribed == nil ? false : nil },
        customer("suppressed") { $0.suppressed.toggle() },
        customer("missedSignup") { $0.missedSignup.toggle() },
        customer("lists") { $0.lists = "" },
        customer("lastSeq") { $0.lastSeq += 1 },
        customer("state") { $0.state[0] ^= 1 },
        customer("state length") { $0.state.append(0) },
    ]

    static let orderMutations: [Mutation] = [
        order("id") { $0.id += "x" },
        order("customerID") { $0.customerID = nil },
        order("stage") { $0.stage = "refunded" },
        order("total") { $0.total = "0.01" },
        order("currency") { $0.currency = "EUR" },
        order("placedSeq") { $0.placedSeq = nil },
        order("lastSeq") { $0.lastSeq += 1 },
        order("state") { $0.state = [] },
    ]

    static let outboxMutations: [Mutation] = [
        outbox("key") { $0.key += "x" },
        outbox("ordinal") { $0.ordinal += 1 },
        outbox("kind") { $0.kind = "profile" },
        outbox("customerID") { $0.customerID = "c6" },
        outbox("metric") { $0.metric = "Ordered Product" },
        outbox("uniqueID") { $0.uniqueID = nil },
        outbox("time") { $0.time += 1 },
        outbox("value") { $0.value = "1" },
        outbox("list") { $0.list = "abandoned" },
        outbox("sourceSeq") { $0.sourceSeq += 100 },
        outbox("body") { $0.body[199] ^= 0x80 },
    ]
}
