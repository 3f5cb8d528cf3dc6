import Foundation
import LogfoldGenerator
import LogfoldJournal
import LogfoldTestSupport
import Testing

/// A real `logfold ingest` child process killed with SIGKILL mid-run, then re-run.
@Suite(.serialized, .offThePool) struct IngestCrashTests {
    @Test(
        "after SIGKILLs at two points and a re-run, the journal holds each entry of the file exactly once, in file order"
    )
    func killedAndResumed() throws {
        let directory = try TemporaryDirectory()
        let input = directory.file("history.jsonl")
        var text = [UInt8]()
        _ = SyntheticLog(GeneratorConfiguration(seed: 11, customers: 600, days: 120)).write {
            text.append(contentsOf: $0)
        }
        try Data(text).write(to: URL(fileURLWithPath: input))
        let lines = text.split(separator: 0x0A).map(Array.init)
        let data = directory.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)

        // Small fsync'd batches make the run long enough to be caught in the middle.
        let arguments = ["ingest", "--data", data, "--batch", "100", input]
        var observer: Journal?
        func head() throws -> UInt64 {
            if observer == nil, FileManager.default.fileExists(atPath: data + "/journal/data.mdb") {
                observer = try Journal(directory: data + "/journal")
            }
            return try observer?.head() ?? 0
        }
        for fraction in [0.2, 0.6] {
            let child = try LogfoldProcess(arguments)
            let target = UInt64(Double(lines.count) * fraction)
            let reached = try eventually { try head() >= target }
            child.send(SIGKILL)
            let result = child.finish()
            #expect(reached, "the child never reached \(target) entries: \(result.stderr)")
            #expect(result.status == SIGKILL, "the child was meant to be killed mid-run, it exited \(result.status)")
        }
        // LMDB publishes a commit twice: the meta page, then the transaction id in the lock table that
        // readers start from. A writer killed between the two leaves a live reader's environment one
        // commit behind until the next writer repairs the lock table (`mdb_mutex_failed`). Reopening
        // while no other process holds the environment rebuilds the lock table from the newest meta
        // page, so the head read here is the one the next run starts from.
        observer = nil
        let killedAt = try head()
        #expect(killedAt < UInt64(lines.count))

        let final = try LogfoldProcess.run(arguments)
        #expect(final.status == 0, "\(final.stderr)")
        #expect(final.stdout.contains("ingested \(UInt64(lines.count) - killedAt), duplicates \(killedAt), rejected 0"))

        let journal = try #require(observer)
        #expect(try journal.head() == UInt64(lines.count))
        var seq: UInt64 = 0
        try journal.forEach(from: 1) { record in
            #expect(Array(record.entry) == lines[Int(record.seq) - 1])
            seq = record.seq
            return true
        }
        #expect(seq == UInt64(lines.count))
    }
}
