import LogfoldStore
import LogfoldTestSupport
import Testing

@Suite("Committing projector batches")
struct StateStoreCommitTests {
    @Test("A committed batch is all there: customers, orders, outbox rows and the checkpoint")
    func committedBatchIsComplete() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        let customers = (1...3).map { StoreFixture.customer($0, seq: UInt64($0)) }
        let orders = [StoreFixture.order(1, customer: 2, seq: 2)]
        let outbox = (1...3).map { StoreFixture.message(seq: UInt64($0), customer: $0) }
        let batch = ProjectionBatch(customers: customers, orders: orders, outbox: outbox, fromSeq: 0, toSeq: 3)

        #expect(try store.commit(batch, projector: "main") == 3)

        for customer in customers {
            #expect(try store.customer(id: customer.id) == customer)
        }
        #expect(try store.order(id: "o1") == orders[0])
        #expect(try store.outbox(status: nil, limit: nil, after: nil).map(\.row) == outbox)
        #expect(try store.checkpoint("main") == 3)
        #expect(try store.checkpoint("other") == 0)
    }

    @Test("A later batch overwrites a row whole, including columns that became nil")
    func upsertReplacesRow() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        _ = try store.commit(
            ProjectionBatch(customers: [StoreFixture.customer(1)], fromSeq: 0, toSeq: 1), projector: "p")

        let emptied = CustomerRow(id: "c1", lastSeq: 2, state: [])
        _ = try store.commit(ProjectionBatch(customers: [emptied], fromSeq: 1, toSeq: 2), projector: "p")

        #expect(try store.customer(id: "c1") == emptied)
    }

    @Test("A batch that breaks a constraint leaves nothing of itself and the checkpoint unchanged")
    func constraintFailureRollsBack() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        let first = ProjectionBatch(
            customers: [StoreFixture.customer(1)],
            outbox: [StoreFixture.message(seq: 1, customer: 1)],
            fromSeq: 0,
            toSeq: 1
        )
        _ = try store.commit(first, projector: "main")
        let before = try store.digest()

        // Two different keys at one ordinal: the second insert fails after the customers were upserted.
        var clash = StoreFixture.message(seq: 2, customer: 2)
        clash.key = "another key"
        let failing = ProjectionBatch(
            customers: [StoreFixture.customer(2, seq: 2), StoreFixture.customer(1, seq: 2)],
            orders: [StoreFixture.order(1, customer: 2, seq: 2)],
            outbox: [StoreFixture.message(seq: 2, customer: 2), clash],
            fromSeq: 1,
            toSeq: 2
        )
        let error = try #require(throws: StoreError.self) { try store.commit(failing, projector: "main") }

        #expect(error.code == .constraint)
        #expect(error.message.contains("another key"))
        #expect(error.message.contains(directory.path))
        #expect(try store.digest() == before)
        #expect(try store.checkpoint("main") == 1)
        #expect(try store.customer(id: "c2") == nil)
        #expect(try store.customer(id: "c1") == StoreFixture.customer(1))
        #expect(try store.order(id: "o1") == nil)
    }

    @Test("A batch read from a checkpoint another writer moved is refused and leaves nothing of itself")
    func checkpointCompareAndSet() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        let other = try StoreFixture.store(in: directory)
        _ = try other.commit(
            ProjectionBatch(customers: [StoreFixture.customer(1)], fromSeq: 0, toSeq: 10), projector: "main")
        let before = try store.digest()

        let stale = ProjectionBatch(
            customers: [StoreFixture.customer(2)],
            outbox: [StoreFixture.message(seq: 3, customer: 2)],
            fromSeq: 0,
            toSeq: 5
        )
        let error = try #require(throws: StoreError.self) { try store.commit(stale, projector: "main") }

        #expect(error.code == .checkpointMoved)
        #expect(error.message.contains("is 10, not 0"))
        #expect(try store.checkpoint("main") == 10)
        #expect(try store.customer(id: "c2") == nil)
        #expect(try store.outbox(customerID: "c2").isEmpty)
        #expect(try store.digest() == before)
        // Another projector's checkpoint is its own.
        #expect(try store.commit(stale, projector: "second") == 1)
    }

    @Test("The same outbox key twice in one batch gives one row and is counted once")
    func duplicateKeyWithinBatch() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        let first = StoreFixture.message(seq: 1, customer: 1, key: "profile|c1", kind: "profile")
        let again = StoreFixture.message(seq: 2, customer: 1, key: "profile|c1", kind: "profile")
        let other = StoreFixture.message(seq: 2, index: 1, customer: 1)

        // Listed out of order: the lowest ordinal still wins the key.
        let inserted = try store.commit(
            ProjectionBatch(outbox: [again, other, first], fromSeq: 0, toSeq: 2), projector: "p")

        #expect(inserted == 2)
        #expect(try store.outbox(status: nil, limit: nil, after: nil).map(\.row) == [first, other])
    }

    @Test("The same outbox key across batches keeps the first row and the second commit counts nothing")
    func duplicateKeyAcrossBatches() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        let message = StoreFixture.message(seq: 1, customer: 1)
        var replayed = StoreFixture.message(seq: 2, customer: 1)
        replayed.key = message.key

        #expect(try store.commit(ProjectionBatch(outbox: [message], fromSeq: 0, toSeq: 1), projector: "p") == 1)
        #expect(try store.commit(ProjectionBatch(outbox: [replayed], fromSeq: 1, toSeq: 2), projector: "p") == 0)
        // Exactly the same row again (same key and ordinal) is also just skipped.
        #expect(try store.commit(ProjectionBatch(outbox: [message], fromSeq: 2, toSeq: 3), projector: "p") == 0)

        #expect(try store.outbox(status: nil, limit: nil, after: nil).map(\.row) == [message])
        #expect(try store.checkpoint("p") == 3)
    }

    @Test("An empty batch moves only the checkpoint")
    func emptyBatchMovesCheckpoint() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)

        #expect(try store.commit(ProjectionBatch(fromSeq: 0, toSeq: 42), projector: "p") == 0)
        #expect(try store.checkpoint("p") == 42)
    }

    @Test("Seqs above Int64.max and checkpoints that move backwards are refused before writing")
    func invalidBatchesAreRefused() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        var huge = StoreFixture.message(seq: 1, customer: 1)
        huge.ordinal = UInt64(Int64.max) + 1
        let batches = [
            ProjectionBatch(fromSeq: 5, toSeq: 4),
            ProjectionBatch(customers: [StoreFixture.customer(1, seq: .max)], fromSeq: 0, toSeq: 1),
            ProjectionBatch(outbox: [huge], fromSeq: 0, toSeq: 1),
        ]
        for batch in batches {
            let error = try #require(throws: StoreError.self) { try store.commit(batch, projector: "p") }
            #expect(error.code == .invalidArgument)
        }
        #expect(try store.checkpoint("p") == 0)
        #expect(try store.customer(id: "c1") == nil)
    }
}
