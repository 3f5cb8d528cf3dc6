import Foundation
import LogfoldFuzzing

// `logfold-fuzz [--inputs N] [--seed S] [--journal DIR]`: the long mode of the fuzzing harness
// (scripts/harness). Exit 0 when every input kept the invariants; 1 with the input that broke one.
var inputs = 10_000_000
var seed: UInt64 = 1
var journal = "Journal"
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("logfold-fuzz: \(flag) needs a value\n".utf8))
        exit(64)
    }
    switch flag {
    case "--inputs": inputs = Int(value) ?? inputs
    case "--seed": seed = UInt64(value) ?? seed
    case "--journal": journal = value
    default:
        FileHandle.standardError.write(
            Data("logfold-fuzz: unknown flag \(flag); use --inputs, --seed, --journal\n".utf8))
        exit(64)
    }
}
let corpus = FuzzCorpus.load(directories: [journal + "/samples", journal + "/rejects"])
print("corpus: \(corpus.count) lines; seed \(seed); \(inputs) inputs")
var fuzzer = EntryFuzzer(corpus: corpus, seed: seed)
let started = ContinuousClock.now
do {
    let report = try fuzzer.run(inputs: inputs, every: 1_000_000) { print("  \($0)") }
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("done: \(report) in \(String(format: "%.1f", seconds)) s")
} catch {
    FileHandle.standardError.write(Data("logfold-fuzz: invariant broken: \(error)\n".utf8))
    exit(1)
}
