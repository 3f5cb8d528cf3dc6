import Foundation
package import LogfoldDomain

/// How an ingest run batches, parses and commits.
package struct IngestOptions: Sendable {
    /// Entries per journal write transaction (group commit): larger batches amortise the fsync.
    package var batchSize: Int
    /// The contract parser and its line-length limit.
    package var parser: EntryParser
    /// Threads that parse in parallel; parsing is the costly stage.
    package var parallelism: Int

    /// Creates options; the defaults suit both a bulk import and a live trickle.
    package init(batchSize: Int = 2_000, parser: EntryParser = EntryParser(), parallelism: Int? = nil) {
        self.batchSize = max(1, batchSize)
        self.parser = parser
        self.parallelism = max(1, parallelism ?? ProcessInfo.processInfo.activeProcessorCount)
    }
}
