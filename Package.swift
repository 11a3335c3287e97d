// swift-tools-version:6.1
import PackageDescription

// Layers, bottom up; dependencies point one way:
//   CLMDB, CRoaring (system C libraries)
//   LMDB, Roaring            thin Swift bindings
//   LabelIndex               the storage engine (what an embedder needs)
//   LabelQuery               the query language: grammar, planner, executor
//   LabelCommands            every mutation as a command: codec, deterministic apply, group commit
//   LabelFormats             text on the wire and in files: UTF-8, JSON (values, parser, writer), timestamps
//   LabelInterchange         NDJSON/CSV import and export
//   LabelServer              the HTTP server (Hummingbird), three label APIs + query endpoints
//   LabelCluster             replication through an ordered log in etcd (cluster mode)
//   LabelCommandLine         what the executables share: console, formatting, options, exit codes
//   labelindex               the command-line tool (links no SQLite)
//   LabelBench               benchmark workloads, SQLite baseline, in-memory floor
//   labelindex-bench         the benchmark suite (not a product; `swift run labelindex-bench`)
//   LabelTestSupport         what the test targets share (Tests/Support)
// The embeddable product (LabelIndex + LabelQuery + LabelCommands) pulls in no server or benchmark package.
let package = Package(
    name: "LabelIndex",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "LabelIndex", targets: ["LabelIndex", "LabelQuery", "LabelCommands"]),
        .library(name: "LabelInterchange", targets: ["LabelInterchange"]),
        .library(name: "LabelServer", targets: ["LabelServer"]),
        // The benchmark workload, SQLite baseline and in-memory floor, for the micro-benchmark
        // package in Benchmarks/ only (a separate package can reach a target only through a product).
        .library(name: "LabelBenchmarkSupport", targets: ["LabelBench"]),
        .executable(name: "labelindex", targets: ["labelindex"]),
    ],
    dependencies: [
        .package(
            url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // System libraries (Debian packages).
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CRoaring", providers: [.apt(["libroaring-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "LMDB", dependencies: ["CLMDB"]),
        .target(name: "Roaring", dependencies: ["CRoaring"]),
        .target(name: "LabelIndex", dependencies: ["LMDB", "Roaring"]),
        .target(name: "LabelQuery", dependencies: ["LabelIndex", "Roaring"]),
        .target(name: "LabelCommands", dependencies: ["LabelIndex", "LabelQuery", "Roaring"]),
        .target(name: "LabelFormats"),
        .target(
            name: "LabelInterchange", dependencies: ["LabelIndex", "LabelFormats"], exclude: ["LabelInterchange.docc"]),
        .target(
            name: "LabelServer",
            dependencies: [
                "LabelIndex", "LabelQuery", "LabelCommands", "LabelFormats", "Roaring",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/openapi.json")]),
        .target(
            name: "LabelCluster",
            dependencies: [
                "LabelIndex", "LabelCommands", "LabelFormats", "LabelServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(name: "LabelBench", dependencies: ["Roaring", "CSQLite"]),
        .target(
            name: "LabelCommandLine",
            dependencies: [
                "LabelIndex", "LabelQuery", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "labelindex",
            dependencies: [
                "LabelIndex", "LabelQuery", "LabelCommands", "LabelFormats", "LabelInterchange", "LabelServer",
                "LabelCluster", "LabelCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "labelindex-bench",
            dependencies: [
                "LMDB", "LabelIndex", "LabelQuery", "LabelInterchange", "LabelBench", "LabelCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "LMDBTests", dependencies: ["LMDB"]),
        .testTarget(name: "RoaringTests", dependencies: ["Roaring"]),
        .testTarget(
            name: "LabelIndexTests",
            dependencies: ["LabelIndex", "Roaring", "LabelTestSupport", "labelindex-crash-writer"]),
        .executableTarget(name: "labelindex-crash-writer", dependencies: ["LabelIndex"], path: "Tests/CrashWriter"),
        .testTarget(
            name: "LabelQueryTests", dependencies: ["LabelQuery", "LabelIndex", "Roaring", "LabelTestSupport"]),
        .testTarget(
            name: "LabelCommandsTests",
            dependencies: [
                "LabelCommands", "LabelIndex", "LabelQuery", "LabelInterchange", "Roaring", "LabelTestSupport",
            ]),
        .testTarget(
            name: "LabelInterchangeTests",
            dependencies: ["LabelInterchange", "LabelIndex", "LabelFormats", "LabelTestSupport"]),
        .testTarget(name: "LabelBenchTests", dependencies: ["LabelBench"]),
        .testTarget(
            name: "LabelServerTests",
            dependencies: [
                "LabelServer", "LabelIndex", "LabelQuery", "LabelCommands", "LabelFormats", "LabelTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "LabelTestSupport",
            dependencies: [
                "LabelIndex", "LabelBench",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/Support"),
        .testTarget(
            name: "LabelClusterTests",
            dependencies: [
                "LabelTestSupport", "LabelCluster", "LabelCommands", "LabelFormats", "LabelIndex", "LabelInterchange", "LabelServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "labelindex", "labelindex-bench", "LabelFormats", "LabelIndex", "LabelBench", "LabelTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
    ]
)
