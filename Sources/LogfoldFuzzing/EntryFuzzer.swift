package import LogfoldDomain

/// The seeded mutation harness over the entry parser and the compact decoder (docs/reliability.md).
///
/// Each input is a corpus line (the samples, the rejects, generated logs) under one to four mutations.
/// The invariants, checked on every input:
/// - **accepted ⇒ decodes and folds**: a line the parser accepts transcodes to exactly
///   `CompactEntryCodec.encode(parse(line))`, decodes back to the same entry, and folds into messages
///   with distinct ordinals, at most 65,536 of them;
/// - a rejection names a reason;
/// - the compact form of each accepted line, mutated, either decodes (and then folds) or is refused with
///   an error; it never traps.
///
/// A trap (a crash) ends the process, so a finished run is a run with no crash.
package struct EntryFuzzer {
    /// What a run did.
    package struct Report: Sendable, Hashable, CustomStringConvertible {
        /// Lines given to the parser.
        package var inputs = 0
        /// Lines it accepted (each decoded and folded).
        package var accepted = 0
        /// Lines it rejected.
        package var rejected = 0
        /// Mutated compact forms given to the decoder.
        package var compactInputs = 0
        /// Those it decoded (each folded).
        package var compactDecoded = 0
        /// Messages the folds produced.
        package var messages = 0

        /// One line for logs and the closing note.
        package var description: String {
            "\(inputs) lines (\(accepted) accepted, \(rejected) rejected), \(compactInputs) compact forms "
                + "(\(compactDecoded) decoded), \(messages) messages folded, 0 crashes"
        }
    }

    /// A broken invariant, with the input that breaks it.
    package struct Violation: Error, CustomStringConvertible {
        /// What broke.
        package var reason: String
        /// The input, as given to the parser or decoder.
        package var input: [UInt8]

        /// The reason and the input's bytes in hex.
        package var description: String {
            "\(reason); input (\(input.count) bytes): "
                + input.prefix(512).map { String($0, radix: 16) }.joined(separator: " ")
        }
    }

    private var corpus: [[UInt8]]
    private var mutator: Mutator
    private let parser: EntryParser
    private var projection = EntryFuzzer.foldWithBothDestinations()
    private var compactProjection = Projection()
    private var seq: UInt64 = 0
    private var workspace = ParseWorkspace()
    private var writer = CompactWriter()
    /// Accepted mutants join the corpus (a bounded pool), so mutations compound.
    private var grown: [[UInt8]] = []

    /// The fold of accepted lines: Klaviyo's and ActiveCampaign's mappings both.
    static func foldWithBothDestinations() -> Projection {
        var projection = Projection()
        projection.activeCampaign = ActiveCampaignMapping()
        return projection
    }

    /// Creates a harness over `corpus` (non-empty) drawing from `seed`.
    package init(corpus: [[UInt8]], seed: UInt64, parser: EntryParser = EntryParser()) {
        self.corpus = corpus.isEmpty ? [Array(#"{"id":1,"at":"2020-01-01T00:00:00Z","type":"x"}"#.utf8)] : corpus
        mutator = Mutator(seed: seed)
        self.parser = parser
    }

    /// Runs `inputs` inputs; `progress` hears the report every `every` inputs.
    package mutating func run(
        inputs: Int, every: Int = 100_000, progress: (Report) -> Void = { _ in }
    ) throws(Violation) -> Report {
        var report = Report()
        for index in 0..<inputs {
            let pool = grown.isEmpty || mutator.below(3) > 0 ? corpus : grown
            let base = pool[mutator.below(pool.count)]
            let other = corpus[mutator.below(corpus.count)]
            let line = mutator.mutate(base, other: other, limit: 1 << 16)
            try check(line, &report)
            if (index + 1) % every == 0 { progress(report) }
        }
        return report
    }

    private mutating func check(_ line: [UInt8], _ report: inout Report) throws(Violation) {
        report.inputs += 1
        let entry: LogEntry
        do {
            entry = try parser.parse(line)
        } catch {
            report.rejected += 1
            guard !error.reason.isEmpty else { throw Violation(reason: "a rejection without a reason", input: line) }
            return
        }
        report.accepted += 1
        let compact = CompactEntryCodec.encode(entry)
        writer.reset()
        let transcoded: Bool = line.withUnsafeBytes { bytes in
            (try? parser.transcode(bytes, workspace: &workspace, into: &writer)) == entry.id
        }
        guard transcoded, writer.bytes == compact else {
            throw Violation(reason: "the ingest path's compact form differs from encode(parse(line))", input: line)
        }
        let decoded: LogEntry
        do {
            decoded = try CompactEntryCodec.decode(compact)
        } catch {
            throw Violation(reason: "accepted but its compact form does not decode: \(error)", input: line)
        }
        guard decoded == entry else {
            throw Violation(reason: "the compact form decodes to another entry", input: line)
        }
        try fold(decoded, damaged: false, line, &report)
        if grown.count < 4_096 { grown.append(line) } else { grown[mutator.below(grown.count)] = line }

        report.compactInputs += 1
        let damaged = mutator.mutate(compact, other: [], limit: 1 << 16)
        if let entry = try? CompactEntryCodec.decode(damaged) {
            report.compactDecoded += 1
            try fold(entry, damaged: true, damaged, &report)
        }
    }

    /// Folds `entry` into the projection of accepted lines, or the one of decoded damaged forms.
    private mutating func fold(
        _ entry: LogEntry, damaged: Bool, _ input: [UInt8], _ report: inout Report
    ) throws(Violation) {
        seq += 1
        // A fresh fold now and then keeps memory flat over millions of inputs.
        if seq % 20_000 == 0 {
            projection = Self.foldWithBothDestinations()
            compactProjection = Projection()
        }
        let messages =
            damaged ? compactProjection.apply(entry, seq: seq) : projection.apply(entry, seq: seq)
        report.messages += messages.count
        guard messages.count <= 1 << 16 else {
            throw Violation(reason: "\(messages.count) messages from one entry", input: input)
        }
        guard Set(messages.map(\.ordinal)).count == messages.count else {
            throw Violation(reason: "two messages of one entry share an ordinal", input: input)
        }
        let activeCampaign = damaged ? [] : projection.takeActiveCampaignMessages()
        guard Set(activeCampaign.map(\.key)).count == activeCampaign.count,
            Set(activeCampaign.map(\.ordinal)).count == activeCampaign.count
        else {
            throw Violation(reason: "two ActiveCampaign messages of one entry share a key or an ordinal", input: input)
        }
    }
}
