import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldGenerator
import LogfoldJournal
import LogfoldStore
import LogfoldTestSupport
import Testing

/// The projector over real LMDB and SQLite files.
@Suite(.serialized, .offThePool) struct ProjectorTests {
    /// A data directory holding a generated history, ingested.
    static func ingested(seed: UInt64, customers: Int = 120, days: Int = 45) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let input = directory.file("log.jsonl")
        var text: [UInt8] = []
        _ = SyntheticLog(
            GeneratorConfiguration(seed: seed, customers: customers, days: days, includeUnknownTypes: true)
        )
        .write { text.append(contentsOf: $0) }
        try Data(text).write(to: URL(fileURLWithPath: input))
        let result = try LogfoldProcess.run([
            "ingest", "--data", directory.file("data"), "--durability", "nosync", input,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return (directory, directory.file("data"))
    }

    static func run(_ arguments: [String]) throws -> String {
        let result = try LogfoldProcess.run(arguments)
        #expect(result.status == 0, "logfold \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    @Test("status shows the journal head, the checkpoint and its lag, and outbox counts by status")
    func status() throws {
        let (directory, data) = try Self.ingested(seed: 6, customers: 30, days: 20)
        defer { withExtendedLifetime(directory) {} }
        let before = try #require(
            try JSONSerialization.jsonObject(with: Data(try Self.run(["status", "--data", data, "--json"]).utf8))
                as? [String: Any])
        let head = try #require(before["journal_head"] as? Int)
        #expect(head > 0)
        #expect(before["checkpoint"] as? Int == 0 && before["lag"] as? Int == head)
        _ = try Self.run(["project", "--data", data])
        let after = try #require(
            try JSONSerialization.jsonObject(with: Data(try Self.run(["status", "--data", data, "--json"]).utf8))
                as? [String: Any])
        #expect(after["checkpoint"] as? Int == head && after["lag"] as? Int == 0)
        let pending = try #require((after["outbox"] as? [String: Any])?["pending"] as? Int)
        let outboxLines = try Self.run(["outbox", "--data", data]).split(separator: "\n").count
        #expect(pending == outboxLines && pending > 0)
    }

    @Test("projecting with batch size 1 and with 10,000 gives identical outbox and state")
    func batchSizeDoesNotMatter() throws {
        let (directory, data) = try Self.ingested(seed: 5, customers: 60, days: 30)
        _ = try Self.run(["replay", "--data", data, "--into", directory.file("one"), "--batch", "1"])
        _ = try Self.run(["replay", "--data", data, "--into", directory.file("many"), "--batch", "10000"])
        let one = try Self.run(["digest", "--data", directory.file("one")])
        let many = try Self.run(["digest", "--data", directory.file("many")])
        #expect(one == many)
        #expect(one.count == 65)
        let outboxOne = try Self.run(["outbox", "--data", directory.file("one"), "--json"])
        #expect(outboxOne == (try Self.run(["outbox", "--data", directory.file("many"), "--json"])))
    }

    @Test("replaying with every memory bound at its least (customers and orders evicted each batch) changes no byte")
    func memoryBoundsDoNotMatter() throws {
        let (directory, data) = try Self.ingested(seed: 6, customers: 60, days: 45)
        _ = try Self.run(["replay", "--data", data, "--into", directory.file("roomy")])
        _ = try Self.run([
            "replay", "--data", data, "--into", directory.file("tight"), "--batch", "7", "--hot-customers", "0",
            "--set-aside-customers", "0", "--hot-orders", "0",
        ])
        let roomy = try Self.run(["digest", "--data", directory.file("roomy")])
        #expect(roomy == (try Self.run(["digest", "--data", directory.file("tight")])))
        #expect(roomy.count == 65)
    }

    @Test(
        "replaying the same journal twice (indexes deferred, then live) gives identical digests; projecting again adds nothing",
        arguments: [UInt64(1), 2])
    func replayTwice(seed: UInt64) throws {
        let (directory, data) = try Self.ingested(seed: seed)
        let first = try Self.run(["project", "--data", data])
        #expect(first.hasPrefix("projected "))
        let again = try Self.run(["project", "--data", data])
        let head = try #require(first.split(separator: "-").dropFirst().first?.prefix { $0.isNumber })
        #expect(again.contains("projected 0 entries (up to date at seq \(head)): 0 messages"), "\(again)")
        // Both ways of building the outbox indexes, which must not change a byte.
        _ = try Self.run(
            ["replay", "--data", data, "--into", directory.file("a"), "--batch", "777", "--indexes", "deferred"])
        _ = try Self.run(
            ["replay", "--data", data, "--into", directory.file("b"), "--batch", "4096", "--indexes", "live"])
        let digests = try [data, directory.file("a"), directory.file("b")].map {
            try Self.run(["digest", "--data", $0])
        }
        #expect(Set(digests).count == 1, "\(digests)")
    }

    @Test("a projector SIGKILLed at random points and resumed gives the digest of an uninterrupted run")
    func killedAndResumed() throws {
        let (directory, data) = try Self.ingested(seed: 9, customers: 250, days: 60)
        _ = try Self.run(["replay", "--data", data, "--into", directory.file("clean")])
        let expected = try Self.run(["digest", "--data", directory.file("clean")])

        let crashed = directory.file("crashed")
        _ = try Self.run(["replay", "--data", data, "--into", crashed, "--batch", "50"])  // creates the dir and link
        try FileManager.default.removeItem(atPath: crashed + "/state.sqlite")
        for suffix in ["-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: crashed + "/state.sqlite" + suffix)
        }
        let head = try #require(
            UInt64(
                try Self.run(["journal", "stat", "--data", data, "--json"])
                    .split(separator: ",")[0].split(separator: ":")[1]))
        // Opened (and migrated) before any child starts, so the two never migrate at once.
        let store = try StateStore(path: crashed + "/state.sqlite")
        var random = SeededRandom(seed: 42)
        var kills = 0
        var target: UInt64 = 0
        for _ in 0..<4 {
            // A random checkpoint ahead of the last one: the child is killed right after committing it.
            target = min(head - 1, target + 1 + random.next() % (head / 5))
            let child = try LogfoldProcess(["project", "--data", crashed, "--batch", "50"])
            let reached = try eventually(timeout: .seconds(60)) {
                try store.checkpoint(Projector.defaultName) >= target
            }
            child.send(SIGKILL)
            if child.finish().status == SIGKILL { kills += 1 }
            #expect(reached)
        }
        #expect(kills > 0, "no run was caught in the middle")
        _ = try Self.run(["project", "--data", crashed, "--batch", "50"])
        #expect(try Self.run(["digest", "--data", crashed]) == expected)
    }

    @Test("outbox --json carries the contract's fields; customer shows state and messages with their seqs")
    func outboxAndCustomerViews() throws {
        let (directory, data) = try Self.ingested(seed: 3, customers: 40, days: 20)
        defer { withExtendedLifetime(directory) {} }
        _ = try Self.run(["project", "--data", data])
        let lines = try Self.run(["outbox", "--data", data, "--json", "--status", "pending"]).split(separator: "\n")
        #expect(lines.count > 100)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        for field in ["key", "kind", "time", "profile", "properties", "status", "source_seq"] {
            #expect(first[field] != nil, "missing \(field)")
        }
        let event = try #require(
            try lines.lazy.compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { $0["kind"] as? String == "event" })
        #expect(event["metric"] is String && event["unique_id"] is String)
        let customerID = try #require((event["profile"] as? [String: Any])?["external_id"] as? String)
        let view = try Self.run(["customer", "--data", data, customerID])
        #expect(view.contains("customer      \(customerID)"))
        #expect(view.contains("messages:"))
        #expect(try Self.run(["outbox", "--data", data, "--status", "delivered"]).isEmpty)
        let missing = try LogfoldProcess.run(["digest", "--data", data + "-typo"])
        #expect(missing.status != 0 && missing.stderr.contains("no state store"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data + "-typo/state.sqlite"))
    }
}
