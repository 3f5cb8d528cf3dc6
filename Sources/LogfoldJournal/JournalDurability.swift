/// How hard a commit works to reach the disk before `append` returns.
///
/// The choice trades crash safety for throughput; it is fixed when the journal is opened.
package enum JournalDurability: Sendable, Hashable {
    /// Every commit is fsync'ed before `append` returns (LMDB's default). A committed batch survives
    /// power loss.
    case fsync
    /// Commits go to the OS page cache only (`MDB_NOSYNC | MDB_NOMETASYNC`). A process crash loses
    /// nothing, a power loss may lose the last batches (never corrupt older ones); call
    /// ``Journal/sync()`` to force a flush at a checkpoint.
    case nosync
}
