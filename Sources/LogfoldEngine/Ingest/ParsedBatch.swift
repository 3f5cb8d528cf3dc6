import Dispatch
import LogfoldDomain
import LogfoldJournal

/// A batch of lines after parsing: each line is either an entry ready for the journal or a rejection.
struct ParsedBatch: Sendable {
    enum Outcome: Sendable {
        case entry(JournalAppend, line: Int)
        case rejected(Rejection, raw: [UInt8])
    }

    var outcomes: [Outcome]
    var bytes: Int64
    var sourceName: String
    /// The source's position after these lines (``LineBatch/endPosition``).
    var endPosition: SourcePosition?

    /// Parses every line of `batch`, spreading the work over `parallelism` threads; the order of the
    /// outcomes is the order of the lines, whatever thread parsed them.
    static func parse(
        _ batch: LineBatch, parser: EntryParser, parallelism: Int, sourceName: String
    ) -> ParsedBatch {
        let count = batch.lines.count
        let results = UnsafeMutableBufferPointer<Outcome?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        // More slices than cores: `concurrentPerform` hands them out as threads free up, so a parser thread
        // preempted by the journal writer does not leave the other core idle at the join.
        let slices = count < 64 ? 1 : min(parallelism * 8, count / 32)
        batch.storage.withUnsafeBytes { buffer in
            // The slices write disjoint elements of `results` and only read `storage`, so sharing the
            // raw pointers across the worker threads is race-free.
            let shared = UncheckedSendable((results: results, storage: buffer))
            let parseSlice: @Sendable (Int) -> Void = { slice in
                let (results, storage) = shared.value
                let lower = count * slice / slices
                let upper = count * (slice + 1) / slices
                var workspace = ParseWorkspace()
                var writer = CompactWriter(capacity: 1_024)
                for i in lower..<upper {
                    let line = batch.lines[i]
                    let bytes = UnsafeRawBufferPointer(rebasing: storage[line.range])
                    if let oversize = line.oversize {
                        results[i] = .rejected(
                            Self.oversized(
                                oversize, limit: parser.maximumLineLength, line: line.number, in: sourceName),
                            raw: Array(bytes))
                        continue
                    }
                    do throws(Rejection) {
                        writer.reset()
                        let id = try parser.transcode(bytes, workspace: &workspace, into: &writer)
                        results[i] = .entry(
                            JournalAppend(platformID: id, entry: Array(bytes), compact: writer.bytes), line: line.number
                        )
                    } catch {
                        var rejection = error
                        rejection.source = sourceName
                        rejection.line = line.number
                        results[i] = .rejected(rejection, raw: Array(bytes))
                    }
                }
            }
            if slices == 1 {
                parseSlice(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: slices, execute: parseSlice)
            }
        }
        return ParsedBatch(
            outcomes: results.compactMap { $0 }, bytes: Int64(batch.storage.count), sourceName: sourceName,
            endPosition: batch.endPosition)
    }
}

extension ParsedBatch {
    /// The rejection of a line longer than the limit, which the reader did not hold (only its prefix).
    static func oversized(_ oversize: LineBatch.Oversize, limit: Int, line: Int, in source: String) -> Rejection {
        var rejection = Rejection(
            .tooLong, field: nil, reason: "the line is \(oversize.length) bytes, more than the limit of \(limit)",
            remedy: "check that entries are separated by newlines, or raise --max-line-bytes")
        rejection.source = source
        rejection.line = line
        rejection.lineLength = oversize.length
        rejection.lineChecksum = oversize.checksum
        return rejection
    }
}

/// Carries pointers into `concurrentPerform`, whose workers touch disjoint parts of them.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    // @unchecked: each worker writes only its own slots; `concurrentPerform` returns after all are done.
    let value: Value
    init(_ value: Value) { self.value = value }
}
