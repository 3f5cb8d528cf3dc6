import Foundation
import LogfoldTestSupport
import Testing

/// The data directory holds personal data and is its user's alone; secrets others can read are refused;
/// one sender per data directory.
@Suite(.serialized, .offThePool) struct FileModesAndLocksTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("ingest and project leave the data directory 0700 and every file 0600, a looser old one tightened")
    func dataDirectoryModes() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        // A directory an earlier build (or a copy) left open to everyone.
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: data)
        _ = FileManager.default.createFile(atPath: data + "/notes.txt", contents: Data("x".utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: data + "/notes.txt")
        let input = directory.file("in.jsonl")
        let sample = try String(
            contentsOfFile: GoldenScenarioTests.journal.path + "/samples/cleared-values.jsonl", encoding: .utf8)
        try Data((sample + "not json\n").utf8).write(to: URL(fileURLWithPath: input))
        // The bad line goes to the rejects file.
        #expect(try LogfoldProcess.run(["ingest", "--data", data, input]).status == 0)
        #expect(try LogfoldProcess.run(["project", "--data", data]).status == 0)

        #expect(try Self.mode(data) == 0o700)
        #expect(try Self.mode(data + "/journal") == 0o700)
        for file in ["journal/data.mdb", "journal/lock.mdb", "state.sqlite", "rejects.jsonl", "notes.txt"] {
            #expect(try Self.mode(data + "/" + file) == 0o600, "\(file)")
        }
    }

    @Test("an API key file others can read is refused with the chmod to run")
    func secretFileModes() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let sample = GoldenScenarioTests.journal.path + "/samples/signup-completed.jsonl"
        #expect(try LogfoldProcess.run(["ingest", "--data", data, sample]).status == 0)
        #expect(try LogfoldProcess.run(["project", "--data", data]).status == 0)
        let key = directory.file("klaviyo.key")
        try Data("pk_test_logfold\n".utf8).write(to: URL(fileURLWithPath: key))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        let open = try LogfoldProcess.run(
            ["send", "--data", data, "--klaviyo-url", sandbox.url, "--once", "--api-key-file", key], environment: [:])
        #expect(open.status != 0)
        #expect(open.stderr.contains("can be read by other users (mode 644)"), "\(open.stderr)")
        #expect(open.stderr.contains("chmod 600 \(key)"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let closed = try LogfoldProcess.run(
            ["send", "--data", data, "--klaviyo-url", sandbox.url, "--once", "--api-key-file", key], environment: [:])
        #expect(closed.status == 0, "\(closed.stderr)")
    }

    @Test("a second sender on the same data directory is refused, naming the first one's pid")
    func oneSender() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let sample = GoldenScenarioTests.journal.path + "/samples/signup-completed.jsonl"
        #expect(try LogfoldProcess.run(["ingest", "--data", data, sample]).status == 0)
        #expect(try LogfoldProcess.run(["project", "--data", data]).status == 0)
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        let first = try LogfoldProcess(
            ["send", "--data", data, "--klaviyo-url", sandbox.url], environment: SendEndToEndTests.key)
        // The first sender writes its pid into the lock once it holds it (another process: polled).
        let lock = data + "/sender-klaviyo.lock"
        #expect(eventually { ((try? String(contentsOfFile: lock, encoding: .utf8)) ?? "").contains("\n") })
        let second = try SendEndToEndTests.send(data, sandbox)
        #expect(second.status != 0)
        #expect(second.stderr.contains("another logfold sender (pid "), "\(second.stderr)")
        first.send(SIGTERM)
        #expect(first.finish().status == 0)
        #expect(try SendEndToEndTests.send(data, sandbox).status == 0, "free again once the first one stopped")
    }

    @Test("an http:// Klaviyo URL to another machine and a line limit past 1 GiB are refused before anything runs")
    func commandLineGuards() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let insecure = try LogfoldProcess.run(
            ["send", "--data", data, "--klaviyo-url", "http://klaviyo.example.net", "--once"],
            environment: SendEndToEndTests.key)
        #expect(insecure.status != 0 && insecure.stderr.contains("the API key would cross the network in clear"))
        #expect(insecure.stderr.contains("--allow-insecure-url"))
        let huge = try LogfoldProcess.run(["ingest", "--data", data, "--max-line-bytes", "3000000000", "/dev/null"])
        #expect(huge.status != 0 && huge.stderr.contains("--max-line-bytes must be from 1 to 1073741824"))
        #expect(!FileManager.default.fileExists(atPath: data), "nothing was created")
    }
}
