import Foundation

/// Where a source stands after a batch, committed in the journal with the batch's entries
/// (``Journal/append(_:position:beforeCommit:)``), so a restart resumes exactly there.
package enum SourcePosition: Sendable, Equatable, Codable {
    /// A table: the last key read and FNV-1a of that row's bytes, so a later run can tell the same row
    /// from another that took its key (a database replaced or restored).
    case table(key: Int64, digest: UInt64)
    /// A followed file.
    case file(FilePosition)

    /// The bytes kept in the journal: sorted-key JSON, readable with `mdb_dump`.
    package var encoded: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map(Array.init) ?? []
    }

    /// The position `bytes` encode, or `nil` when they are not one this build reads.
    package init?(decoding bytes: [UInt8]) {
        guard let decoded = try? JSONDecoder().decode(Self.self, from: Data(bytes)) else { return nil }
        self = decoded
    }
}

/// A followed file's position: which file (device, inode and a digest of its first bytes, so that a
/// rotation, a truncation or a copy-truncate is told from the same file grown), where the next
/// unread line starts, and that line's number.
package struct FilePosition: Sendable, Equatable, Codable {
    package var device: UInt64
    package var inode: UInt64
    /// The byte offset after the last complete line handed out.
    package var offset: Int64
    /// The number the next line gets (rejections name lines by number).
    package var nextLine: Int
    /// How many of the file's first bytes ``headDigest`` covers (up to 4 KiB).
    package var headLength: Int
    /// FNV-1a of the file's first ``headLength`` bytes.
    package var headDigest: UInt64
}
