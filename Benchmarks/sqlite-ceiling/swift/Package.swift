// swift-tools-version:6.1
// The Swift side of the SQLite ceiling benchmark (Benchmarks/sqlite-ceiling/run.sh): LogfoldStore's
// `commit` path with the rows ceiling.c writes. A side package, so the main build never compiles it;
// Sources/LogfoldStore, CSHA256 and LogfoldCrashPoints are symlinks to the real modules.
import PackageDescription

let package = Package(
    name: "sqlite-ceiling",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0")],
    targets: [
        .target(name: "CSHA256", path: "Sources/CSHA256"),
        .target(
            name: "LogfoldCrashPoints", path: "Sources/LogfoldCrashPoints",
            swiftSettings: [.enableUpcomingFeature("InternalImportsByDefault")]),
        .target(
            name: "LogfoldStore",
            dependencies: [
                "CSHA256", "LogfoldCrashPoints",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/LogfoldStore",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
        .executableTarget(
            name: "StoreCommitBenchmark",
            dependencies: ["LogfoldStore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/StoreCommitBenchmark"
        ),
    ]
)
