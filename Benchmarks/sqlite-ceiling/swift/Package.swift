// swift-tools-version:6.1
// The Swift side of the SQLite ceiling benchmark (Benchmarks/sqlite-ceiling/run.sh): LogfoldStore's
// `commit` path with the rows ceiling.c writes. A side package, so the main build never compiles it;
// Sources/LogfoldStore is a symlink to the real module (it imports nothing from LogfoldDomain).
import PackageDescription

let package = Package(
    name: "sqlite-ceiling",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.0.0"),
    ],
    targets: [
        .target(
            name: "LogfoldStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
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
