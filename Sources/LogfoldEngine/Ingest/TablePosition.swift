import Foundation
package import LogfoldJournal
package import LogfoldStore
import Logging
import Synchronization

/// Where a table source stopped, kept in `DATA/sources/` so that the next run reads only newer rows.
///
/// It is saved after each batch the journal committed (and the batch's rejections were synced to the
/// rejects file), never before, so it can lag (the next run meets a few rows again, as duplicates) but
/// never run ahead. A saved position is trusted only if two things still hold: the row under the last
/// key read has the same bytes (a digest), and the journal still holds every entry those batches were
/// journaled as (its head has not gone below the highest seq they referred to). A platform database
/// replaced or restored from a backup, a bad row deleted and its key reused, another table under the same
/// name, or a journal restored from a backup or short of its last commits (`--durability nosync` and a
/// machine crash): each fails one check, and the table is read from its first row again. Nothing is
/// skipped.
package final class TablePosition: Sendable {
    /// What is saved: the table's identity, the last row read, and the journal's high-water mark.
    struct Saved: Codable, Equatable {
        var database: String
        var table: String
        var keyColumn: String
        /// Every row with a key up to this one was journaled or rejected.
        var after: Int64
        /// ``FNV1a`` of the bytes of the row with key `after`.
        var afterDigest: UInt64
        /// The highest journal seq any entry read so far was appended under or found at.
        var journalSeq: UInt64?
    }

    /// The position file.
    package let path: String
    private let database: String
    private let table: String
    private let keyColumn: String
    private let logger = Logger(label: "logfold.ingest")
    private let highestSeq = Mutex<UInt64?>(nil)
    private let saveFailed = Atomic<Bool>(false)

    /// The position of `table` in data directory `directory`: one file per database, table and key column.
    package init(directory: DataDirectory, table: SourceTable) {
        database = URL(fileURLWithPath: table.path).standardizedFileURL.path
        self.table = table.table
        keyColumn = table.keyColumn
        let identity = "sqlite|\(database)|\(table.table)|\(table.keyColumn)"
        let safeName = String(
            table.table.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "_" })
        path = directory.root + "/sources/table-\(safeName.prefix(40))-\(FNV1a.hex(Array(identity.utf8))).json"
    }

    /// The key to read after: the saved one when both checks hold, else `Int64.min` (the first row),
    /// with a line for the log saying which and why, and whether a saved position was set aside (an
    /// operator wants to know that).
    package func resumeKey(in source: SourceTable, journal: Journal) -> (key: Int64, note: String, setAside: Bool) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (.min, "no saved position for table \(table): reading it from its first row", false)
        }
        guard let saved = try? JSONDecoder().decode(Saved.self, from: data),
            saved.database == database, saved.table == table, saved.keyColumn == keyColumn
        else {
            return (
                .min,
                "the position file \(path) is unreadable or for another table: reading \(table) from its first row",
                true
            )
        }
        if let problem = mismatch(saved, in: source, journal: journal) {
            return (
                .min,
                "the saved position of table \(table) (after \(keyColumn) \(saved.after)) does not hold: \(problem); "
                    + "reading the table from its first row (entries already journaled count as duplicates)",
                true
            )
        }
        highestSeq.withLock { $0 = saved.journalSeq }
        return (saved.after, "resuming table \(table) after \(keyColumn) \(saved.after)", false)
    }

    /// Why `saved` no longer describes the table and the journal, or `nil` when it does.
    private func mismatch(_ saved: Saved, in source: SourceTable, journal: Journal) -> String? {
        guard saved.after > .min else { return "the key is out of range" }
        do {
            guard let row = try source.rows(after: saved.after - 1, limit: 1).first, row.key == saved.after else {
                return "the row with \(keyColumn) \(saved.after) is gone from the table"
            }
            guard FNV1a.digest(row.entry) == saved.afterDigest else {
                return "the row with \(keyColumn) \(saved.after) is not the one read then"
            }
        } catch {
            return "the row with \(keyColumn) \(saved.after) cannot be read (\(error.message))"
        }
        guard let journalSeq = saved.journalSeq else { return nil }
        do {
            let head = try journal.head()
            if head < journalSeq {
                return
                    "the journal ends at seq \(head), before seq \(journalSeq) that rows of the table were journaled as"
            }
        } catch {
            return "the journal cannot be read (\(error.description))"
        }
        return nil
    }

    /// Saves the position after a committed batch (on the journal writer's thread).
    ///
    /// A failure to save loses nothing, so it is logged once, not thrown: the next run resumes from the
    /// last position saved (or the first row), meeting rows again as duplicates.
    func save(_ committed: CommittedLines) {
        guard let position = committed.position else { return }
        let seq = highestSeq.withLock { highest in
            if let batch = committed.highestSeq { highest = max(highest ?? batch, batch) }
            return highest
        }
        let saved = Saved(
            database: database, table: table, keyColumn: keyColumn, after: position.key,
            afterDigest: position.digest, journalSeq: seq)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try encoder.encode(saved).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            if !saveFailed.exchange(true, ordering: .relaxed) {
                let reason = error.localizedDescription
                logger.warning(
                    "cannot save the position of table \(table) in \(path): \(reason); the next run resumes from the last position saved (or the first row), meeting rows again as duplicates; check the directory"
                )
            }
        }
    }
}

/// FNV-1a, 64 bits: a stable digest for positions and file names (never Swift's per-process `Hasher`).
enum FNV1a {
    static func digest(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The digest in 16 hex digits.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = String(digest(bytes), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension TableLineSource {
    /// A source over `table` that starts where the last run over it stopped, or at its first row.
    ///
    /// It resumes when the saved position still holds (see ``TablePosition``) unless `fromStart`; either
    /// way it saves its position in `directory` as batches commit. Which start was taken, and why, goes to
    /// the log.
    package static func resuming(
        _ table: SourceTable, directory: DataDirectory, journal: Journal, fromStart: Bool, follow: Bool,
        pollInterval: Duration, shouldStop: @escaping @Sendable () -> Bool
    ) -> TableLineSource {
        let position = TablePosition(directory: directory, table: table)
        let logger = Logger(label: "logfold.ingest")
        var startKey = Int64.min
        if fromStart {
            logger.info("reading table \(table.table) from its first row (--from-start)")
        } else {
            let (key, note, setAside) = position.resumeKey(in: table, journal: journal)
            startKey = key
            logger.log(level: setAside ? .notice : .info, "\(note)")
        }
        return TableLineSource(
            table: table, follow: follow, pollInterval: pollInterval, startKey: startKey, position: position,
            shouldStop: shouldStop)
    }
}
