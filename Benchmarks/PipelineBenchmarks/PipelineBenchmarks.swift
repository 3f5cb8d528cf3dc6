import Benchmark
import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldGenerator
import LogfoldJournal
import LogfoldStore

// Run: LOGFOLD_BENCHMARKS=1 swift package benchmark --target PipelineBenchmarks
// The stages after ingest, each alone, on the same 20,000 generated entries (seed 1, 400 customers, a
// year): scan the journal, fold, project (fold + commit), read the outbox, render its rows for Klaviyo,
// and plan the requests. Allocation counts (mallocCountTotal) show which stage allocates per entry.

/// One scratch directory for every fixture of this process; ``benchmarks`` removes it in the teardown
/// (nothing cleans `/tmp` by itself: runs left up to 940 MB each behind).
let scratch = NSTemporaryDirectory() + "logfold-pipeline-bench-\(UUID().uuidString)"

/// 20,000 lines of a one-year medium-company log.
let lines: [[UInt8]] = {
    var text: [UInt8] = []
    var configuration = GeneratorConfiguration(seed: 1, customers: 400, days: 365)
    configuration.includeUnknownTypes = false
    _ = SyntheticLog(configuration).write { text.append(contentsOf: $0) }
    return Array(text.split(separator: 0x0A).prefix(20_000).map(Array.init))
}()

/// The lines parsed.
let entries: [LogEntry] = lines.compactMap { try? EntryParser().parse($0) }

/// A journal holding the lines, and a store they were projected into.
let fixture: (journal: Journal, store: StateStore)? = {
    do {
        let journal = try Journal(directory: scratch + "/journal", configuration: .init(durability: .nosync))
        _ = try journal.append(
            zip(lines, entries).map { line, entry in
                JournalAppend(platformID: entry.id, entry: line, compact: CompactEntryCodec.encode(entry))
            })
        let store = try StateStore(path: scratch + "/state.sqlite")
        _ = try Projector(journal: journal, store: store).run()
        return (journal, store)
    } catch {
        print("pipeline benchmarks: the fixture failed: \(error)")
        return nil
    }
}()

/// The fixture's outbox, as the sender reads it.
let pendingRows: [OutboxRowWithStatus] = {
    guard let store = fixture?.store else { return [] }
    return
        (try? store.pendingOutbox(kinds: ["event", "profile", "list_add", "list_remove"], limit: 50_000, after: nil))
        ?? []
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.teardown = { try? FileManager.default.removeItem(atPath: scratch) }
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident]
    let perThousand = Benchmark.Configuration(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(10))
    let perRun = Benchmark.Configuration(metrics: metrics, scalingFactor: .one, maxDuration: .seconds(20))

    Benchmark("Scan: journal records with their compact form decoded, per 1,000 entries", configuration: perThousand) {
        benchmark in
        guard let journal = fixture?.journal else { return }
        var left = benchmark.scaledIterations.count
        benchmark.startMeasurement()
        while left > 0 {
            try? journal.forEach(from: 1) { record in
                blackHole(try? CompactEntryCodec.decode(record.compact))
                left -= 1
                return left > 0
            }
        }
    }

    Benchmark("Fold: Projection.apply (pure), per 1,000 entries", configuration: perThousand) { benchmark in
        var projection = Projection()
        var index = 0
        var seq: UInt64 = 0
        for _ in benchmark.scaledIterations {
            seq += 1
            blackHole(projection.apply(entries[index], seq: seq))
            index = index == entries.count - 1 ? 0 : index + 1
        }
    }

    Benchmark("Project: 20,000 entries folded and committed into a fresh store", configuration: perRun) {
        benchmark in
        guard let journal = fixture?.journal else { return }
        for run in benchmark.scaledIterations {
            let path = scratch + "/project-\(run)-\(UUID().uuidString).sqlite"
            guard let store = try? StateStore(path: path) else { return }
            benchmark.startMeasurement()
            blackHole(try? Projector(journal: journal, store: store).run())
            benchmark.stopMeasurement()
            try? store.close()
            // The store's WAL and shared-memory files too: they are most of its size.
            for file in [path, path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
        }
    }

    Benchmark("Outbox read: pending rows in ordinal order, per 1,000 rows", configuration: perThousand) { benchmark in
        guard let store = fixture?.store else { return }
        var left = benchmark.scaledIterations.count
        while left > 0 {
            let rows = (try? store.pendingOutbox(kinds: ["event"], limit: min(left, 10_000), after: nil)) ?? []
            if rows.isEmpty { return }
            left -= rows.count
            blackHole(rows)
        }
    }

    Benchmark("Render: outbox rows decoded into Klaviyo payloads, per 1,000 rows", configuration: perThousand) {
        benchmark in
        let decoder = OutboxPayloadDecoder(options: SendOptions(), now: 1_767_225_600)
        let rows = pendingRows
        guard !rows.isEmpty else { return }
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(decoder.payload(rows[index].row))
            index = index == rows.count - 1 ? 0 : index + 1
        }
    }

    // A window of many event batches: planning must stay linear in the window (it once copied the rest
    // of the window for every 1,000-event batch).
    Benchmark("Plan: a whole window (every pending row of the fixture, ~21,000), per run", configuration: perRun) {
        benchmark in
        let planner = DeliveryPlanner(options: SendOptions(), now: 1_767_225_600)
        let window = pendingRows
        guard !window.isEmpty else { return }
        for _ in benchmark.scaledIterations { blackHole(planner.plan(window)) }
    }

    Benchmark("Plan: Klaviyo requests for 1,000 pending rows", configuration: perThousand) { benchmark in
        let planner = DeliveryPlanner(options: SendOptions(), now: 1_767_225_600)
        let window = Array(pendingRows.prefix(1_000))
        guard !window.isEmpty else { return }
        for _ in benchmark.scaledIterations.striding(by: window.count) { blackHole(planner.plan(window)) }
    }
}

extension Range where Bound == Int {
    /// Every `step`th index: a benchmark whose one call handles `step` items runs once per `step` iterations.
    fileprivate func striding(by step: Int) -> StrideTo<Int> {
        Swift.stride(from: lowerBound, to: upperBound, by: step)
    }
}
