import Foundation
import LogfoldTestSupport
import Synchronization
import Testing

@testable import LogfoldStore

@Suite("Readers and the writer (WAL)")
struct StateStoreConcurrencyTests {
    @Test("Readers on another thread and on a second store see the last commit while a write is open")
    func readersDuringOpenWrite() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let writer = try StoreFixture.store(in: directory)
        let reader = try StoreFixture.store(in: directory)
        _ = try writer.commit(
            ProjectionBatch(customers: [StoreFixture.customer(1)], fromSeq: 0, toSeq: 1), projector: "p")

        let seen = Mutex<[String]>([])
        try writer.write("test: an open write transaction") { db in
            let statement = try RawStatement(db, "UPDATE checkpoints SET seq = 99 WHERE name = 'p'")
            try statement.execute(path: writer.path) { "test" }
            // The write is open and uncommitted: both readers run on another thread and are not blocked.
            runOnNewThread {
                let values = [
                    (try? reader.checkpoint("p")).map { "second store: \($0)" } ?? "second store failed",
                    (try? writer.checkpoint("p")).map { "same store: \($0)" } ?? "same store failed",
                    (try? reader.customer(id: "c1"))?.map(\.id) ?? "customer missing",
                ]
                seen.withLock { $0 = values }
            }
        }

        #expect(seen.withLock { $0 } == ["second store: 1", "same store: 1", "c1"])
        #expect(try reader.checkpoint("p") == 99)
    }

    @Test("A reader on a second store sees whole batches only while a writer commits on another thread")
    func readersSeeWholeBatches() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let writer = try StoreFixture.store(in: directory)
        let reader = try StoreFixture.store(in: directory)
        let batches = 40
        let perBatch = 250

        let done = Atomic<Bool>(false)
        let failure = Mutex<String?>(nil)
        let writerFinished = startThread {
            defer { done.store(true, ordering: .releasing) }
            do {
                for batch in 0..<batches {
                    let customers = (0..<perBatch).map { index in
                        StoreFixture.customer(batch * perBatch + index, seq: UInt64(batch + 1))
                    }
                    let rows = ProjectionBatch(customers: customers, fromSeq: UInt64(batch), toSeq: UInt64(batch + 1))
                    _ = try writer.commit(rows, projector: "p")
                }
            } catch {
                failure.withLock { $0 = "writer: \(error)" }
            }
        }

        // Each snapshot must hold whole batches: count == perBatch × the highest last_seq seen.
        var snapshots = 0
        var torn: [String] = []
        repeat {
            var count = 0
            var highest: UInt64 = 0
            try reader.forEachCustomer { row in
                count += 1
                highest = max(highest, row.lastSeq)
            }
            if count != perBatch * Int(highest) { torn.append("\(count) rows, highest seq \(highest)") }
            snapshots += 1
        } while !done.load(ordering: .acquiring)
        writerFinished.wait()

        #expect(failure.withLock { $0 } == nil)
        #expect(torn.isEmpty)
        #expect(snapshots > 0)
        #expect(try reader.checkpoint("p") == UInt64(batches))
    }
}

/// Starts `body` on a new thread; the semaphore is signalled when it returns.
///
/// A thread of its own, not a dispatch queue: the test runs on a worker of the pool that global queues
/// share, and with one core a queued block waited forever behind the test that waited for it.
private func startThread(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
    let finished = DispatchSemaphore(value: 0)
    let thread = Thread {
        body()
        finished.signal()
    }
    thread.start()
    return finished
}

/// Runs `body` on a new thread and waits until it returns.
private func runOnNewThread(_ body: @escaping @Sendable () -> Void) {
    startThread(body).wait()
}
