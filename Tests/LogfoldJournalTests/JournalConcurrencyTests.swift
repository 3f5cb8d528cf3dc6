import Foundation
import LogfoldJournal
import Synchronization
import Testing

/// What a background reader saw, checked on the test thread after it finished.
private final class ReaderLog: Sendable {
    let stop = Atomic<Bool>(false)
    let scans = Atomic<Int>(0)
    let heads = Mutex<[UInt64]>([])
    let failures = Mutex<[String]>([])
    let finished = DispatchSemaphore(value: 0)

    func fail(_ message: String) {
        failures.withLock { $0.append(message) }
    }
}

/// Starts a thread that scans `journal` from seq 1 until `log.stop` is set, checking that each scan is a
/// dense prefix 1...k of `Fixture` records and that k never decreases.
private func startReader(_ journal: Journal, _ log: ReaderLog, entryCount: Int) {
    let thread = Thread {
        defer { log.finished.signal() }
        var previous: UInt64 = 0
        while true {
            let lastRound = log.stop.load(ordering: .acquiring)
            var expected: UInt64 = 1
            do {
                try journal.forEach(from: 1) { view in
                    guard view.seq == expected, Fixture.matches(view, index: Int(expected - 1), entryCount: entryCount)
                    else {
                        log.fail(
                            "scan \(log.scans.load(ordering: .relaxed)): bad record at seq \(view.seq), expected \(expected)"
                        )
                        return false
                    }
                    expected += 1
                    return true
                }
            } catch {
                log.fail("scan failed: \(error)")
                return
            }
            let head = expected - 1
            if head < previous { log.fail("prefix shrank from \(previous) to \(head)") }
            previous = head
            log.heads.withLock { $0.append(head) }
            log.scans.add(1, ordering: .releasing)
            if lastRound { return }
        }
    }
    thread.start()
}

/// Waits (bounded) until the reader has finished a scan that saw at least `head` records.
///
/// Not "until one more scan finished": that scan may have started before the append committed (or
/// begun and ended while it ran) and so still see the old head, leaving the prefix just appended
/// unobserved. Waiting for the head itself makes the reader see each awaited prefix exactly.
private func waitForHead(_ head: UInt64, _ log: ReaderLog) -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(60)
    while (log.heads.withLock { $0.last } ?? 0) < head {
        if clock.now > deadline || !log.failures.withLock({ $0.isEmpty }) { return false }
        usleep(200)
    }
    return true
}

@Suite("Concurrent readers")
struct JournalConcurrencyTests {
    @Test("A reader scanning while the writer appends always sees a dense, valid, non-shrinking prefix")
    func readerSeesConsistentPrefix() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(directory: directory.path, configuration: .init(durability: .nosync))
        let log = ReaderLog()
        startReader(journal, log, entryCount: 72)

        let batches = 60
        let batchSize = 500
        for batch in 0..<batches {
            _ = try journal.append(Fixture.batch((batch * batchSize)..<((batch + 1) * batchSize)))
            // Interleave for real: the reader sees each of the first 20 prefixes before the next append.
            if batch < 20 { #expect(waitForHead(UInt64((batch + 1) * batchSize), log)) }
        }
        log.stop.store(true, ordering: .releasing)
        try #require(log.finished.wait(timeout: .now() + 60) == .success, "the reader thread hung")

        #expect(log.failures.withLock { $0 } == [])
        let heads = log.heads.withLock { $0 }
        #expect(heads.last == UInt64(batches * batchSize))
        // Guaranteed by the waits above: every prefix 500, 1000, …, 10,000 was seen.
        #expect(Set(heads).count >= 20, "the reader should have seen many different prefixes")
        #expect(heads.allSatisfy { $0 % UInt64(batchSize) == 0 }, "a scan saw a partial batch: \(heads)")
    }

    @Test("The map grows while a reader is scanning; the reader stays consistent and nothing is lost")
    func growthWithActiveReader() throws {
        let directory = TemporaryDirectory()
        let initial = 256 << 10
        let journal = try Journal(
            directory: directory.path, configuration: .init(durability: .nosync, initialMapSize: initial))
        let log = ReaderLog()
        startReader(journal, log, entryCount: 300)

        let batches = 80
        let batchSize = 100
        for batch in 0..<batches {
            _ = try journal.append(Fixture.batch((batch * batchSize)..<((batch + 1) * batchSize), entryCount: 300))
            if batch % 4 == 0 { #expect(waitForHead(UInt64((batch + 1) * batchSize), log)) }
        }
        log.stop.store(true, ordering: .releasing)
        try #require(log.finished.wait(timeout: .now() + 60) == .success, "the reader thread hung")

        #expect(log.failures.withLock { $0 } == [])
        #expect(log.heads.withLock { $0.last } == UInt64(batches * batchSize))
        let statistics = try journal.statistics()
        #expect(statistics.mapSize >= 8 * initial, "2.7 MB of records cannot fit without growing the map several times")
        #expect(try journal.verify().isClean)
    }

    @Test("Appending from inside forEach when the map must grow throws .busy instead of deadlocking")
    func appendInsideForEachNeedingGrowth() throws {
        let directory = TemporaryDirectory()
        let journal = try Journal(
            directory: directory.path, configuration: .init(durability: .nosync, initialMapSize: 64 << 10))
        _ = try journal.append([Fixture.append(0)])
        var innerError: JournalError?
        try journal.forEach(from: 1) { _ in
            // Nested reads are fine inside a scan.
            #expect(try journal.head() == 1)
            do {
                _ = try journal.append(Fixture.batch(1..<2_000, entryCount: 300))
            } catch let error as JournalError {
                innerError = error
            }
            return false
        }
        #expect(innerError?.code == .busy)
        #expect(try journal.head() == 1, "the failed batch must not be partly stored")
        // Outside the scan the same batch grows the map and succeeds.
        _ = try journal.append(Fixture.batch(1..<2_000, entryCount: 300))
        #expect(try journal.head() == 2_000)
    }
}
