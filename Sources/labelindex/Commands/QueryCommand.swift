import ArgumentParser
import LabelCommandLine
import LabelIndex
import LabelQuery

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Find assets by their labels.",
        discussion: """
            The query language (Grammar/README.md): label:NAME, label:a,b (any of), \
            label:team-* (prefix), under:NAME (the label or any below it), has:label, no:label, \
            asset:123 or asset:type:id, *, combined with AND (or juxtaposition), OR, NOT (or -) \
            and parentheses. Results come in creation order; a page that has more after it \
            prints a cursor for the next one.

            A syntax error is printed with a caret under the offending text, and the command \
            exits with status 2. A label that does not exist matches nothing and is reported as \
            a warning.

            Examples:
              labelindex query 'label:prod AND NOT label:reviewed'
              labelindex query 'under:eng -label:archived' --limit 100 --facets p1,p2
              labelindex query 'label:prod' --count
              labelindex query 'label:prod' --cursor AAAAAGQ3mWb1 --json
              labelindex query '(label:a OR label:b) label:c' --explain
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The query, e.g. 'label:prod AND NOT label:reviewed'.")
    var query: String

    @Flag(help: "Print only the number of matching assets.")
    var count = false

    @Option(help: "Assets per page (at most \(QueryRequest.maximumLimit)).")
    var limit: Int = 20

    @Option(help: "Continue after the page that printed this cursor.")
    var cursor: String?

    @Option(help: "Count the matches carrying each of these labels (comma-separated).")
    var facets: String?

    @Flag(help: "Also print the plan with estimated and actual counts and timings.")
    var explain = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard (0...QueryRequest.maximumLimit).contains(limit) else {
            throw ValidationError("--limit must be in 0...\(QueryRequest.maximumLimit).")
        }
    }

    func run() throws {
        let prepared = try QueryParsing.prepare(query)
        let labelStore = try store.openExisting()
        let facetNames = (facets ?? "").split(separator: ",").map(String.init)
        let request = QueryRequest(
            limit: count ? 0 : limit, cursor: cursor.map { QueryCursor(rawValue: $0) }, includeCount: true,
            contents: count ? .ordinals : .assets, facets: facetNames, explain: explain)
        let namespaceExists = try labelStore.read { try $0.namespace(namespace.namespace) != nil }
        let result = try labelStore.query(prepared, in: namespace.namespace, request)
        if !namespaceExists { Console.error("warning: namespace \(namespace.name) holds no data") }
        if json {
            try JSONPrinting.print(QueryOutput(query: prepared, result: result))
        } else {
            printText(result, prepared: prepared)
        }
    }

    private func printText(_ result: QueryResult, prepared: PreparedQuery) {
        for warning in result.warnings { Console.error("warning: \(warning)") }
        if count {
            Console.output(String(result.count ?? 0))
        } else {
            if !result.assets.isEmpty { Console.output(Self.table(of: result.assets).rendered) }
            let total = result.count ?? 0
            let shown = result.assets.count
            Console.output(
                "\(Formatting.count(total)) matching asset\(total == 1 ? "" : "s")"
                    + (shown < total ? ", \(shown) shown" : ""))
            if let next = result.nextCursor { Console.output("next page: --cursor \(next.rawValue)") }
        }
        if !result.facets.isEmpty {
            var table = Table([.init("facet"), .init("assets", .right)])
            for facet in result.facets { table.append([facet.label, Formatting.count(facet.count)]) }
            Console.output(table.rendered)
        }
        if let explanation = result.explanation { Console.output(explanation.rendered) }
    }

    static func table(of assets: [Asset]) -> Table {
        var table = Table([.init("ordinal", .right), .init("id"), .init("name"), .init("labels")])
        for asset in assets {
            table.append([
                String(asset.ordinal.rawValue), asset.key.description, Formatting.truncated(asset.name, to: 48),
                Formatting.truncated(asset.labelSummary, to: 80),
            ])
        }
        return table
    }
}

/// `labelindex query --json`.
struct QueryOutput: Encodable {
    struct FacetOutput: Encodable {
        var label: String
        var count: Int
    }

    struct PlanNodeOutput: Encodable {
        var operation: String
        var query: String
        var estimatedCount: Int
        var actualCount: Int
        var microseconds: Double
        var children: [PlanNodeOutput]

        init(_ node: QueryExplanation.Node) {
            operation = node.operation
            query = node.query
            estimatedCount = node.estimatedCount
            actualCount = node.actualCount
            microseconds = node.microseconds
            children = node.children.map(PlanNodeOutput.init)
        }

        private enum CodingKeys: String, CodingKey {
            case operation, query, microseconds, children
            case estimatedCount = "estimated_count"
            case actualCount = "actual_count"
        }
    }

    var query: String
    var count: Int?
    var assets: [AssetOutput]
    var nextCursor: String?
    var facets: [FacetOutput]
    var warnings: [String]
    var plan: PlanNodeOutput?

    init(query: PreparedQuery, result: QueryResult) {
        self.query = query.text
        count = result.count
        assets = result.assets.map(AssetOutput.init)
        nextCursor = result.nextCursor?.rawValue
        facets = result.facets.map { FacetOutput(label: $0.label, count: $0.count) }
        warnings = result.warnings.map(\.description)
        plan = result.explanation.map { PlanNodeOutput($0.plan) }
    }

    private enum CodingKeys: String, CodingKey {
        case query, count, assets, facets, warnings, plan
        case nextCursor = "next_cursor"
    }
}
