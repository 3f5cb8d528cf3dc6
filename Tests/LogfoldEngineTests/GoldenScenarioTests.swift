import Foundation
import LogfoldTestSupport
import Testing

/// Each sample log in `Journal/samples/` is ingested and projected by the real `logfold`.
///
/// Its outbox must equal `Journal/golden/NAME.outbox.jsonl` byte for byte. A sample with a mapping file
/// beside it (`NAME.mapping.json`) is projected with it.
///
/// `LOGFOLD_UPDATE_GOLDEN=1 swift test --filter GoldenScenarioTests` rewrites the golden files; review
/// the diff before committing it: the golden files are the specification of what Klaviyo receives.
@Suite(.serialized, .offThePool) struct GoldenScenarioTests {
    static let journal = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Journal")

    static let scenarios: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: journal.path + "/samples")) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.map { String($0.dropLast(".jsonl".count)) }.sorted()
    }()

    @Test("the samples cover the seed scenarios the issue lists")
    func coverage() {
        for name in [
            "seed-started-checkout", "signup-completed", "missed-signup", "cancelled-account", "order-placed-fulfilled",
            "order-placed-cancelled", "order-completed-without-placed", "order-refunded", "order-chargeback",
            "dead-customer-order", "unsubscribe-resubscribe", "unknown-type",
        ] {
            #expect(Self.scenarios.contains(name), "missing sample \(name)")
        }
    }

    @Test("each scenario's outbox equals its golden file", arguments: scenarios)
    func scenario(_ name: String) throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let sample = Self.journal.path + "/samples/\(name).jsonl"
        // A scenario about configuration brings its mapping file (`NAME.mapping.json`).
        let mapping = Self.journal.path + "/samples/\(name).mapping.json"
        let project =
            ["project", "--data", data]
            + (FileManager.default.fileExists(atPath: mapping) ? ["--mapping", mapping] : [])
        for arguments in [["ingest", "--data", data, sample], project] {
            let result = try LogfoldProcess.run(arguments)
            try #require(result.status == 0, "\(arguments[0]): \(result.stderr)")
        }
        let outbox = try LogfoldProcess.run(["outbox", "--data", data, "--json"])
        try #require(outbox.status == 0, "\(outbox.stderr)")
        let golden = Self.journal.path + "/golden/\(name).outbox.jsonl"
        if ProcessInfo.processInfo.environment["LOGFOLD_UPDATE_GOLDEN"] == "1" {
            try Data(outbox.stdout.utf8).write(to: URL(fileURLWithPath: golden))
        }
        let expected = [UInt8](try Data(contentsOf: URL(fileURLWithPath: golden)))
        // Bytes, not `String`s: `String` equality takes canonically equivalent text (NFC and NFD) as equal.
        let sameBytes = Array(outbox.stdout.utf8) == expected
        #expect(sameBytes, "\(name): the outbox differs from Journal/golden/\(name).outbox.jsonl, byte for byte")
        if !sameBytes {
            // The text, for the difference Swift Testing prints.
            #expect(outbox.stdout == String(decoding: expected, as: UTF8.self))
        }
    }

    @Test("the seed's Started Checkout reaches the outbox with unique_id 1141260_1589562236")
    func seedUniqueID() throws {
        let golden = try String(
            contentsOfFile: Self.journal.path + "/golden/seed-started-checkout.outbox.jsonl", encoding: .utf8)
        let events = try golden.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["metric"] as? String == "Started Checkout" }
        #expect(events.count == 1)
        #expect(events.first?["unique_id"] as? String == "1141260_1589562236")
        #expect(events.first?["time"] as? String == "2020-05-15T17:03:56Z")
    }
}
