/// What `append` did with one entry of a batch.
///
/// Re-ingesting a file is expected, so already-journaled ids are outcomes rather than errors; only the
/// caller knows whether a conflict should reject the entry or stop the ingest.
package enum JournalAppendOutcome: Sendable, Hashable {
    /// The entry is new and was stored under `seq`.
    case appended(seq: UInt64)
    /// The platform id is already journaled under `seq` with a byte-identical compact form; nothing
    /// was written.
    case duplicate(seq: UInt64)
    /// The platform id is already journaled under `seq` with a different compact form; nothing was
    /// written and the caller should reject the entry.
    case conflict(seq: UInt64)

    /// The sequence number the outcome refers to (new or existing).
    package var seq: UInt64 {
        switch self {
        case .appended(let seq), .duplicate(let seq), .conflict(let seq): seq
        }
    }
}
