import Foundation
import LogfoldJournal
import LogfoldTestSupport
import Testing

/// A real full disk: the data directory on a small tmpfs, filled to the last byte while logfold writes.
///
/// Mounting needs root (CAP_SYS_ADMIN); where the test runs without it, it is skipped and says so.
@Suite(.serialized, .offThePool, .enabled(if: SmallDisk.canMount, "mounting a tmpfs needs root"))
struct DiskFullTests {
    @Test("a full disk stops ingest and project with a clear error; freed, both resume with nothing lost or doubled")
    func fullDiskThenFreed() throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("log.jsonl")
        let generated = try LogfoldProcess.run([
            "generate", "--seed", "41", "--customers", "40", "--days", "60", "--out", log,
        ])
        try #require(generated.status == 0, "\(generated.stderr)")
        let lines = try Data(contentsOf: URL(fileURLWithPath: log)).split(separator: 0x0A).map(Array.init)
        let reference = try CrashPointHarnessTests.uninterruptedDigest(log, in: directory)
        let disk = try SmallDisk(at: directory.file("disk"), megabytes: 16)
        defer { disk.unmount() }
        let data = disk.path + "/data"

        // The first half goes in while there is room.
        let half = directory.file("half.jsonl")
        try Data(lines[..<(lines.count / 2)].flatMap { $0 + [0x0A] }).write(to: URL(fileURLWithPath: half))
        try #require(try LogfoldProcess.run(["ingest", "--data", data, half]).status == 0)
        try #require(try LogfoldProcess.run(["project", "--data", data]).status == 0)

        // Full: ingesting the whole log fails, saying so; the journal keeps what it had, intact.
        try disk.fill()
        let refused = try LogfoldProcess.run(["ingest", "--data", data, log])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("No space left on device"), "\(refused.stderr)")
        disk.free()
        let verified = try LogfoldProcess.run(["journal", "verify", "--data", data])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let resumed = try LogfoldProcess.run(["ingest", "--data", data, log])
        #expect(resumed.status == 0, "\(resumed.stderr)")

        // Full again while projecting: the store keeps its last whole batch; freed, project finishes.
        // Room to open the store (its WAL index) but not for the batch.
        try disk.fill(leaving: 96 << 10)
        let stopped = try LogfoldProcess.run(["project", "--data", data, "--batch", "100"])
        #expect(stopped.status != 0)
        // SQLite meets a full disk growing a page (SQLITE_FULL) or its WAL index (an I/O error).
        #expect(
            stopped.stderr.contains("The disk is full; free space and retry")
                || stopped.stderr.contains("The disk holding it is full"), "\(stopped.stderr)")
        // What the operator reads names the store and the remedy, not logfold's source files.
        #expect(!stopped.stderr.contains(".swift:") && !refused.stderr.contains(".swift:"), "\(stopped.stderr)")
        disk.free()
        let projected = try LogfoldProcess.run(["project", "--data", data, "--batch", "100"])
        #expect(projected.status == 0, "\(projected.stderr)")

        let journal = try Journal(directory: data + "/journal")
        #expect(try journal.head() == UInt64(lines.count))
        try journal.forEach(from: 1) { record in
            #expect(Array(record.entry) == lines[Int(record.seq) - 1], "seq \(record.seq)")
            return true
        }
        #expect(try CrashPointHarnessTests.digest(data) == reference)
    }
}

/// A tmpfs of a few megabytes, mounted for one test, and a filler file that takes its free space.
struct SmallDisk {
    let path: String

    /// Whether this process may mount one (root, in a namespace that allows it).
    static let canMount: Bool = {
        guard getuid() == 0, let probe = try? TemporaryDirectory() else { return false }
        guard let disk = try? SmallDisk(at: probe.file("probe"), megabytes: 1) else { return false }
        disk.unmount()
        return true
    }()

    init(at path: String, megabytes: Int) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", path]
        mount.standardError = FileHandle.nullDevice
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { throw CocoaError(.fileWriteNoPermission) }
    }

    var filler: String { path + "/filler" }

    /// Writes a file until the disk refuses more, or has only `leaving` bytes free.
    func fill(leaving: Int = 0) throws {
        guard FileManager.default.createFile(atPath: filler, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        defer { try? handle.close() }
        let block = Data(count: 64 << 10)
        while (try? handle.write(contentsOf: block)) != nil {}
        // Then byte by byte, so not even a page is left.
        while (try? handle.write(contentsOf: Data(count: 1))) != nil {}
        if leaving > 0 { try handle.truncate(atOffset: try handle.offset() - UInt64(leaving)) }
    }

    func free() { try? FileManager.default.removeItem(atPath: filler) }

    func unmount() {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = ["-l", path]
        try? umount.run()
        umount.waitUntilExit()
    }
}
