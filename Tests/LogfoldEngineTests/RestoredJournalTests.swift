import Foundation
import LogfoldTestSupport
import Testing

/// A state store ahead of its journal (the journal restored from an older backup, or short of commits lost
/// under `--durability nosync`) stops `project` with the remedy; nothing is skipped silently.
@Suite(.serialized, .offThePool) struct RestoredJournalTests {
    static func lines(_ sample: String) throws -> [Substring] {
        try String(contentsOfFile: GoldenScenarioTests.journal.path + "/samples/\(sample).jsonl", encoding: .utf8)
            .split(separator: "\n")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try LogfoldProcess.run(arguments)
    }

    @Test("a journal put back from an older backup: status shows a negative lag, project refuses, replay rebuilds")
    func olderJournal() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let activities = try Self.lines("activities")
        let first = directory.file("first.jsonl")
        let second = directory.file("second.jsonl")
        try Data(activities[..<20].map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: first))
        try Data(activities[20...].map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: second))
        #expect(try Self.run(["ingest", "--data", data, first]).status == 0)
        try FileManager.default.copyItem(atPath: data + "/journal", toPath: directory.file("backup"))
        #expect(try Self.run(["ingest", "--data", data, second]).status == 0)
        #expect(try Self.run(["project", "--data", data]).status == 0)

        // The backup comes back: 20 entries, the store has folded 34.
        try FileManager.default.removeItem(atPath: data + "/journal")
        try FileManager.default.copyItem(atPath: directory.file("backup"), toPath: data + "/journal")
        let status = try Self.run(["status", "--data", data, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect(object?["lag"] as? Int == -14, "\(status.stdout)")
        let behind = try Self.run(["project", "--data", data])
        #expect(behind.status != 0)
        #expect(
            behind.stderr.contains("folded the journal up to seq 34, but the journal ends at seq 20"),
            "\(behind.stderr)")
        #expect(behind.stderr.contains("logfold replay"))

        // New entries arrive: the journal passes seq 34 again, but seq 34 is another entry.
        let updates = directory.file("updates.jsonl")
        let more = try ["customer-updates", "order-placed-fulfilled", "order-placed-cancelled", "order-refunded"]
            .flatMap(Self.lines)
        try Data(more.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: updates))
        #expect(try Self.run(["ingest", "--data", data, updates]).status == 0)
        let other = try Self.run(["project", "--data", data])
        #expect(other.status != 0)
        #expect(other.stderr.contains("that the state store folded there"), "\(other.stderr)")

        // The remedy works: a replay of this journal into a new directory folds every entry.
        let rebuilt = directory.file("rebuilt")
        let replay = try Self.run(["replay", "--data", data, "--into", rebuilt])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try Self.run(["project", "--data", rebuilt]).stdout.contains("up to date"))
    }
}
