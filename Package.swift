// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Strict settings shared by every target: Swift 6 language mode is the package default; these add
/// upcoming features that the codebase already satisfies so new code cannot regress them.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

var package = Package(
    name: "logfold",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "logfold", targets: ["LogfoldCLI"]),
        .executable(name: "logfold-fuzz", targets: ["LogfoldFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.100.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            path: "Sources/CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(name: "LogfoldDomain", swiftSettings: strictSettings),
        .target(name: "CCRC32C"),
        .target(name: "CSHA256"),
        // SQLite's process-wide settings that only C can make (sqlite3_config is variadic).
        .target(name: "CSQLiteTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "LogfoldCrashPoints", swiftSettings: strictSettings),
        .target(
            name: "LogfoldJournal", dependencies: ["CLMDB", "CCRC32C", "LogfoldCrashPoints"],
            swiftSettings: strictSettings),
        .target(name: "LogfoldGenerator", swiftSettings: strictSettings),
        .target(
            name: "LogfoldStore",
            dependencies: [
                "LogfoldDomain", "LogfoldCrashPoints", "CSHA256", "CSQLiteTuning",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LogfoldTransport",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LogfoldKlaviyo",
            dependencies: [
                "LogfoldDomain", "LogfoldTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LogfoldActiveCampaign",
            dependencies: ["LogfoldDomain", "LogfoldTransport"],
            swiftSettings: strictSettings),
        .target(
            name: "LogfoldSandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LogfoldEngine",
            dependencies: [
                "LogfoldDomain", "LogfoldJournal", "LogfoldGenerator", "LogfoldStore", "LogfoldKlaviyo",
                "LogfoldCrashPoints", "LogfoldActiveCampaign",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                // The table-poll source reads the platform's own SQLite database.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LogfoldDaemon",
            dependencies: [
                "LogfoldEngine", "LogfoldDomain", "LogfoldJournal", "LogfoldStore", "LogfoldActiveCampaign",
                "LogfoldTransport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "LogfoldCLI",
            dependencies: [
                "LogfoldEngine", "LogfoldDomain", "LogfoldJournal", "LogfoldGenerator", "LogfoldStore",
                "LogfoldKlaviyo", "LogfoldSandbox", "LogfoldDaemon", "LogfoldActiveCampaign",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "LogfoldTestSupport", swiftSettings: strictSettings),
        .target(
            name: "LogfoldFuzzing", dependencies: ["LogfoldDomain", "LogfoldGenerator"], swiftSettings: strictSettings),
        .executableTarget(name: "LogfoldFuzz", dependencies: ["LogfoldFuzzing"], swiftSettings: strictSettings),
        .testTarget(
            name: "LogfoldDomainTests", dependencies: ["LogfoldDomain", "LogfoldFuzzing", "LogfoldGenerator"],
            swiftSettings: strictSettings),
        .testTarget(name: "LogfoldJournalTests", dependencies: ["LogfoldJournal"], swiftSettings: strictSettings),
        .testTarget(
            name: "LogfoldStoreTests",
            dependencies: ["LogfoldStore", "LogfoldDomain", "LogfoldTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LogfoldGeneratorTests",
            dependencies: ["LogfoldGenerator", "LogfoldDomain"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LogfoldKlaviyoTests",
            dependencies: ["LogfoldKlaviyo", "LogfoldDomain", "LogfoldTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LogfoldActiveCampaignTests",
            dependencies: ["LogfoldActiveCampaign", "LogfoldDomain", "LogfoldTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LogfoldSandboxTests",
            dependencies: [
                "LogfoldSandbox", "LogfoldTestSupport", "LogfoldActiveCampaign", "LogfoldKlaviyo", "LogfoldDomain",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LogfoldDaemonTests",
            dependencies: [
                "LogfoldDaemon", "LogfoldEngine", "LogfoldJournal", "LogfoldKlaviyo", "LogfoldSandbox", "LogfoldStore",
                "LogfoldTestSupport", "LogfoldTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LogfoldEngineTests",
            // Depends on the executable so `swift build --build-tests` produces the `logfold` binary the
            // crash tests spawn and kill.
            dependencies: [
                "LogfoldEngine", "LogfoldDomain", "LogfoldJournal", "LogfoldGenerator", "LogfoldCLI",
                "LogfoldTestSupport",
                // To write the platform databases the table-poll source reads.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)

// Benchmarks join the manifest only on request, so the normal build never compiles package-benchmark
// (the same switch Hummingbird uses). `LOGFOLD_BENCHMARKS=1 swift package benchmark`.
if ProcessInfo.processInfo.environment["LOGFOLD_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"])
    )
    package.targets.append(
        .executableTarget(
            name: "IngestBenchmarks",
            dependencies: [
                "LogfoldDomain", "LogfoldJournal", "LogfoldGenerator", "LogfoldEngine",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/IngestBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
    package.targets.append(
        .executableTarget(
            name: "PipelineBenchmarks",
            dependencies: [
                "LogfoldDomain", "LogfoldJournal", "LogfoldGenerator", "LogfoldEngine", "LogfoldStore",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PipelineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}
