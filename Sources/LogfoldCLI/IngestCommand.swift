import ArgumentParser
import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldStore
import Logging

/// `logfold ingest [--follow] [--rejects FILE] FILE`.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Append JSON Lines entries to the journal, idempotently by entry id.",
        discussion: """
            Prints `ingested N, duplicates N, rejected N`. A malformed line is written to the rejects file \
            with its line, field and reason, and never stops the stream. `-` reads standard input. With \
            --follow, tails the file (surviving rotation and truncation) until SIGINT/SIGTERM. With \
            --sqlite-table TABLE, FILE is an SQLite database: one JSON entry per row of TABLE, in key order \
            (--key-column, --entry-column), read-only; with --follow it polls for new rows.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Argument(help: "A JSON Lines file, or - for standard input.")
    var file: String

    @Flag(help: "Keep reading as the file grows; survive rotation and truncation; resume where the last run committed.")
    var follow = false

    @Option(help: "Where rejected lines go (JSON Lines). Default: DATA/rejects.jsonl.")
    var rejects: String?

    @Option(help: "Entries per journal transaction (group commit).")
    var batch = 2_000

    @Option(
        help:
            "fsync (default): every commit is on disk when it returns; nosync: faster, a machine crash may lose the last commits."
    )
    var durability: DurabilityChoice = .fsync

    @Option(help: "Reject lines longer than this many bytes.")
    var maxLineBytes = 1 << 20

    @Option(help: "Rotate the rejects file to FILE.1 past this many bytes.")
    var rejectsMaxBytes = Int(RejectsWriter.defaultMaximumBytes)

    @Option(help: "With --follow, the longest wait for new data, in milliseconds (inotify wakes it sooner).")
    var pollIntervalMs = 200

    @Flag(help: "Show progress even when stdout is not a terminal.")
    var progress = false

    @OptionGroup var table: TableSourceOptions

    func validate() throws {
        try validateLineLimit(maxLineBytes)
    }

    func run() throws {
        guard !(follow && file == "-") else {
            throw ValidationError("--follow needs a file; standard input is read until it closes anyway")
        }
        let directory = dataOptions.directory
        let journal = try directory.openJournal(configuration: JournalConfiguration(durability: durability.value))
        let stop = StopSignal()
        if let opened = try table.open(database: file) {
            let source = TableLineSource.resuming(
                opened, directory: directory, journal: journal, fromStart: table.fromStart, follow: follow,
                pollInterval: .milliseconds(pollIntervalMs), shouldStop: { stop.isRequested })
            let ingestor = Ingestor(
                journal: journal,
                options: IngestOptions(batchSize: batch, parser: .init(maximumLineLength: maxLineBytes)),
                rejects: RejectsWriter(
                    path: rejects ?? directory.defaultRejectsPath, maximumBytes: Int64(rejectsMaxBytes)))
            say(try ingestor.run(source).line)
            return
        }
        // A followed file resumes where the journal says the last run committed; a file read once is
        // read whole (entries already journaled count as duplicates).
        let reader =
            follow
            ? try LineReader.following(
                file, journal: journal, pollInterval: .milliseconds(pollIntervalMs),
                maximumLineLength: maxLineBytes, shouldStop: { stop.isRequested })
            : try LineReader(
                source: file == "-" ? .standardInput : .file(file), maximumLineLength: maxLineBytes,
                shouldStop: { stop.isRequested })
        if let note = reader.resumeNote {
            Logger(label: "logfold.ingest").info(
                "followed file position", metadata: ["file": "\(file)", "resume": "\(note)"])
        }
        let ingestor = Ingestor(
            journal: journal,
            options: IngestOptions(batchSize: batch, parser: .init(maximumLineLength: maxLineBytes)),
            rejects: RejectsWriter(
                path: rejects ?? directory.defaultRejectsPath, maximumBytes: Int64(rejectsMaxBytes)))
        let meter = ProgressMeter(enabled: progress || ProgressMeter.standardOutputIsTerminal)
        let total = reader.expectedBytes
        let drawer = ProgressDrawer(meter: meter) {
            let s = ingestor.summary
            return (
                s.ingested + s.duplicates + s.rejected, s.bytes, total, "dup \(s.duplicates) · rej \(s.rejected)"
            )
        }
        drawer.start()
        let summary: IngestSummary
        do {
            summary = try ingestor.run(reader)
        } catch {
            drawer.stop()
            throw error
        }
        drawer.stop()
        say(summary.line)
    }
}

/// The `--durability` values.
enum DurabilityChoice: String, ExpressibleByArgument, CaseIterable {
    case fsync
    case nosync

    var value: JournalDurability { self == .fsync ? .fsync : .nosync }
}

/// `--sqlite-table TABLE [--key-column C] [--entry-column C]`: read entries from a platform database table.
struct TableSourceOptions: ParsableArguments {
    @Option(help: "Read FILE as an SQLite database: one JSON entry per row of this table (or view).")
    var sqliteTable: String?
    @Option(help: "With --sqlite-table: the integer column rows are read in order of.") var keyColumn = "rowid"
    @Option(help: "With --sqlite-table: the column holding each row's JSON entry.") var entryColumn = "entry"
    @Flag(
        help: ArgumentHelp(
            "With --sqlite-table: read the table from its first row, not after the key the last run reached.",
            discussion: "Rows already journaled count as duplicates; use it after rows were changed in place."))
    var fromStart = false

    func validate() throws {
        if fromStart, sqliteTable == nil {
            throw ValidationError("--from-start applies to a table source: add --sqlite-table TABLE, or drop it")
        }
    }

    /// The table over `database`, opened read-only with its names checked; `nil` without --sqlite-table.
    func open(database: String) throws -> SourceTable? {
        guard let sqliteTable else { return nil }
        guard database != "-", FileManager.default.fileExists(atPath: database) else {
            throw ValidationError("--sqlite-table needs an existing SQLite database file, not \(database)")
        }
        return try SourceTable(path: database, table: sqliteTable, keyColumn: keyColumn, entryColumn: entryColumn)
    }
}
