import ArgumentParser
import Foundation
import LogfoldEngine
import LogfoldGenerator

/// `logfold generate [--seed N] [--customers N] [--days N] [--out FILE]`.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic synthetic platform log; identical arguments give an identical file.",
        discussion: "20,000 customers over 365 days is about 2.5 million entries (see docs/generator.md)."
    )

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "The random seed.") var seed: UInt64 = 1
    @Option(help: "Customers over the whole period.") var customers = 20_000
    @Option(help: "Days of history.") var days = 365
    @Option(help: "Write here instead of standard output.") var out: String?
    @Flag(help: "Also emit a few entries of a type no mapping knows.") var unknownTypes = false

    func validate() throws {
        guard customers > 0 else { throw ValidationError("--customers must be positive") }
        guard days > 0 else { throw ValidationError("--days must be positive") }
    }

    func run() throws {
        let configuration = GeneratorConfiguration(
            seed: seed, customers: customers, days: days, includeUnknownTypes: unknownTypes)
        let output: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil) else {
                throw EngineError(.io, "cannot create \(out)", remedy: "check the directory exists and is writable")
            }
            guard let handle = FileHandle(forWritingAtPath: out) else {
                throw EngineError(.io, "cannot open \(out) for writing", remedy: "check its permissions")
            }
            output = handle
        } else {
            output = FileHandle.standardOutput
        }
        let summary = try SyntheticLog(configuration).write { chunk in
            try output.write(contentsOf: Data(chunk))
        }
        if out != nil {
            try output.close()
            FileHandle.standardError.write(
                Data("generated \(summary.entries) entries, \(summary.bytes) bytes\n".utf8))
        }
    }
}
