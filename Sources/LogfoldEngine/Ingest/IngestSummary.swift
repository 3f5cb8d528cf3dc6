/// What an ingest run did, in the figures the CLI prints and tests assert.
package struct IngestSummary: Sendable, Hashable {
    /// Entries appended to the journal.
    package var ingested = 0
    /// Entries whose id was already journaled with the same content.
    package var duplicates = 0
    /// Lines rejected (malformed, invalid, or a duplicate id with different content).
    package var rejected = 0
    /// Non-blank lines read.
    package var lines = 0
    /// Input bytes consumed.
    package var bytes: Int64 = 0
    /// The journal head after the run.
    package var head: UInt64 = 0

    /// Creates an empty summary.
    package init() {}

    /// The contract's summary line: `ingested N, duplicates N, rejected N`.
    package var line: String { "ingested \(ingested), duplicates \(duplicates), rejected \(rejected)" }
}
