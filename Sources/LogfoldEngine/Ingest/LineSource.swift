import Foundation
import LogfoldStore

/// Where an ``Ingestor`` reads lines from: a file or stdin (``LineReader``) or a database table
/// (``TableLineSource``).
package protocol LineSource: AnyObject {
    /// The name used in messages and in the rejects file.
    var sourceName: String { get }

    /// The next batch of up to `maximumLines` lines; `nil` when the source has ended.
    func nextBatch(maximumLines: Int) throws(EngineError) -> LineBatch?

    /// The name the source's position is kept under in the journal, committed with each batch it
    /// produced; `nil` for a source read from the top each time (a file given to `ingest`, stdin, HTTP).
    var positionName: String? { get }
}

extension LineReader: LineSource {}

/// The rows of a platform database table as lines, in key order; with `follow`, it keeps polling for
/// new rows until `shouldStop` says so.
///
/// A row's key stands where a file's line number would: rejections and the rejects file name it. It
/// starts after `startKey` (``TableLineSource/resuming(_:directory:journal:fromStart:follow:pollInterval:shouldStop:)``
/// finds the key the last run committed) and, with `keepsPosition`, its position goes into the journal
/// with each batch; without, entries already journaled count as duplicates on the next run.
package final class TableLineSource: LineSource {
    private let table: SourceTable
    private let follow: Bool
    private let pollInterval: Duration
    private let shouldStop: @Sendable () -> Bool
    private let keepsPosition: Bool
    private var lastKey: Int64
    /// Wakes a follower when the database's files are written (``FileChangeWatcher``).
    private var watcher: FileChangeWatcher?

    /// Reads `table` after `startKey` (from the first row by default), committing its position with each
    /// batch when `keepsPosition`; polls it every `pollInterval` when following.
    package init(
        table: SourceTable, follow: Bool = false, pollInterval: Duration = .milliseconds(200),
        startKey: Int64 = .min, keepsPosition: Bool = false,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) {
        self.table = table
        self.follow = follow
        self.pollInterval = pollInterval
        self.shouldStop = shouldStop
        self.keepsPosition = keepsPosition
        lastKey = startKey
        // Watching from before the first read: a commit between a read and the wait after it is waiting
        // in the watcher then, not missed until the next poll.
        if follow { watcher = FileChangeWatcher(writesIn: FileChangeWatcher.directory(of: table.path)) }
    }

    package var positionName: String? { keepsPosition ? TablePosition.name(of: table) : nil }

    /// `sqlite PATH table TABLE`.
    package var sourceName: String { "sqlite \(table.path) table \(table.table)" }

    package func nextBatch(maximumLines: Int) throws(EngineError) -> LineBatch? {
        while true {
            let rows: [(key: Int64, entry: [UInt8])]
            do {
                rows = try table.rows(after: lastKey, limit: maximumLines)
            } catch {
                throw EngineError(
                    .io, "cannot read \(sourceName): \(error.message)",
                    remedy: "check the database and the table; nothing after \(table.keyColumn) \(lastKey) was read",
                    cause: error)
            }
            if let last = rows.last {
                lastKey = last.key
                var batch = LineBatch()
                batch.endPosition = .table(key: last.key, digest: FNV1a.digest(last.entry))
                for row in rows {
                    let lower = batch.storage.count
                    batch.storage.append(contentsOf: row.entry)
                    // Line numbers are Ints; a key is an Int64, the same width here.
                    batch.lines.append(LineBatch.Line(range: lower..<batch.storage.count, number: Int(row.key)))
                }
                return batch
            }
            if !follow || shouldStop() { return nil }
            // Woken when a file beside the database is written (its main file, journal or `-wal`: another
            // process's commit), and looked at every `--poll-interval-ms` at the latest.
            if let watcher {
                watcher.waitForChange(upTo: pollInterval, shouldStop: shouldStop)
            } else {
                Thread.sleep(forTimeInterval: pollInterval.seconds)
            }
            if shouldStop() { return nil }
        }
    }
}
