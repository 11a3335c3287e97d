import Foundation
import LabelBench
import LabelCommandLine
import LabelIndex
import LabelInterchange
import LabelQuery

/// `bench run`: loads one workload into LabelIndex (through the importer, from the NDJSON files,
/// into a fresh durable store), SQLite and the in-memory floor, checks that they agree on every
/// query, then measures query latency per shape, single-label write latency and mixed
/// read/write throughput.
struct BenchRunner {
    struct Settings {
        var directory: URL
        var readers: Int
        var repeatCount: Int
        var secondsPerMeasurement: Double
        var writeOperations: Int
        var mixedSeconds: Double
        var pageSize = 100
    }

    let settings: Settings

    func run() throws -> BenchReport {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "labelindex-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        step("reading the workload in \(settings.directory.path)")
        let workload = try Workload.load(from: settings.directory)
        let queries = workload.queries()
        let prepared = try queries.map { try PreparedQuery($0.text) }

        step(
            "loading LabelIndex from \(WorkloadFile.labels.rawValue) and \(WorkloadFile.assets.rawValue) (durable store)"
        )
        let (durable, labelIndexLoad) = try loadLabelIndex(into: scratch.appending(path: "labelindex").path)
        // A compacted copy taken before any write, so the no-sync store starts from the same state.
        let noSyncPath = scratch.appending(path: "labelindex-nosync").path
        try durable.backup(to: noSyncPath)
        var noSyncOptions = LabelStore.Options()
        noSyncOptions.durability = .noSync
        let noSync = try LabelStore(path: noSyncPath, options: noSyncOptions)
        let writeMapPath = scratch.appending(path: "labelindex-writemap").path
        try durable.backup(to: writeMapPath)
        var writeMapOptions = noSyncOptions
        writeMapOptions.writeMap = true
        let writeMap = try LabelStore(path: writeMapPath, options: writeMapOptions)

        step("loading SQLite")
        let sqlitePath = scratch.appending(path: "sqlite.db").path
        let sqlite = try SQLiteBaseline(path: sqlitePath)
        let sqliteReport = try sqlite.load(workload)
        let sqliteLoad = BenchReport.Load(
            system: .sqlite, seconds: Self.seconds(sqliteReport.duration), databaseBytes: sqliteReport.databaseBytes,
            source: "the workload in memory (prepared inserts, one transaction, ANALYZE)")

        step("building the in-memory floor")
        let floor = MemoryFloor(workload)

        step("checking that the systems agree on all \(queries.count) queries")
        let answers = try zip(queries, prepared).map { query, compiled in
            QueryAnswers(
                query: query,
                counts: [
                    .labelIndex: try labelIndexCount(durable, compiled), .sqlite: try sqlite.count(query),
                    .floor: floor.count(query),
                ],
                firstPages: [
                    .labelIndex: try labelIndexPage(durable, compiled),
                    .sqlite: try sqlite.firstPage(query, limit: settings.pageSize).map { UInt32($0) },
                    .floor: floor.firstPage(query, limit: settings.pageSize),
                ])
        }
        try ResultCheck.requireAgreement(answers)

        let sampler = Sampler(repeatCount: settings.repeatCount, budget: .seconds(settings.secondsPerMeasurement))
        var shapes: [BenchReport.ShapeResult] = []
        for (index, (query, compiled)) in zip(queries, prepared).enumerated() {
            step("measuring \(query.id) (\(index + 1)/\(queries.count))")
            func latency(count: () throws -> some Any, page: () throws -> some Any) throws -> BenchReport.QueryLatency {
                BenchReport.QueryLatency(
                    count: .init(try sampler.measure(count)), firstPage: .init(try sampler.measure(page)))
            }
            shapes.append(
                BenchReport.ShapeResult(
                    shape: query.id, query: query.text, count: answers[index].counts[.labelIndex] ?? 0,
                    latencies: [
                        BenchReport.System.labelIndex.rawValue: try latency(
                            count: { try labelIndexCount(durable, compiled) },
                            page: { try labelIndexPage(durable, compiled) }),
                        BenchReport.System.sqlite.rawValue: try latency(
                            count: { try sqlite.count(query) },
                            page: { try sqlite.firstPage(query, limit: settings.pageSize) }),
                        BenchReport.System.floor.rawValue: try latency(
                            count: { floor.count(query) }, page: { floor.firstPage(query, limit: settings.pageSize) }),
                    ]))
        }

        let operations = Array(workload.writeOperations.prefix(settings.writeOperations))
        let writes = WriteBench(workload: workload, operations: operations)
        step("measuring \(operations.count) single add/remove writes on each system")
        var writeResults: [BenchReport.WriteResult] = []
        for (system, store) in [
            (BenchReport.System.labelIndex, durable), (.labelIndexNoSync, noSync), (.labelIndexWriteMap, writeMap),
        ] {
            if let result = try writes.measure(system, { try writes.applyToLabelIndex(store, $0) }) {
                writeResults.append(result)
            }
        }
        if let result = try writes.measure(.sqlite, { try writes.applyToSQLite(sqlite, $0) }) {
            writeResults.append(result)
        }

        step(
            "measuring mixed throughput: \(settings.readers) readers and 1 writer, \(settings.mixedSeconds) s per system"
        )
        let mixedBench = MixedBench(
            queries: queries, prepared: prepared, writes: writes, readers: settings.readers,
            duration: .milliseconds(Int(settings.mixedSeconds * 1000)), pageSize: settings.pageSize)
        let mixed = [
            try mixedBench.runLabelIndex(durable, as: .labelIndex),
            try mixedBench.runLabelIndex(noSync, as: .labelIndexNoSync),
            try mixedBench.runLabelIndex(writeMap, as: .labelIndexWriteMap),
            try mixedBench.runSQLite(path: sqlitePath),
        ]

        return BenchReport(
            workload: .init(
                directory: settings.directory.path, assets: workload.assets.count, labels: workload.labels.count,
                pairs: workload.pairCount, seed: workload.spec.seed),
            settings: .init(
                readers: settings.readers, repeatCount: settings.repeatCount,
                secondsPerMeasurement: settings.secondsPerMeasurement, writeOperations: operations.count,
                mixedSeconds: settings.mixedSeconds, pageSize: settings.pageSize,
                processors: ProcessInfo.processInfo.activeProcessorCount, date: Date()),
            loads: [labelIndexLoad, sqliteLoad], shapes: shapes, writes: writeResults, mixed: mixed)
    }

    private func loadLabelIndex(into path: String) throws -> (LabelStore, BenchReport.Load) {
        let store = try LabelStore(path: path)
        let files = [WorkloadFile.labels, .assets].map { settings.directory.appending(path: $0.rawValue).path }
        let report = try Importer(store: store).importFiles(files)
        guard report.badLines == 0 else {
            let first = report.errors.first.map { ": \($0)" } ?? ""
            throw CommandFailure.badInput("the workload has \(report.badLines) bad lines\(first)")
        }
        let bytes = try store.read { try $0.statistics().fileBytes }
        return (
            store,
            BenchReport.Load(
                system: .labelIndex, seconds: report.seconds, databaseBytes: Int64(bytes),
                source: "the NDJSON files (parsing included, durable commit)")
        )
    }

    private func labelIndexCount(_ store: LabelStore, _ query: PreparedQuery) throws -> Int {
        try store.query(query, in: .default, QueryRequest(limit: 0, includeCount: true, contents: .ordinals)).count
            ?? 0
    }

    /// A first page as a caller gets it: the assets' ids (keys), not just their ordinals; the
    /// ordinals are returned for the cross-check with the other systems.
    private func labelIndexPage(_ store: LabelStore, _ query: PreparedQuery) throws -> [UInt32] {
        try store.query(
            query, in: .default, QueryRequest(limit: settings.pageSize, includeCount: false, contents: .keys)
        ).ordinals.map(\.rawValue)
    }

    private func step(_ message: String) { Console.error("bench: \(message)") }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
