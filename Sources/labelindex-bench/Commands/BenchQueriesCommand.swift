import ArgumentParser
import Foundation
import LabelBench
import LabelCommandLine
import LabelIndex
import LabelQuery

struct BenchQueriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queries",
        abstract: "Run a file of queries on the store and print results and latencies.",
        discussion: """
            Reads `ID<TAB>QUERY` lines (the format of a workload's queries.tsv; blank lines and \
            lines starting with # are skipped). For each query it prints the count, the first \
            100 asset ids in result order, and the median and p99 of three timings, each one \
            call of `LabelStore.query` in its own read transaction, measured in-process as an \
            embedding program gets it:
              count_ns        the exact count alone (no page);
              ids_page_ns     the first page of 100 asset ids (keys), no count;
              assets_page_ns  the first page of 100 full assets (key, name, type, timestamps, \
            metadata, labels in order with weights), no count.
            With --json, each timing is an object with `median` and `p99` (nanoseconds), plus \
            `mean` and `iterations`.

            Example:
              labelindex-bench queries --queries /tmp/wl/queries.tsv --repeat 50 --json
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Option(help: "The file of ID<TAB>QUERY lines.", completion: .file(extensions: ["tsv"]))
    var queries: String

    @Option(name: .customLong("repeat"), help: "Calls timed per measurement.")
    var repeatCount: Int = 20

    @Flag(help: "Print JSON.")
    var json = false

    static let pageSize = 100

    struct Line {
        var number: Int
        var id: String
        var text: String
    }

    func validate() throws {
        guard repeatCount > 0 else { throw ValidationError("--repeat must be positive.") }
    }

    func run() throws {
        let lines = try readLines()
        let compiled = try lines.map { line in
            try QueryParsing.prepare(line.text, location: "\(queries):\(line.number): query \(line.id):")
        }
        let labelStore = try store.openExisting()
        let sampler = Sampler(
            repeatCount: repeatCount, budget: .seconds(3600), warmUp: 1, minimumIterations: repeatCount)
        let countRequest = QueryRequest(limit: 0, includeCount: true, contents: .ordinals)
        let idsRequest = QueryRequest(limit: Self.pageSize, includeCount: false, contents: .keys)
        let assetsRequest = QueryRequest(limit: Self.pageSize, includeCount: false, contents: .assets)
        var results: [QueryRun] = []
        for (line, query) in zip(lines, compiled) {
            let namespace = namespace.namespace
            let count = try labelStore.query(query, in: namespace, countRequest).count ?? 0
            let page = try labelStore.query(query, in: namespace, idsRequest)
            let assets = try labelStore.query(query, in: namespace, assetsRequest).assets.map(\.key)
            guard assets == page.keys else {
                throw CommandFailure(
                    .inconsistent, "error: query \(line.id): the page of ids and the page of assets differ")
            }
            results.append(
                QueryRun(
                    id: line.id, query: line.text, count: count, ids: page.keys.map { AssetIDOutput($0) },
                    countTime: .init(try sampler.measure { try labelStore.query(query, in: namespace, countRequest) }),
                    idsPageTime: .init(try sampler.measure { try labelStore.query(query, in: namespace, idsRequest) }),
                    assetsPageTime: .init(
                        try sampler.measure { try labelStore.query(query, in: namespace, assetsRequest) }),
                    warnings: page.warnings.map { $0.description }))
        }
        if json {
            try JSONPrinting.print(results)
        } else {
            printText(results)
        }
    }

    private func readLines() throws -> [Line] {
        let lines = try TabSeparatedLines.read(queries).map { number, content in
            guard let tab = content.firstIndex(of: "\t") else {
                throw CommandFailure.badInput("\(queries):\(number): expected ID<TAB>QUERY")
            }
            return Line(
                number: number, id: String(content[..<tab]), text: String(content[content.index(after: tab)...]))
        }
        guard !lines.isEmpty else { throw CommandFailure.badInput("\(queries) holds no queries") }
        return lines
    }

    private func printText(_ results: [QueryRun]) {
        var table = Table([
            .init("id"), .init("count", .right), .init("count median", .right), .init("count p99", .right),
            .init("ids page median", .right), .init("ids page p99", .right), .init("assets page median", .right),
            .init("assets page p99", .right),
        ])
        for result in results {
            table.append(
                [result.id, Formatting.count(result.count)]
                    + [result.countTime, result.idsPageTime, result.assetsPageTime].flatMap { latency in
                        [Formatting.nanoseconds(latency.median), Formatting.nanoseconds(Double(latency.p99))]
                    })
        }
        var lines = [table.rendered, ""]
        for result in results {
            for warning in result.warnings { Console.error("warning: \(result.id): \(warning)") }
            lines.append("\(result.id)\t\(result.query)")
            lines.append("  first \(result.ids.count) ids: " + result.ids.map(\.key.description).joined(separator: " "))
        }
        Console.output(lines.joined(separator: "\n"))
    }
}

/// One query of `bench queries`, as `--json` prints it; the timings' names carry their unit
/// (nanoseconds), as external harnesses read them.
struct QueryRun: Encodable {
    var id: String
    var query: String
    var count: Int
    var ids: [AssetIDOutput]
    var countTime: BenchReport.Latency
    var idsPageTime: BenchReport.Latency
    var assetsPageTime: BenchReport.Latency
    var warnings: [String]

    private enum CodingKeys: String, CodingKey {
        case id, query, count, ids, warnings
        case countTime = "count_ns"
        case idsPageTime = "ids_page_ns"
        case assetsPageTime = "assets_page_ns"
    }
}
