import LabelBench
import LabelIndex
import LabelQuery

/// Mixed read/write throughput: `readers` threads run the workload's queries round-robin (each a
/// count and a first page) while one thread applies the write mix (each operation and then its
/// inverse, see `WriteBench.toggled`), each write its own transaction, for a fixed time.
struct MixedBench: Sendable {
    let queries: [BenchQuery]
    let prepared: [PreparedQuery]
    let writes: WriteBench
    let readers: Int
    let duration: Duration
    let pageSize: Int

    func runLabelIndex(_ store: LabelStore, as system: BenchReport.System) throws -> BenchReport.MixedResult {
        let prepared = prepared
        let request = QueryRequest(limit: pageSize, includeCount: true, contents: .keys)
        let readerWorkers: [ConcurrentRun.Worker] = (0..<readers).map { reader in
            {
                var next = reader
                return {
                    _ = try store.query(prepared[next % prepared.count], in: .default, request)
                    next += 1
                }
            }
        }
        let writes = writes
        let writer: ConcurrentRun.Worker = {
            var next = 0
            return {
                try writes.applyToLabelIndex(store, writes.toggled(next))
                next += 1
            }
        }
        return try run(system, readerWorkers, writer)
    }

    /// Every thread opens its own connection (SQLite connections are single-threaded; WAL lets
    /// readers run beside the writer).
    func runSQLite(path: String) throws -> BenchReport.MixedResult {
        let queries = queries
        let pageSize = pageSize
        let readerWorkers: [ConcurrentRun.Worker] = (0..<readers).map { reader in
            {
                let connection = try SQLiteBaseline(path: path)
                for query in queries {
                    _ = try connection.count(query)
                    _ = try connection.firstPage(query, limit: pageSize)
                }
                var next = reader
                return {
                    let query = queries[next % queries.count]
                    _ = try connection.count(query)
                    _ = try connection.firstPage(query, limit: pageSize)
                    next += 1
                }
            }
        }
        let writes = writes
        let writer: ConcurrentRun.Worker = {
            let connection = try SQLiteBaseline(path: path)
            var next = 0
            return {
                try writes.applyToSQLite(connection, writes.toggled(next))
                next += 1
            }
        }
        return try run(.sqlite, readerWorkers, writer)
    }

    private func run(
        _ system: BenchReport.System, _ readerWorkers: [ConcurrentRun.Worker], _ writer: @escaping ConcurrentRun.Worker
    ) throws -> BenchReport.MixedResult {
        let workers = writes.operations.isEmpty ? readerWorkers : readerWorkers + [writer]
        let (counts, seconds) = try ConcurrentRun.run(workers, for: duration)
        let queries = counts.prefix(readerWorkers.count).reduce(0, +)
        let writeCount = writes.operations.isEmpty ? 0 : counts.last ?? 0
        return BenchReport.MixedResult(
            system: system, readers: readers, seconds: seconds, queries: queries, writes: writeCount)
    }
}
