import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldStore
import LogfoldTestSupport
import Testing

/// ActiveCampaign added to a data directory that has been projected for Klaviyo (ADR 0004).
@Suite(.serialized, .offThePool) struct DestinationTests {
    static func logfold(_ arguments: [String]) throws -> String {
        let result = try LogfoldProcess.run(arguments)
        try #require(result.status == 0, "\(arguments.prefix(3)): \(result.stderr)")
        return result.stdout
    }

    /// The stored rows without their delivery status: the golden files' lines.
    static func activeCampaignLines(_ data: String) throws -> [String] {
        try logfold(["outbox", "--data", data, "--destination", "activecampaign", "--json"]).split(separator: "\n").map
        {
            String($0.replacingOccurrences(of: #","status":"pending","destination":"activecampaign"}"#, with: "}"))
        }
    }

    @Test(
        "added after Klaviyo's projection, each scenario's ActiveCampaign outbox is its golden file",
        arguments: GoldenScenarioTests.scenarios)
    func addedLater(_ name: String) throws {
        let directory = try TemporaryDirectory()
        let data = try SendEndToEndTests.project(
            GoldenScenarioTests.journal.path + "/samples/\(name).jsonl", in: directory)
        let klaviyoBefore = try Self.logfold(["digest", "--data", data, "--destination", "klaviyo"])
        let mapping = GoldenScenarioTests.journal.path + "/samples/\(name).mapping.json"
        let add =
            ["destination", "add", "activecampaign", "--data", data]
            + (FileManager.default.fileExists(atPath: mapping) ? ["--mapping", mapping] : [])
        #expect(try Self.logfold(add).contains("enabled at seq"))
        let golden = try String(
            contentsOfFile: GoldenScenarioTests.journal.path + "/golden/\(name).activecampaign.jsonl", encoding: .utf8)
        #expect(try Self.activeCampaignLines(data) == golden.split(separator: "\n").map(String.init))
        // Klaviyo's outbox and checkpoint are as they were.
        #expect(try Self.logfold(["digest", "--data", data, "--destination", "klaviyo"]) == klaviyoBefore)
    }

    @Test("added later, then projected further: the same store as a replay that folds both from the start")
    func addedLaterEqualsFromTheStart() throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("log.jsonl")
        _ = try Self.logfold(["generate", "--seed", "12", "--customers", "60", "--days", "90", "--out", log])
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let first = directory.file("first.jsonl")
        try (lines.prefix(lines.count / 2).joined(separator: "\n") + "\n").write(
            toFile: first, atomically: true, encoding: .utf8)
        let data = directory.file("data")
        _ = try Self.logfold(["ingest", "--data", data, first])
        _ = try Self.logfold(["project", "--data", data])
        _ = try Self.logfold(["destination", "add", "activecampaign", "--data", data])
        // The rest of the log arrives and is folded for both.
        _ = try Self.logfold(["ingest", "--data", data, log])
        _ = try Self.logfold(["project", "--data", data, "--batch", "500"])
        let listed = try Self.logfold(["destination", "list", "--data", data])
        #expect(listed.contains("activecampaign  enabled"), "\(listed)")
        #expect(listed.contains("(lag 0)"))

        let rebuilt = directory.file("rebuilt")
        _ = try Self.logfold(["replay", "--data", data, "--into", rebuilt])
        for destination in [[], ["--destination", "klaviyo"], ["--destination", "activecampaign"]] {
            #expect(
                try Self.logfold(["digest", "--data", data] + destination)
                    == (try Self.logfold(["digest", "--data", rebuilt] + destination)),
                "digest \(destination)")
        }
        #expect(try Self.activeCampaignLines(data).count > lines.count / 2)
    }

    @Test("a projector started before the destination was enabled has its next batch refused, nothing written")
    func staleProjectorRefused() throws {
        let directory = try TemporaryDirectory()
        let data = try SendEndToEndTests.project(
            GoldenScenarioTests.journal.path + "/samples/order-refunded.jsonl", in: directory)
        let sample = try SendEndToEndTests.sample("activities")
        let journal = try Journal(directory: data + "/journal")
        let store = try StateStore(path: data + "/state.sqlite")
        let stale = Projector(journal: journal, store: store)
        _ = try DestinationCatchUp(journal: journal, store: store).run(now: 0)
        _ = try journal.append(
            try sample.split(separator: "\n").map { line in
                let entry = try EntryParser().parse(Array(line.utf8))
                return JournalAppend(
                    platformID: entry.id, entry: Array(line.utf8), compact: CompactEntryCodec.encode(entry))
            })
        let before = try store.checkpoint(Projector.defaultName)
        #expect(throws: EngineError.self) { try stale.run() }
        #expect(try store.checkpoint(Projector.defaultName) == before)
        // A projector started now folds both.
        let summary = try Projector(
            journal: journal, store: store,
            activeCampaign: try Projector.enabledActiveCampaign(in: store, mapping: .defaults)
        ).run()
        #expect(summary.toSeq > before)
        #expect(try store.checkpoint(Projector.activeCampaignName) == summary.toSeq)
    }
}

extension DestinationTests {
    @Test("a catch-up interrupted after some batches starts again from seq 1 and keeps each row once")
    func interruptedCatchUpStartsOver() throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("log.jsonl")
        _ = try Self.logfold(["generate", "--seed", "14", "--customers", "40", "--days", "60", "--out", log])
        let whole = directory.file("whole")
        _ = try Self.logfold(["ingest", "--data", whole, log])
        _ = try Self.logfold(["project", "--data", whole])
        let interrupted = directory.file("interrupted")
        try FileManager.default.copyItem(atPath: whole, toPath: interrupted)
        _ = try Self.logfold(["destination", "add", "activecampaign", "--data", whole])

        // What a catch-up killed halfway leaves: its checkpoint and the rows of the seqs before it.
        let rows = try StateStore(path: whole + "/state.sqlite").activeCampaignOutbox().map(\.row)
        let half = try #require(rows.map(\.sourceSeq).max()) / 2
        let store = try StateStore(path: interrupted + "/state.sqlite")
        try store.beginCatchUp(Projector.activeCampaignName, at: 0)
        let written = try store.commitCatchUp(
            rows.filter { $0.sourceSeq <= half }, destination: Projector.activeCampaignName, fromSeq: 0, toSeq: half)
        #expect(written > 100)
        try store.close()

        // Run again, it folds from seq 1: the rows already there have the same ordinals, and stay once.
        _ = try Self.logfold(["destination", "add", "activecampaign", "--data", interrupted])
        for destination in ["klaviyo", "activecampaign"] {
            #expect(
                try Self.logfold(["digest", "--data", interrupted, "--destination", destination])
                    == (try Self.logfold(["digest", "--data", whole, "--destination", destination])), "\(destination)")
        }
        #expect(try Self.activeCampaignLines(interrupted) == (try Self.activeCampaignLines(whole)))
    }

    @Test("customer ID shows each destination's messages; --destination picks one")
    func customerByDestination() throws {
        let directory = try TemporaryDirectory()
        let data = try SendEndToEndTests.project(
            GoldenScenarioTests.journal.path + "/samples/order-refunded.jsonl", in: directory)
        _ = try Self.logfold(["destination", "add", "activecampaign", "--data", data])
        let both = try Self.logfold(["customer", "1140502", "--data", data])
        #expect(both.contains("messages:") && both.contains("activecampaign messages:"))
        #expect(both.contains("order_correction"))
        let one = try Self.logfold(["customer", "1140502", "--data", data, "--destination", "activecampaign", "--json"])
        let lines = one.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count == 7, "\(one)")
        #expect(lines.allSatisfy { $0.contains(#""destination":"activecampaign""#) })
    }
}
