import Foundation
package import LogfoldJournal
import LogfoldStore
import Logging
import Synchronization

/// Where a table source resumes: the position committed in the journal with its last batch.
///
/// The position (the last key and a digest of that row's bytes) is written in the journal transaction of
/// the entries it produced, so it never runs ahead of them nor lags behind. It is trusted only while the
/// row under that key has the same bytes: a platform database replaced or restored from a backup, a bad
/// row deleted and its key reused, another table under the same name each fail that check, and the table
/// is read from its first row again (entries already journaled count as duplicates). Nothing is skipped.
///
/// Before positions were kept in the journal they were files under `DATA/sources/`; such a file is read
/// once, with the checks it was written for, and removed: the next commit records the position in the
/// journal.
package struct TablePosition: Sendable {
    /// What the side files of earlier builds held.
    struct Legacy: Codable, Equatable {
        var database: String
        var table: String
        var keyColumn: String
        var after: Int64
        var afterDigest: UInt64
        var journalSeq: UInt64?
    }

    /// The journal's name for `table`'s position: `table DATABASE|TABLE|KEY`.
    package static func name(of table: SourceTable) -> String {
        "table \(URL(fileURLWithPath: table.path).standardizedFileURL.path)|\(table.table)|\(table.keyColumn)"
    }

    /// The side file an earlier build kept `table`'s position in.
    static func legacyPath(of table: SourceTable, in directory: DataDirectory) -> String {
        let database = URL(fileURLWithPath: table.path).standardizedFileURL.path
        let identity = "sqlite|\(database)|\(table.table)|\(table.keyColumn)"
        let safeName = String(
            table.table.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "_" })
        return directory.root + "/sources/table-\(safeName.prefix(40))-\(FNV1a.hex(Array(identity.utf8))).json"
    }

    /// The key to read after: the committed one when its row still holds, else `Int64.min` (the first
    /// row), with a line for the log saying which and why, and whether a position was set aside.
    package static func resumeKey(of table: SourceTable, journal: Journal, directory: DataDirectory?)
        -> (key: Int64, note: String, setAside: Bool)
    {
        let committed: [UInt8]?
        do {
            committed = try journal.position(of: name(of: table))
        } catch {
            return (
                .min,
                "the journal's position of table \(table.table) cannot be read (\(error)): reading it from its first row",
                true
            )
        }
        if let committed {
            guard case .table(let key, let digest)? = SourcePosition(decoding: committed) else {
                return (
                    .min, "the journal's position of table \(table.table) is unreadable: reading it from its first row",
                    true
                )
            }
            if let problem = rowProblem(table, key: key, digest: digest) {
                return (
                    .min,
                    "the committed position of table \(table.table) (after \(table.keyColumn) \(key)) does not hold: "
                        + "\(problem); reading the table from its first row (entries already journaled count as duplicates)",
                    true
                )
            }
            return (key, "resuming table \(table.table) after \(table.keyColumn) \(key)", false)
        }
        guard let directory else {
            return (.min, "no committed position for table \(table.table): reading it from its first row", false)
        }
        return migrate(table, journal: journal, path: legacyPath(of: table, in: directory))
    }

    /// Reads an earlier build's side file once, with its checks, and removes it.
    private static func migrate(_ table: SourceTable, journal: Journal, path: String)
        -> (key: Int64, note: String, setAside: Bool)
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (.min, "no committed position for table \(table.table): reading it from its first row", false)
        }
        // A side file that does not hold is set aside: removed, and the table read from its first row.
        func setAside() { try? FileManager.default.removeItem(atPath: path) }
        let database = URL(fileURLWithPath: table.path).standardizedFileURL.path
        guard let saved = try? JSONDecoder().decode(Legacy.self, from: data), saved.database == database,
            saved.table == table.table, saved.keyColumn == table.keyColumn
        else {
            setAside()
            return (
                .min,
                "the position file \(path) is unreadable or for another table: reading \(table.table) from its first row",
                true
            )
        }
        if let problem = rowProblem(table, key: saved.after, digest: saved.afterDigest) {
            setAside()
            return (
                .min, "the position file \(path) does not hold: \(problem); reading the table from its first row", true
            )
        }
        // The side file could run ahead of a journal restored from a backup: its high-water mark tells.
        if let seq = saved.journalSeq, let head = try? journal.head(), head < seq {
            setAside()
            return (
                .min,
                "the position file \(path) refers to seq \(seq) but the journal ends at seq \(head): reading the table from its first row",
                true
            )
        }
        // Into the journal now, before the side file goes: an idle table may commit no batch for a while.
        let position = JournalSourcePosition(
            source: name(of: table), value: SourcePosition.table(key: saved.after, digest: saved.afterDigest).encoded)
        do {
            _ = try journal.append([], position: position)
        } catch {
            // The side file stays, so the next start migrates it again.
            return (
                saved.after,
                "resuming table \(table.table) after \(table.keyColumn) \(saved.after) from \(path); recording the "
                    + "position in the journal failed (\(error)), so the file stays",
                true
            )
        }
        try? FileManager.default.removeItem(atPath: path)
        return (
            saved.after,
            "resuming table \(table.table) after \(table.keyColumn) \(saved.after) (position migrated from \(path) into the journal)",
            false
        )
    }

    /// Why the row under `key` is not the one read then, or `nil` when it is.
    private static func rowProblem(_ table: SourceTable, key: Int64, digest: UInt64) -> String? {
        guard key > .min else { return "the key is out of range" }
        do {
            guard let row = try table.rows(after: key - 1, limit: 1).first, row.key == key else {
                return "the row with \(table.keyColumn) \(key) is gone from the table"
            }
            guard FNV1a.digest(row.entry) == digest else {
                return "the row with \(table.keyColumn) \(key) is not the one read then"
            }
        } catch {
            return "the row with \(table.keyColumn) \(key) cannot be read (\(error.message))"
        }
        return nil
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
    /// A source over `table` that starts where the last run over it committed, or at its first row, and
    /// commits its position with each batch.
    ///
    /// Unless `fromStart`, it resumes when the committed position still holds (see ``TablePosition``);
    /// `directory` is where an earlier build's side file may wait to be migrated. Which start was taken,
    /// and why, goes to the log.
    package static func resuming(
        _ table: SourceTable, directory: DataDirectory?, journal: Journal, fromStart: Bool, follow: Bool,
        pollInterval: Duration, shouldStop: @escaping @Sendable () -> Bool
    ) -> TableLineSource {
        let logger = Logger(label: "logfold.ingest")
        var startKey = Int64.min
        if fromStart {
            logger.info(
                "table source position",
                metadata: ["table": "\(table.table)", "resume": "from its first row (--from-start)"])
        } else {
            let (key, note, setAside) = TablePosition.resumeKey(of: table, journal: journal, directory: directory)
            startKey = key
            logger.log(
                level: setAside ? .notice : .info, "table source position",
                metadata: ["table": "\(table.table)", "resume": "\(note)"])
        }
        return TableLineSource(
            table: table, follow: follow, pollInterval: pollInterval, startKey: startKey, keepsPosition: true,
            shouldStop: shouldStop)
    }
}
