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
            100 asset ids in result order, and the median and p99 latency of the count and of \
            the first page (with the assets read, as the ids need), measured in-process.

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
        let countRequest = QueryRequest(limit: 0, includeCount: true, includeAssets: false)
        let pageRequest = QueryRequest(limit: Self.pageSize, includeCount: false, includeAssets: true)
        var results: [QueryRun] = []
        for (line, query) in zip(lines, compiled) {
            let count = try labelStore.query(query, in: namespace.namespace, countRequest).count ?? 0
            let page = try labelStore.query(query, in: namespace.namespace, pageRequest)
            let countLatency = try sampler.measure {
                try labelStore.query(query, in: namespace.namespace, countRequest)
            }
            let pageLatency = try sampler.measure { try labelStore.query(query, in: namespace.namespace, pageRequest) }
            results.append(
                QueryRun(
                    id: line.id, query: line.text, count: count, ids: page.assets.map { AssetIDOutput($0.key) },
                    countLatency: .init(countLatency), firstPageLatency: .init(pageLatency),
                    warnings: page.warnings.map { $0.description }))
        }
        if json {
            try JSONPrinting.print(results)
        } else {
            printText(results)
        }
    }

    private func readLines() throws -> [Line] {
        let text: String
        do { text = try String(contentsOfFile: queries, encoding: .utf8) } catch {
            throw CommandFailure.badInput("cannot read \(queries): \(error.localizedDescription)")
        }
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if content.trimmingCharacters(in: .whitespaces).isEmpty || content.hasPrefix("#") { continue }
            guard let tab = content.firstIndex(of: "\t") else {
                throw CommandFailure.badInput("\(queries):\(index + 1): expected ID<TAB>QUERY")
            }
            lines.append(
                Line(
                    number: index + 1, id: String(content[..<tab]), text: String(content[content.index(after: tab)...]))
            )
        }
        guard !lines.isEmpty else { throw CommandFailure.badInput("\(queries) holds no queries") }
        return lines
    }

    private func printText(_ results: [QueryRun]) {
        var table = Table([
            .init("id"), .init("count", .right), .init("count median", .right), .init("count p99", .right),
            .init("page median", .right), .init("page p99", .right),
        ])
        for result in results {
            table.append([
                result.id, Formatting.count(result.count), Formatting.nanoseconds(result.countLatency.median),
                Formatting.nanoseconds(Double(result.countLatency.p99)),
                Formatting.nanoseconds(result.firstPageLatency.median),
                Formatting.nanoseconds(Double(result.firstPageLatency.p99)),
            ])
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

/// One query of `bench queries`, as `--json` prints it (latencies in nanoseconds).
struct QueryRun: Encodable {
    var id: String
    var query: String
    var count: Int
    var ids: [AssetIDOutput]
    var countLatency: BenchReport.Latency
    var firstPageLatency: BenchReport.Latency
    var warnings: [String]

    private enum CodingKeys: String, CodingKey {
        case id, query, count, ids, warnings
        case countLatency = "count_latency"
        case firstPageLatency = "first_page_latency"
    }
}
