internal import Foundation
internal import LogfoldGenerator

/// The lines a fuzzing run starts from.
package enum FuzzCorpus {
    /// Every line of every `.jsonl` file in `directories` (the samples and the rejects under `Journal/`),
    /// plus a generated log's lines (every entry type, with unknown types) for breadth.
    package static func load(directories: [String], generatedSeed: UInt64 = 1) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name.hasSuffix(".jsonl") {
                guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
                lines += data.split(separator: 0x0A).map(Array.init)
            }
        }
        var generated: [UInt8] = []
        let configuration = GeneratorConfiguration(
            seed: generatedSeed, customers: 40, days: 30, includeUnknownTypes: true)
        _ = SyntheticLog(configuration).write { generated.append(contentsOf: $0) }
        lines += generated.split(separator: 0x0A).map(Array.init)
        return lines
    }
}
