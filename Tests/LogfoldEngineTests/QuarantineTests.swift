import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldTestSupport
import Testing

/// A record that cannot be decoded (a bug, a damaged page) is set aside with its reason; the projector
/// goes on, `status` shows it, and the operator can list and retry it.
@Suite(.serialized, .offThePool) struct QuarantineTests {
    @Test("an undecodable record is quarantined, the entries after it are folded, and retry keeps it while it fails")
    func quarantine() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let lines = try String(
            contentsOfFile: GoldenScenarioTests.journal.path + "/samples/activities.jsonl", encoding: .utf8
        ).split(separator: "\n").prefix(4)
        do {
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            let journal = try Journal(directory: data + "/journal", configuration: .init(durability: .nosync))
            var appends: [JournalAppend] = []
            for (index, line) in lines.enumerated() {
                let entry = try EntryParser().parse(Array(line.utf8))
                // The second record is damaged: a compact form no build writes, and a line that does not
                // parse either (so the fallback of re-parsing the line fails too).
                let damaged = index == 1
                appends.append(
                    JournalAppend(
                        platformID: entry.id, entry: damaged ? Array("{damaged".utf8) : Array(line.utf8),
                        compact: damaged ? [0xEE, 0x01, 0x02] : CompactEntryCodec.encode(entry)))
            }
            _ = try journal.append(appends)
        }
        // `journal verify` finds it before any projection: the checksums are fine, the decoding is not.
        let verify = try LogfoldProcess.run(["journal", "verify", "--data", data])
        #expect(verify.status == 2 && verify.stdout.contains("cannot be decoded: seq 2:"), "\(verify.stdout)")
        #expect(verify.stdout.contains("checked 4 records, 0 damaged, 1 that cannot be decoded"))
        let project = try LogfoldProcess.run(["project", "--data", data])
        #expect(project.status == 0, "\(project.stderr)")
        #expect(project.stdout.contains("projected 4 entries"), "\(project.stdout)")
        #expect(project.stdout.contains("1 quarantined"), "\(project.stdout)")

        let status = try LogfoldProcess.run(["status", "--data", data, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect(object?["quarantined"] as? Int == 1 && object?["lag"] as? Int == 0, "\(status.stdout)")
        let list = try LogfoldProcess.run(["journal", "quarantine", "list", "--data", data])
        #expect(list.stdout.contains("seq 2\tentry id ") && list.stdout.contains("1 quarantined"), "\(list.stdout)")

        let retry = try LogfoldProcess.run(["journal", "quarantine", "retry", "--data", data, "2"])
        #expect(retry.status != 0 && retry.stderr.contains("still cannot be decoded"), "\(retry.stderr)")
        #expect(
            try LogfoldProcess.run(["journal", "quarantine", "list", "--data", data]).stdout.contains("1 quarantined"))
        let unknown = try LogfoldProcess.run(["journal", "quarantine", "retry", "--data", data, "3"])
        #expect(unknown.status != 0 && unknown.stderr.contains("not in quarantine"))
    }
}
