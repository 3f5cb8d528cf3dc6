import Foundation
package import LogfoldDomain
package import LogfoldJournal
import Synchronization

/// Reads JSON Lines, validates them, and appends them to the journal idempotently by entry id.
///
/// Two stages overlap: the calling thread reads and parses (parsing spread over the cores), a writer
/// thread appends each parsed batch in one journal transaction and records rejections. A bad line is
/// rejected on its own; its neighbours are journaled. A crash loses at most the uncommitted batch,
/// and re-running the same input appends only what is missing.
package final class Ingestor: Sendable {
    private let journal: Journal
    private let options: IngestOptions
    private let rejects: RejectsWriter?
    private let state = Mutex(IngestSummary())
    private let writerFailure = Mutex<EngineError?>(nil)
    private let appended: (@Sendable () -> Void)?

    /// Creates an ingestor writing to `journal` and recording rejections with `rejects`.
    ///
    /// `appended` hears each commit that journaled new entries (the daemon rings its projector's
    /// ``Doorbell`` there).
    package init(
        journal: Journal, options: IngestOptions = IngestOptions(), rejects: RejectsWriter?,
        appended: (@Sendable () -> Void)? = nil
    ) {
        self.journal = journal
        self.options = options
        self.rejects = rejects
        self.appended = appended
    }

    /// The figures so far; safe to read from any thread (progress displays poll it).
    package var summary: IngestSummary { state.withLock { $0 } }

    /// Ingests everything `reader` yields; returns when the input ends (or, following a file, when the
    /// reader's stop condition holds).
    ///
    /// Journal or rejects-file failures stop the run and are thrown; bad lines never do.
    @discardableResult
    package func run(_ reader: some LineSource) throws(EngineError) -> IngestSummary {
        let handOff = HandOff<ParsedBatch>(capacity: 2)
        let finished = DispatchSemaphore(value: 0)
        writerFailure.withLock { $0 = nil }
        let positionName = reader.positionName
        startNamedThread("logfold-journal-writer") { [self] in
            defer { finished.signal() }
            while let batch = handOff.receive() {
                do throws(EngineError) {
                    try commit(batch, positionName: positionName)
                } catch {
                    writerFailure.withLock { $0 = error }
                    handOff.close()
                    return
                }
            }
        }

        var readError: EngineError?
        do throws(EngineError) {
            while let lines = try reader.nextBatch(maximumLines: options.batchSize) {
                let parsed = ParsedBatch.parse(
                    lines, parser: options.parser, parallelism: options.parallelism, sourceName: reader.sourceName)
                if !handOff.send(parsed) { break }
            }
        } catch {
            readError = error
        }
        handOff.close()
        finished.wait()
        if let error = writerFailure.withLock({ $0 }) { throw error }
        if let readError { throw readError }
        var result = summary
        do {
            result.head = try journal.head()
        } catch {
            throw EngineError(.journal, error.description, remedy: "see the journal error above", cause: error)
        }
        state.withLock { $0.head = result.head }
        return result
    }

    /// Parses and appends the lines of one request body (the daemon's HTTP source) in one journal
    /// transaction on the calling thread, records its rejections, and returns what became of it.
    ///
    /// Safe to call from several threads at once, and beside ``run(_:)``: the journal serialises its
    /// write transactions and idempotency by entry id holds across them. When it returns, the batch's
    /// entries are committed with the journal's durability (on disk, with `fsync`).
    package func ingest(_ lines: LineBatch, sourceName: String) throws(EngineError) -> BatchOutcome {
        let parsed = ParsedBatch.parse(
            lines, parser: options.parser, parallelism: options.parallelism, sourceName: sourceName)
        var outcome = try commit(parsed)
        do {
            outcome.head = try journal.head()
        } catch {
            throw EngineError(.journal, error.description, remedy: "see the journal error above", cause: error)
        }
        return outcome
    }

    /// What became of one batch of lines.
    package struct BatchOutcome: Sendable {
        /// Entries appended to the journal.
        package var ingested = 0
        /// Entries already journaled with the same content.
        package var duplicates = 0
        /// The rejected lines, in line order, each with its line number, field, reason and remedy.
        package var rejections: [Rejection] = []
        /// The journal head after the batch's commit.
        package var head: UInt64 = 0
    }

    /// Appends one parsed batch in one journal transaction and records its rejections in line order.
    ///
    /// A source that keeps a position (`positionName`) has it committed in the same transaction, and its
    /// rejections written (and synced) inside it, before the commit: it never reads those lines again, so
    /// their only record must be on disk first. A crash between the two leaves the lines to be read again
    /// and rejected again (a repeated record in the rejects file, nothing lost). Other sources write their
    /// rejections after the commit.
    @discardableResult
    private func commit(_ batch: ParsedBatch, positionName: String? = nil) throws(EngineError) -> BatchOutcome {
        var appends: [JournalAppend] = []
        appends.reserveCapacity(batch.outcomes.count)
        for case .entry(let append, _) in batch.outcomes { appends.append(append) }
        let position = positionName.flatMap { name in
            batch.endPosition.map { JournalSourcePosition(source: name, value: $0.encoded) }
        }
        var settled: Settled?
        var rejectsFailure: EngineError?
        let outcomes: [JournalAppendOutcome]
        do throws(JournalError) {
            outcomes = try journal.append(appends, position: position) { outcomes throws(JournalError) in
                guard position != nil else { return }
                let inside = Self.settle(batch, outcomes)
                do throws(EngineError) {
                    try rejects?.write(inside.rejected, durable: true)
                } catch {
                    rejectsFailure = error
                    throw JournalError(code: .ioError, message: "the batch's rejections could not be recorded")
                }
                settled = inside
            }
        } catch {
            if let rejectsFailure { throw rejectsFailure }
            throw EngineError(
                .journal, "cannot append to the journal at \(journal.directory): \(error.description)",
                remedy: "nothing of this batch was written; fix the cause and re-run (ingest is idempotent)",
                cause: error)
        }
        let result = settled ?? Self.settle(batch, outcomes)
        if position == nil { try rejects?.write(result.rejected, durable: false) }
        if result.ingested > 0 { appended?() }
        EngineMetrics.ingested(
            source: batch.sourceName, appended: result.ingested, duplicates: result.duplicates,
            rejections: result.rejected.map(\.0))
        state.withLock {
            $0.ingested += result.ingested
            $0.duplicates += result.duplicates
            $0.rejected += result.rejected.count
            $0.lines += batch.outcomes.count
            $0.bytes += batch.bytes
        }
        return BatchOutcome(
            ingested: result.ingested, duplicates: result.duplicates, rejections: result.rejected.map(\.0))
    }

    /// What the journal made of a batch: appended and duplicate counts, and every rejection in line
    /// order (the parser's, and ids journaled before with other content).
    private struct Settled {
        var ingested = 0
        var duplicates = 0
        var rejected: [(Rejection, [UInt8])] = []
    }

    private static func settle(_ batch: ParsedBatch, _ outcomes: [JournalAppendOutcome]) -> Settled {
        var settled = Settled()
        var next = 0
        for outcome in batch.outcomes {
            switch outcome {
            case .rejected(let rejection, let raw):
                settled.rejected.append((rejection, raw))
            case .entry(let append, let line):
                switch outcomes[next] {
                case .appended: settled.ingested += 1
                case .duplicate: settled.duplicates += 1
                case .conflict(let seq):
                    var rejection = Rejection(
                        .conflictingDuplicate, field: "id",
                        reason:
                            "entry id \(append.platformID) is already journaled at seq \(seq) with different content",
                        remedy: "the platform must not reuse ids; if the first copy is wrong, fix the source and "
                            + "rebuild the journal from it")
                    rejection.source = batch.sourceName
                    rejection.line = line
                    rejection.entryID = append.platformID
                    settled.rejected.append((rejection, append.entry))
                }
                next += 1
            }
        }
        return settled
    }
}
