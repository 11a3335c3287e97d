import ArgumentParser
import LabelCommandLine
import LabelIndex

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show the size of the store and the totals of each namespace.",
        discussion: """
            Examples:
              labelindex stats
              labelindex stats --json
            """)

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Also list the size of each internal database.")
    var databases = false

    func run() throws {
        let labelStore = try store.openExisting()
        let statistics = try labelStore.read { try $0.statistics() }
        if json {
            try JSONPrinting.print(StatsOutput(statistics))
            return
        }
        var table = Table([
            .init("namespace"), .init("assets", .right), .init("labels", .right), .init("pairs", .right),
        ])
        for totals in statistics.namespaces {
            table.append([
                totals.namespace.name, Formatting.count(totals.assets), Formatting.count(totals.labels),
                Formatting.count(totals.pairs),
            ])
        }
        var lines = [
            "store:     \(labelStore.path)",
            "file:      \(Formatting.bytes(statistics.fileBytes)) (data.mdb), \(Formatting.bytes(statistics.usedBytes)) in use, map \(Formatting.bytes(statistics.mapSize))",
            "",
            statistics.namespaces.isEmpty ? "no namespaces" : table.rendered,
        ]
        if databases {
            var pages = Table([.init("database"), .init("entries", .right), .init("bytes", .right)])
            for (name, database) in statistics.databases.sorted(by: { $0.key < $1.key }) {
                pages.append([name, Formatting.count(database.entries), Formatting.bytes(database.bytes)])
            }
            lines += ["", pages.rendered]
        }
        Console.output(lines.joined(separator: "\n"))
    }
}

/// `labelindex stats --json`.
struct StatsOutput: Encodable {
    struct NamespaceOutput: Encodable {
        var name: String
        var assets: Int
        var labels: Int
        var pairs: Int
    }

    struct DatabaseOutput: Encodable {
        var entries: Int
        var bytes: Int
    }

    var fileBytes: Int
    var usedBytes: Int
    var mapBytes: Int
    var namespaces: [NamespaceOutput]
    var databases: [String: DatabaseOutput]

    init(_ statistics: StoreStatistics) {
        fileBytes = statistics.fileBytes
        usedBytes = statistics.usedBytes
        mapBytes = statistics.mapSize
        namespaces = statistics.namespaces.map {
            NamespaceOutput(name: $0.namespace.name, assets: $0.assets, labels: $0.labels, pairs: $0.pairs)
        }
        databases = statistics.databases.mapValues { DatabaseOutput(entries: $0.entries, bytes: $0.bytes) }
    }

    private enum CodingKeys: String, CodingKey {
        case namespaces, databases
        case fileBytes = "file_bytes"
        case usedBytes = "used_bytes"
        case mapBytes = "map_bytes"
    }
}
