import Foundation
package import LogfoldJournal
package import LogfoldStore
import Logging
import Synchronization

/// Where a table source stopped, kept in `DATA/sources/` so that the next run reads only newer rows.
///
/// It is saved after each batch the journal committed, never before, so it can lag the journal (the next
/// run meets a few rows again, as duplicates) but never run ahead of it. A saved position is trusted only
/// if the last journaled row it names is still in the table under its key, with the bytes the journal
/// holds for that entry id. A platform database restored from a backup or replaced, a different table
/// under the same name, or a journal that lost its last commits (`--durability nosync` and a machine
/// crash) all fail that check, and the table is read from its first row again: nothing is skipped.
package final class TablePosition: Sendable {
    /// What is saved: the table's identity, the last key handled, and the row that proves it.
    struct Saved: Codable, Equatable {
        var database: String
        var table: String
        var keyColumn: String
        /// Every row with a key up to this one was journaled or rejected.
        var after: Int64
        /// The last journaled row at or before `after`, and its entry id.
        var checkKey: Int64?
        var checkID: UInt64?
    }

    /// The position file.
    package let path: String
    private let database: String
    private let table: String
    private let keyColumn: String
    private let logger = Logger(label: "logfold.ingest")
    private let lastCheck = Mutex<(key: Int64, id: UInt64)?>(nil)
    private let saveFailed = Atomic<Bool>(false)

    /// The position of `table` in data directory `directory`: one file per database, table and key column.
    package init(directory: DataDirectory, table: SourceTable) {
        database = URL(fileURLWithPath: table.path).standardizedFileURL.path
        self.table = table.table
        keyColumn = table.keyColumn
        let identity = "sqlite|\(database)|\(table.table)|\(table.keyColumn)"
        let safeName = String(
            table.table.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "_" })
        path = directory.root + "/sources/table-\(safeName.prefix(40))-\(Self.fnv1a(identity)).json"
    }

    /// The key to read after: the saved one when the check holds, else `Int64.min` (the first row), with
    /// a line for the log saying which and why.
    package func resumeKey(in source: SourceTable, journal: Journal) -> (key: Int64, note: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (.min, "no saved position for table \(table): reading it from its first row")
        }
        guard let saved = try? JSONDecoder().decode(Saved.self, from: data),
            saved.database == database, saved.table == table, saved.keyColumn == keyColumn
        else {
            return (
                .min,
                "the position file \(path) is unreadable or for another table: reading \(table) from its first row"
            )
        }
        guard let checkKey = saved.checkKey, let checkID = saved.checkID else {
            return (.min, "no journaled row yet in table \(table): reading it from its first row")
        }
        if let problem = mismatch(checkKey: checkKey, checkID: checkID, in: source, journal: journal) {
            return (
                .min,
                "the saved position of table \(table) (after \(keyColumn) \(saved.after)) does not hold: \(problem); "
                    + "reading the table from its first row (entries already journaled count as duplicates)"
            )
        }
        lastCheck.withLock { $0 = (checkKey, checkID) }
        return (saved.after, "resuming table \(table) after \(keyColumn) \(saved.after)")
    }

    /// Why the row at `checkKey` does not prove the position, or `nil` when it does.
    private func mismatch(checkKey: Int64, checkID: UInt64, in source: SourceTable, journal: Journal) -> String? {
        guard checkKey > .min else { return "the check key is out of range" }
        let row: [UInt8]
        do {
            guard let found = try source.rows(after: checkKey - 1, limit: 1).first, found.key == checkKey else {
                return "the row with \(keyColumn) \(checkKey) is gone from the table"
            }
            row = found.entry
        } catch {
            return "the row with \(keyColumn) \(checkKey) cannot be read (\(error.message))"
        }
        do {
            guard let seq = try journal.seq(forPlatformID: checkID), let record = try journal.record(at: seq) else {
                return "entry id \(checkID) (\(keyColumn) \(checkKey)) is not in the journal"
            }
            return record.entry == row
                ? nil : "the row with \(keyColumn) \(checkKey) differs from entry \(checkID) in the journal"
        } catch {
            return "the journal cannot be read (\(error.description))"
        }
    }

    /// Saves the position after a committed batch (on the journal writer's thread).
    ///
    /// A failure to save loses nothing, so it is logged once, not thrown: the next run reads more rows again.
    func save(_ committed: CommittedLines) {
        guard let lastLine = committed.lastLine else { return }
        let check = lastCheck.withLock { last in
            if let entry = committed.lastEntry { last = (Int64(entry.line), entry.platformID) }
            return last
        }
        let saved = Saved(
            database: database, table: table, keyColumn: keyColumn, after: Int64(lastLine), checkKey: check?.key,
            checkID: check?.id)
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
                    "cannot save the position of table \(table) in \(path): \(reason); the next run reads the table from its first row again (nothing is lost); check the directory"
                )
            }
        }
    }

    /// FNV-1a, 64 bits, in hex: a stable file name for an identity (never Swift's seeded `Hasher`).
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
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
            let (key, note) = position.resumeKey(in: table, journal: journal)
            startKey = key
            logger.log(level: key == .min && !note.hasPrefix("no ") ? .notice : .info, "\(note)")
        }
        return TableLineSource(
            table: table, follow: follow, pollInterval: pollInterval, startKey: startKey, position: position,
            shouldStop: shouldStop)
    }
}
