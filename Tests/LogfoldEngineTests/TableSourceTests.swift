import Foundation
import GRDB
import LogfoldJournal
import LogfoldTestSupport
import Testing

/// The SQLite table-poll source: a platform database table, one JSON entry per row, read in key order.
@Suite(.serialized, .offThePool) struct TableSourceTests {
    static func entry(_ id: Int, customer: Int = 3) -> String {
        #"{"id":\#(id),"at":"2020-05-15T13:03:56-04:00","type":"login","customer":{"id":"\#(customer)"}}"#
    }

    /// A platform database in WAL mode with `system_log(seq INTEGER PRIMARY KEY, body TEXT)`.
    static func platform(_ path: String) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "CREATE TABLE system_log (seq INTEGER PRIMARY KEY, body TEXT)")
        }
        return queue
    }

    static func insert(_ rows: [(Int, String?)], into queue: DatabaseQueue) throws {
        try queue.write { db in
            for (key, body) in rows {
                try db.execute(sql: "INSERT INTO system_log (seq, body) VALUES (?, ?)", arguments: [key, body])
            }
        }
    }

    static let columns = ["--sqlite-table", "system_log", "--key-column", "seq", "--entry-column", "body"]

    @Test("ingest --sqlite-table reads rows in key order, rejects bad rows by key, and is idempotent")
    func ingestsInKeyOrder() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("platform.sqlite")
        let queue = try Self.platform(database)
        // Inserted out of key order: the journal follows the keys.
        try Self.insert(
            [(30, Self.entry(3)), (10, Self.entry(1)), (20, "{oops"), (25, nil), (40, Self.entry(4))], into: queue)
        let data = directory.file("data")
        let first = try LogfoldProcess.run(["ingest", "--data", data] + Self.columns + [database])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("ingested 3, duplicates 0, rejected 2"), "\(first.stdout)")
        let shown = try LogfoldProcess.run(["journal", "show", "--data", data, "1"])
        #expect(shown.stdout.contains(#""id":1,"#), "\(shown.stdout)")
        let rejects = try String(contentsOfFile: data + "/rejects.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(rejects.count == 2)
        #expect(rejects.first?.contains(#""line":20"#) == true && rejects.first?.contains("table system_log") == true)
        #expect(rejects.last?.contains(#""line":25"#) == true)

        // The next run starts after the last key; --from-start reads it all again, and nothing repeats.
        let again = try LogfoldProcess.run(["ingest", "--data", data] + Self.columns + [database])
        #expect(again.stdout.contains("ingested 0, duplicates 0, rejected 0"), "\(again.stdout)")
        let all = try LogfoldProcess.run(["ingest", "--data", data, "--from-start"] + Self.columns + [database])
        #expect(all.stdout.contains("ingested 0, duplicates 3, rejected 2"), "\(all.stdout)")
    }

    @Test("a restart reads only rows after the position committed with the journal's entries, unless its row changed")
    func resumesAfterSavedPosition() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("platform.sqlite")
        var queue: DatabaseQueue? = try Self.platform(database)
        let platform = try #require(queue)
        try Self.insert((1...5).map { ($0, Self.entry($0)) }, into: platform)
        let data = directory.file("data")
        let arguments = ["ingest", "--data", data] + Self.columns + [database]
        func ingest(_ expected: String, note: String) throws {
            let result = try LogfoldProcess.run(arguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(expected), "\(result.stdout)")
            #expect(result.stderr.contains(note), "\(result.stderr)")
        }
        try ingest("ingested 5, duplicates 0, rejected 0", note: "no committed position for table system_log")
        let backup = directory.file("journal-backup")
        try FileManager.default.copyItem(atPath: data + "/journal", toPath: backup)

        try Self.insert((6...8).map { ($0, Self.entry($0)) } + [(9, "{oops")], into: platform)
        try ingest("ingested 3, duplicates 0, rejected 1", note: "resuming table system_log after seq 5")

        // The bad last row is fixed in place: resuming after it would never read the fix.
        try platform.write {
            try $0.execute(sql: "UPDATE system_log SET body = ? WHERE seq = 9", arguments: [Self.entry(9)])
        }
        try ingest("ingested 1, duplicates 8, rejected 0", note: "the row with seq 9 is not the one read then")

        // The journal is restored from the backup taken at seq 5: its position came back with it, so rows 6-9
        // are read again, and only they.
        try FileManager.default.removeItem(atPath: data + "/journal")
        try FileManager.default.copyItem(atPath: backup, toPath: data + "/journal")
        try ingest("ingested 4, duplicates 0, rejected 0", note: "resuming table system_log after seq 5")

        // The platform's database is replaced: the same keys hold other entries, all of them read.
        queue = nil
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        try Self.insert((1...9).map { ($0, Self.entry(100 + $0)) }, into: try Self.platform(database))
        try ingest("ingested 9, duplicates 0, rejected 0", note: "from its first row")
        try ingest("ingested 0, duplicates 0, rejected 0", note: "resuming table system_log after seq 9")
    }

    @Test("a row with invalid UTF-8 or a NUL byte is rejected as a file's line would be, never journaled altered")
    func rowsReadAsBytes() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("platform.sqlite")
        let queue = try Self.platform(database)
        try Self.insert([(1, Self.entry(1))], into: queue)
        // Text columns holding bytes a file line could hold: SQLite keeps them as they were written.
        let valid = Array(Self.entry(2).utf8)
        let invalidUTF8 = valid.map { $0 == UInt8(ascii: "e") ? 0xFF : $0 }
        let withNUL = Array(Self.entry(3).utf8.prefix(20)) + [0] + Array(Self.entry(3).utf8.dropFirst(20))
        try queue.write { db in
            for (key, bytes) in [(2, invalidUTF8), (3, withNUL)] {
                try db.execute(
                    sql: "INSERT INTO system_log (seq, body) VALUES (?, CAST(? AS TEXT))",
                    arguments: [key, Data(bytes)])
            }
        }
        let data = directory.file("data")
        let result = try LogfoldProcess.run(["ingest", "--data", data] + Self.columns + [database])
        #expect(result.stdout.contains("ingested 1, duplicates 0, rejected 2"), "\(result.stdout)")
        let rejects = try String(contentsOfFile: data + "/rejects.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(rejects.count == 2)
        #expect(rejects.allSatisfy { $0.contains("\"code\":\"malformed_json\"") })
        #expect(rejects.first?.contains("not valid UTF-8") == true && rejects.first?.contains("raw_base64") == true)
        #expect(rejects.last?.contains("raw control character") == true, "the NUL is not a cut")
    }

    @Test("--follow polls rows the platform commits while it runs, and exits 0 on SIGTERM")
    func followsNewRows() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("platform.sqlite")
        let queue = try Self.platform(database)
        try Self.insert((1...5).map { ($0, Self.entry($0)) }, into: queue)
        let data = directory.file("data")
        let child = try LogfoldProcess(
            ["ingest", "--data", data, "--follow", "--poll-interval-ms", "20"] + Self.columns + [database])
        let watcher = JournalWatcher(data: data)
        func head() throws -> UInt64 { try watcher.head() }
        #expect(try eventually(timeout: .seconds(30)) { try head() == 5 })
        try Self.insert((6...9).map { ($0, Self.entry($0)) }, into: queue)
        #expect(try eventually(timeout: .seconds(30)) { try head() == 9 })
        child.send(SIGTERM)
        let result = child.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ingested 9, duplicates 0, rejected 0"), "\(result.stdout)")
    }

    @Test(
        "a followed table's new rows are read when another process commits them, not at the next poll",
        .enabled(if: FollowTests.inotifyWorks, "the follower polls where inotify is not available"))
    func followIsWokenByCommits() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("platform.sqlite")
        let queue = try Self.platform(database)
        try Self.insert((1...2).map { ($0, Self.entry($0)) }, into: queue)
        let data = directory.file("data")
        // An hour between polls: only the notification of the database's write brings the rows in within
        // the test's bounded waits.
        let child = try LogfoldProcess(
            ["ingest", "--data", data, "--follow", "--poll-interval-ms", "3600000"] + Self.columns + [database])
        let watcher = JournalWatcher(data: data)
        #expect(try eventually(timeout: .seconds(30)) { try watcher.head() == 2 })
        try Self.insert((3...4).map { ($0, Self.entry($0)) }, into: queue)
        #expect(try eventually(timeout: .seconds(30)) { try watcher.head() == 4 })
        child.send(SIGTERM)
        let result = child.finish(timeout: .seconds(60))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ingested 4, duplicates 0, rejected 0"), "\(result.stdout)")
    }

    @Test("a table or column that is not there fails before anything is read, naming the columns there are")
    func wrongNames() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("platform.sqlite")
        _ = try Self.platform(database)
        let data = directory.file("data")
        let table = try LogfoldProcess.run(["ingest", "--data", data, "--sqlite-table", "systemlog", database])
        #expect(table.status != 0 && table.stderr.contains("no table or view named systemlog"), "\(table.stderr)")
        let column = try LogfoldProcess.run(["ingest", "--data", data, "--sqlite-table", "system_log", database])
        #expect(column.status != 0, "\(column.stderr)")
        #expect(column.stderr.contains("no column entry; its columns are seq, body; pass --entry-column"))
    }

    @Test("logfold run --sqlite polls the table, projects what it reads, and drains on SIGTERM")
    func daemonPollsTable() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("platform.sqlite")
        let queue = try Self.platform(database)
        try Self.insert((1...4).map { ($0, Self.entry($0, customer: $0 % 2)) }, into: queue)
        let daemon = try RunDaemonTests.Daemon(
            data: directory.file("data"), ["--no-send", "--sqlite", database] + Self.columns)
        #expect(try eventually { try daemon.health()["checkpoint"] == 4 })
        try Self.insert((5...7).map { ($0, Self.entry($0, customer: $0 % 2)) }, into: queue)
        #expect(try eventually { try daemon.health()["checkpoint"] == 7 })
        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ingested 7, duplicates 0, rejected 0"), "\(result.stdout)")

        // Restarted, it polls from where it stopped: the rows before are not read again.
        try Self.insert([(8, Self.entry(8))], into: queue)
        let restarted = try RunDaemonTests.Daemon(
            data: directory.file("data"), ["--no-send", "--sqlite", database] + Self.columns)
        #expect(try eventually { try restarted.health()["checkpoint"] == 8 })
        let second = restarted.stop()
        #expect(second.stdout.contains("ingested 1, duplicates 0, rejected 0"), "\(second.stdout)")
    }
}
