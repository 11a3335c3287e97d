// swift-tools-version:6.1
// Micro-benchmarks for the engine and the query language (ordo-one/benchmark), kept in their
// own package so the library's dependency graph and its CI build never include them.
//   cd Benchmarks && swift package benchmark                 (all)
//   cd Benchmarks && swift package benchmark --filter 'count' (some)
// LABELINDEX_BENCH_ASSETS (default 1,000,000) sets the size of the seeded workload.
import PackageDescription

let package = Package(
    name: "LabelIndexBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "LabelIndex", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "LabelIndexBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LabelIndex", package: "LabelIndex"),
                .product(name: "LabelBenchmarkSupport", package: "LabelIndex"),
            ],
            path: "Benchmarks/LabelIndexBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
