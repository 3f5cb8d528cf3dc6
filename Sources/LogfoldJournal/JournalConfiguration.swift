/// How a journal is opened: durability, memory-map sizing and reader slots.
///
/// Every field has a production default, so `JournalConfiguration()` is a complete configuration;
/// tests shrink the map to exercise growth.
package struct JournalConfiguration: Sendable, Hashable {
    /// Whether each commit is fsync'ed; see ``JournalDurability``.
    package var durability: JournalDurability
    /// The map size, in bytes, a new journal starts with (an existing journal keeps its own larger
    /// size).
    ///
    /// The map doubles by itself when full, so this only sets the first step.
    package var initialMapSize: Int
    /// The largest the map may grow to, in bytes; `nil` means no cap other than the disk and the
    /// address space.
    ///
    /// When reached, `append` throws ``JournalError/Code/mapFull``.
    package var maximumMapSize: Int?
    /// How many concurrent read transactions LMDB allows across every process using the journal.
    package var maxReaders: Int

    /// Creates a configuration; the defaults suit production (fsync, 256 MiB initial map, no cap,
    /// LMDB's default 126 readers).
    package init(
        durability: JournalDurability = .fsync,
        initialMapSize: Int = 256 << 20,
        maximumMapSize: Int? = nil,
        maxReaders: Int = 126
    ) {
        self.durability = durability
        self.initialMapSize = initialMapSize
        self.maximumMapSize = maximumMapSize
        self.maxReaders = maxReaders
    }
}
