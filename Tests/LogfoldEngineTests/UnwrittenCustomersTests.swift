import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldGenerator
import LogfoldJournal
import LogfoldStore
import LogfoldTestSupport
import Testing

/// A replay writes customers once, when it ends (ADR 0005 decision 4): the store is the one a projector
/// writing them with every batch makes, whatever memory forces out early, and a replay killed before the
/// end leaves a directory every command refuses with what to do.
@Suite(.offThePool) struct UnwrittenCustomersTests {
    /// `committerLag` 2 holds each commit back until two more batches are submitted, so the fold, which
    /// reads how far the store is committed after each submit, sees the same in every run: the customers
    /// written at the end are still queued when the next eviction looks, and must not leave memory yet.
    @Test(
        "customers written at the end give the store written batch by batch, evicted early or not",
        arguments: [
            (Int.max, Int.max, false, 0), (0, 0, true, 0), (1, 3, true, 0), (2, 40, true, 0), (0, 0, true, 2),
            (1, 3, true, 2), (2, 40, true, 2),
        ] as [(Int, Int, Bool, Int)])
    func sameStore(hotCustomers: Int, setAsideCustomers: Int, evicts: Bool, committerLag: Int) throws {
        let directory = try TemporaryDirectory()
        let journal = try DormantCustomersTests.journal(in: directory)
        func project(_ name: String, atEnd: Bool) throws -> (digest: String, evicted: Int, store: StateStore) {
            let store = try StateStore(path: directory.file("\(name).sqlite"))
            try store.enableFromStart(Projector.activeCampaignName, at: 0)
            if atEnd { try store.markCustomersUnwritten(since: 1) }
            let projector = Projector(
                journal: journal, store: store, batchSize: 25, hotCustomers: hotCustomers,
                setAsideCustomers: setAsideCustomers,
                activeCampaign: try Projector.enabledActiveCampaign(in: store, mapping: .defaults))
            projector.customersAtEnd = atEnd
            projector.committerLag = committerLag
            let summary = try projector.run()
            #expect(summary.entries == DormantCustomersTests.lines.count)
            return (try store.digest(), projector.evictedCustomerCount, store)
        }
        let batchByBatch = try project("batch-by-batch", atEnd: false)
        let atEnd = try project("at-end", atEnd: true)
        #expect(atEnd.digest == batchByBatch.digest)
        #expect(try atEnd.store.unwrittenCustomersSince() == nil, "the last customers' batch removes the mark")
        // Below the journal's 60 customers set aside, memory sends customers to the store early: the
        // unwritten ones go in before any leaves.
        #expect((atEnd.evicted > 0) == evicts, "\(atEnd.evicted) customers evicted")
    }

    @Test("a replay killed after its first batches leaves outbox rows without customers, refused with the remedy")
    func killedReplayIsRefused() throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("log.jsonl")
        let data = directory.file("data")
        let rebuilt = directory.file("rebuilt")
        for arguments in [
            ["generate", "--seed", "5", "--customers", "20", "--days", "30", "--out", log],
            ["ingest", "--data", data, log], ["project", "--data", data],
        ] {
            let result = try LogfoldProcess.run(arguments)
            try #require(result.status == 0, "\(arguments[0]): \(result.stderr)")
        }
        let replay = ["replay", "--data", data, "--into", rebuilt, "--batch", "50"]
        let killed = try LogfoldProcess.run(replay, environment: ["LOGFOLD_TEST_CRASH_AT": "store.commit.after:3"])
        try #require(killed.status == SIGKILL, "the replay was not killed: \(killed.stderr)")

        // Three batches of outbox rows are in, and no customer: they wait for the replay's end.
        let store = try StateStore(path: rebuilt + "/state.sqlite")
        #expect(try store.checkpoint(Projector.defaultName) == 150)
        #expect(try store.outboxCounts()["pending", default: 0] > 0)
        #expect(try store.unwrittenCustomersSince() == 1)
        try store.close()

        // While a replay holds the directory, a command says it is still running, not that it stopped.
        do {
            let lock = try DirectoryLock(path: rebuilt + DirectoryLock.replay, holder: "replay")
            let running = try LogfoldProcess.run(["status", "--data", rebuilt])
            #expect(running.status != 0)
            #expect(running.stderr.contains("still running (pid \(getpid()))"), "\(running.stderr)")
            withExtendedLifetime(lock) {}
        }
        for command in [
            ["project", "--data", rebuilt], ["status", "--data", rebuilt], ["digest", "--data", rebuilt],
        ] {
            let refused = try LogfoldProcess.run(command)
            #expect(refused.status != 0, "\(command[0]) went on")
            #expect(
                refused.stderr.contains("stopped before it wrote its customers"), "\(command[0]): \(refused.stderr)")
            #expect(refused.stderr.contains("logfold replay --into \(rebuilt)"), "\(command[0]): \(refused.stderr)")
        }
        try FileManager.default.removeItem(atPath: rebuilt)
        let again = try LogfoldProcess.run(replay)
        try #require(again.status == 0, "\(again.stderr)")
        let digests = try [data, rebuilt].map { try LogfoldProcess.run(["digest", "--data", $0]).stdout }
        #expect(digests[0] == digests[1])
        #expect(!digests[0].isEmpty)
    }
}
