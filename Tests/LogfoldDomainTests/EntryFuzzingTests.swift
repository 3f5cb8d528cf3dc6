import Foundation
import LogfoldDomain
import LogfoldFuzzing
import Testing

/// The fuzzing harness's CI share: seeded mutations of the `Journal/` corpus through the parser and the
/// compact decoder (`logfold-fuzz` runs ten million in the long mode, scripts/harness).
@Suite struct EntryFuzzingTests {
    static let journal = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Journal").path

    @Test("20,000 mutated lines: accepted ⇒ transcodes, decodes and folds; mutated compact forms never trap")
    func mutations() throws {
        let corpus = FuzzCorpus.load(directories: [Self.journal + "/samples", Self.journal + "/rejects"])
        #expect(corpus.count > 500, "the corpus is missing: \(corpus.count) lines from \(Self.journal)")
        var fuzzer = EntryFuzzer(corpus: corpus, seed: 2_026)
        let report: EntryFuzzer.Report
        do {
            report = try fuzzer.run(inputs: 20_000)
        } catch {
            Issue.record("\(error)")
            return
        }
        // Both sides of every check were reached: a harness that rejects everything proves nothing.
        #expect(report.accepted > 1_000 && report.rejected > 1_000, "\(report)")
        #expect(report.compactDecoded > 0 && report.compactDecoded < report.compactInputs, "\(report)")
        #expect(report.messages > 0, "\(report)")
        print("fuzzing harness: \(report)")
    }

    @Test("the same seed gives the same inputs and the same report")
    func reproducible() throws {
        let corpus = [
            Array(#"{"id":1,"at":"2020-01-01T00:00:00Z","type":"customer.updated","customer":{"id":"1"}}"#.utf8)
        ]
        var a = EntryFuzzer(corpus: corpus, seed: 9)
        var b = EntryFuzzer(corpus: corpus, seed: 9)
        #expect(try a.run(inputs: 2_000) == (try b.run(inputs: 2_000)))
    }
}
