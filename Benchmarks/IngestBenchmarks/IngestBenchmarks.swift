import Benchmark
import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldGenerator
import LogfoldJournal

// Run: LOGFOLD_BENCHMARKS=1 swift package benchmark --target IngestBenchmarks
// Every benchmark works on the same 20,000 realistic generated lines (seed 1), so figures are
// entries per second of the real contract, not of a toy line.

/// 20,000 lines of a one-year medium-company log, held in memory.
let sampleLines: [[UInt8]] = {
    var text: [UInt8] = []
    var configuration = GeneratorConfiguration(seed: 1, customers: 400, days: 365)
    configuration.includeUnknownTypes = false
    _ = SyntheticLog(configuration).write { text.append(contentsOf: $0) }
    return Array(text.split(separator: 0x0A).prefix(20_000).map(Array.init))
}()

/// The same lines in compact form.
let sampleCompact: [[UInt8]] = sampleLines.compactMap { try? EntryParser().parse($0) }.map(
    CompactEntryCodec.encode)

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident]
    let configuration = Benchmark.Configuration(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(10))

    Benchmark("Parse (specialised parser), per 1,000 entries", configuration: configuration) { benchmark in
        let parser = EntryParser()
        let lines = sampleLines
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(try? parser.parse(lines[index]))
            index = index == lines.count - 1 ? 0 : index + 1
        }
    }

    // Issue 13: a 1 MiB line whose `data` has a long key over a long array cost 40 normal lines' time when
    // every nested value built its field path; now paths are built only for a rejection.
    Benchmark(
        "Parse a 0.9 MiB line: a 500 KB key over an array of 100,000 one-element arrays",
        configuration: .init(metrics: metrics, scalingFactor: .one, maxDuration: .seconds(10))
    ) { benchmark in
        let key = String(repeating: "k", count: 500_000)
        let array = Array(repeating: "[1]", count: 100_000).joined(separator: ",")
        let line = Array(
            #"{"id":1,"at":"2020-05-15T13:03:56-04:00","type":"login","data":{"\#(key)":[\#(array)]}}"#.utf8)
        let parser = EntryParser(maximumLineLength: 1 << 21)
        for _ in benchmark.scaledIterations { blackHole(try? parser.parse(line)) }
    }

    Benchmark("Parse with Foundation JSONSerialization (baseline), per 1,000 entries", configuration: configuration) {
        benchmark in
        let lines = sampleLines.map { Data($0) }
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(try? JSONSerialization.jsonObject(with: lines[index]))
            index = index == lines.count - 1 ? 0 : index + 1
        }
    }

    Benchmark(
        "Transcode: parse straight into the compact form (the ingest path), per 1,000 entries",
        configuration: configuration
    ) {
        benchmark in
        let parser = EntryParser()
        let lines = sampleLines
        var workspace = ParseWorkspace()
        var writer = CompactWriter(capacity: 2_048)
        var index = 0
        for _ in benchmark.scaledIterations {
            writer.reset()
            lines[index].withUnsafeBytes { blackHole(try? parser.transcode($0, workspace: &workspace, into: &writer)) }
            index = index == lines.count - 1 ? 0 : index + 1
        }
    }

    Benchmark("Parse to LogEntry + compact encode, per 1,000 entries", configuration: configuration) { benchmark in
        let parser = EntryParser()
        let lines = sampleLines
        var index = 0
        for _ in benchmark.scaledIterations {
            if let entry = try? parser.parse(lines[index]) { blackHole(CompactEntryCodec.encode(entry)) }
            index = index == lines.count - 1 ? 0 : index + 1
        }
    }

    Benchmark("Compact decode (what replay pays), per 1,000 entries", configuration: configuration) { benchmark in
        let compact = sampleCompact
        var index = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try? CompactEntryCodec.decode(compact[index]))
            index = index == compact.count - 1 ? 0 : index + 1
        }
    }

    for durability in [JournalDurability.nosync, .fsync] {
        let name = "Parse + append, \(durability), batches of 2,000, per 1,000 entries"
        Benchmark(name, configuration: configuration) { benchmark in
            let directory = NSTemporaryDirectory() + "logfold-bench-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            guard let journal = try? Journal(directory: directory, configuration: .init(durability: durability)) else {
                return
            }
            let parser = EntryParser()
            let lines = sampleLines
            var batch: [JournalAppend] = []
            var nextID: UInt64 = 1
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let line = lines[Int(nextID % UInt64(lines.count))]
                if let entry = try? parser.parse(line) {
                    // Fresh ids so every append is a real append, never a duplicate.
                    batch.append(
                        JournalAppend(platformID: nextID, entry: line, compact: CompactEntryCodec.encode(entry)))
                }
                nextID += 1
                if batch.count == 2_000 {
                    blackHole(try? journal.append(batch))
                    batch.removeAll(keepingCapacity: true)
                }
            }
            blackHole(try? journal.append(batch))
            benchmark.stopMeasurement()
        }
    }
}
