// Engine and query micro-benchmarks on the seeded workload (1M assets, ~8M pairs, ~2,000
// labels with Zipf-like popularity). Every query shape is measured on LabelIndex and, in the
// same run, on plain in-memory CRoaring bitmaps over the same sets (the floor), so results
// read as ratios. The SQLite comparison lives in `labelindex-bench run`.

import Benchmark
import Foundation
import LabelBench
import LabelIndex
import LabelQuery

/// The store and the floor, built once per benchmark process.
final class Fixture: @unchecked Sendable {
    let workload: Workload
    let store: LabelStore
    let floor: MemoryFloor
    let queries: [BenchQuery]
    let path: String

    nonisolated(unsafe) static var shared: Fixture!

    init() throws {
        var spec = WorkloadSpec()
        spec.assets = Int(ProcessInfo.processInfo.environment["LABELINDEX_BENCH_ASSETS"] ?? "") ?? 1_000_000
        // Built in locals: a closure may not capture `self` before every member is set.
        let workload = try Workload.generate(spec)
        path = FileManager.default.temporaryDirectory.appendingPathComponent("labelindex-bench-\(getpid())").path
        var options = LabelStore.Options()
        options.durability = .noSync
        let store = try LabelStore(path: path, options: options)
        try store.write { writer in
            let loader = try writer.bulkLoader(for: .default)
            let ids = try workload.labels.map { try loader.labelID(named: $0.name) }
            for asset in workload.assets {
                try loader.add(
                    .id(asset.id), AssetAttributes(name: asset.name), labels: asset.labels.map { (ids[$0], nil) })
            }
            try loader.finish()
        }
        self.workload = workload
        self.store = store
        floor = MemoryFloor(workload)
        queries = workload.queries()
    }
}

nonisolated(unsafe) let benchmarks = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput], warmupIterations: 10, maxDuration: .seconds(2))
    Benchmark.setup = { Fixture.shared = try Fixture() }
    Benchmark.teardown = { try? FileManager.default.removeItem(atPath: Fixture.shared.path) }

    Benchmark("engine: add then remove one label (no fsync)") { benchmark in
        let fixture = Fixture.shared!
        let operations = fixture.workload.writeOperations
        for iteration in benchmark.scaledIterations {
            let operation = operations[iteration % operations.count]
            let name = fixture.workload.labels[operation.label].name
            try fixture.store.write {
                try $0.namespace(.default).apply(.append([LabelAssignment(name)]), to: .id(operation.assetID))
            }
            try fixture.store.write { try $0.namespace(.default).apply(.remove([name]), to: .id(operation.assetID)) }
        }
    }

    Benchmark("engine: read one asset's labels (own transaction)") { benchmark in
        let fixture = Fixture.shared!
        for iteration in benchmark.scaledIterations {
            let id = fixture.workload.assets[iteration % fixture.workload.assets.count].id
            blackHole(try fixture.store.read { try $0.namespace(.default)?.labels(of: .id(id)) })
        }
    }

    Benchmark("engine: read one asset's labels (in an open snapshot)") { benchmark in
        let fixture = Fixture.shared!
        try fixture.store.read { snapshot in
            let namespace = try snapshot.namespace(.default)!
            for iteration in benchmark.scaledIterations {
                let id = fixture.workload.assets[iteration % fixture.workload.assets.count].id
                blackHole(try namespace.labels(of: .id(id)))
            }
        }
    }

    Benchmark("engine: read a popular label's postings into one bitmap") { benchmark in
        let fixture = Fixture.shared!
        let name = fixture.workload.labels[fixture.workload.labels(in: .popular)[0]].name
        for _ in benchmark.scaledIterations {
            blackHole(
                try fixture.store.read { snapshot in
                    let ns = try snapshot.namespace(.default)!
                    return try ns.postings(of: .label(try ns.labelID(named: name)!))
                })
        }
    }

    // Parsing must stay linear in the input: compare the two (10× the ids → ~10× the time).
    for count in [10_000, 100_000] {
        Benchmark("parse: asset list of \(count) ids") { benchmark in
            let text = "asset:" + (0..<count).map(String.init).joined(separator: ",")
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try QueryParser().parse(text)) }
        }
    }

    for shape in QueryShape.allCases {
        Benchmark("query count: \(shape.rawValue)") { benchmark in
            let fixture = Fixture.shared!
            let query = try PreparedQuery(fixture.queries.first { $0.shape == shape }!.text)
            let request = QueryRequest(limit: 0, includeCount: true, contents: .ordinals)
            for _ in benchmark.scaledIterations { blackHole(try fixture.store.query(query, in: .default, request)) }
        }
        Benchmark("floor count: \(shape.rawValue)") { benchmark in
            let fixture = Fixture.shared!
            let query = fixture.queries.first { $0.shape == shape }!
            for _ in benchmark.scaledIterations { blackHole(fixture.floor.count(query)) }
        }
        Benchmark("query first page: \(shape.rawValue)") { benchmark in
            let fixture = Fixture.shared!
            let query = try PreparedQuery(fixture.queries.first { $0.shape == shape }!.text)
            let request = QueryRequest(limit: 100, includeCount: false, contents: .ordinals)
            for _ in benchmark.scaledIterations { blackHole(try fixture.store.query(query, in: .default, request)) }
        }
    }
}
