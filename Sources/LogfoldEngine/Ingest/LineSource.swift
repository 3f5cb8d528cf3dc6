import Foundation
package import LogfoldStore

/// Where an ``Ingestor`` reads lines from: a file or stdin (``LineReader``) or a database table
/// (``TableLineSource``).
package protocol LineSource: AnyObject {
    /// The name used in messages and in the rejects file.
    var sourceName: String { get }

    /// The next batch of up to `maximumLines` lines; `nil` when the source has ended.
    func nextBatch(maximumLines: Int) throws(EngineError) -> LineBatch?

    /// Hears each batch of this source once the journal has committed it, on the journal writer's
    /// thread: a source that keeps its position across runs saves it there. `nil` for the others.
    var onCommit: (@Sendable (CommittedLines) -> Void)? { get }
}

extension LineSource {
    /// Sources keep no position across runs unless they say otherwise.
    package var onCommit: (@Sendable (CommittedLines) -> Void)? { nil }
}

/// A source's position after a batch: the key of its last row and a digest of that row's bytes.
package struct SourcePosition: Sendable, Equatable {
    /// The last key read.
    package var key: Int64
    /// FNV-1a (64 bits) of the row's bytes as read, so a later run can tell the same row from another
    /// that took its key.
    package var digest: UInt64
}

/// What a committed batch covered, for sources that keep a position.
package struct CommittedLines: Sendable {
    /// The source's position after the batch.
    package var position: SourcePosition?
    /// The highest journal seq an entry of the batch was appended under or found at.
    package var highestSeq: UInt64?
}

extension LineReader: LineSource {}

/// The rows of a platform database table as lines, in key order; with `follow`, it keeps polling for
/// new rows until `shouldStop` says so.
///
/// A row's key stands where a file's line number would: rejections and the rejects file name it. With a
/// ``TablePosition`` it starts after the key the last run reached (when that still holds) and saves its
/// own as batches commit; without one, it reads from the first row, and entries already journaled count
/// as duplicates (a lookup each).
package final class TableLineSource: LineSource {
    private let table: SourceTable
    private let follow: Bool
    private let pollInterval: Duration
    private let shouldStop: @Sendable () -> Bool
    private let position: TablePosition?
    private var lastKey: Int64

    /// Reads `table` after `startKey` (from the first row by default), saving progress to `position`;
    /// polls it every `pollInterval` when following.
    package init(
        table: SourceTable, follow: Bool = false, pollInterval: Duration = .milliseconds(200),
        startKey: Int64 = .min, position: TablePosition? = nil,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) {
        self.table = table
        self.follow = follow
        self.pollInterval = pollInterval
        self.shouldStop = shouldStop
        self.position = position
        lastKey = startKey
    }

    package var onCommit: (@Sendable (CommittedLines) -> Void)? {
        guard let position else { return nil }
        return { position.save($0) }
    }

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
                batch.endPosition = SourcePosition(key: last.key, digest: FNV1a.digest(last.entry))
                for row in rows {
                    let lower = batch.storage.count
                    batch.storage.append(contentsOf: row.entry)
                    // Line numbers are Ints; a key is an Int64, the same width here.
                    batch.lines.append(LineBatch.Line(range: lower..<batch.storage.count, number: Int(row.key)))
                }
                return batch
            }
            if !follow || shouldStop() { return nil }
            Thread.sleep(forTimeInterval: pollInterval.seconds)
            if shouldStop() { return nil }
        }
    }
}
