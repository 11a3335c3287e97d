import ArgumentParser
import LabelCommandLine
import LabelIndex

struct LabelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List labels with their color, parent and number of assets.",
        discussion: """
            Examples:
              labelindex labels list
              labelindex labels list --prefix team- --json
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Option(help: "Only labels whose path or name starts with this prefix.")
    var prefix: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let labelStore = try store.openExisting()
        let (labels, paths) = try labelStore.read { snapshot -> ([Label], [LabelID: String]) in
            guard let reader = try snapshot.namespace(namespace.namespace) else { return ([], [:]) }
            let all = try reader.labels()
            let paths = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.path) })
            return (try prefix.map { try reader.labels(withPrefix: $0) } ?? all, paths)
        }
        if json {
            try JSONPrinting.print(labels.map { LabelOutput($0, parentPath: $0.parent.flatMap { paths[$0] }) })
            return
        }
        var table = Table([
            .init("id", .right), .init("name"), .init("parent"), .init("color"), .init("assets", .right),
            .init("weight", .right),
        ])
        for label in labels {
            table.append([
                label.id.description, label.name, label.parent.flatMap { paths[$0] } ?? "", label.color.hex,
                Formatting.count(label.assetCount), label.weight.map { "\($0)" } ?? "",
            ])
        }
        Console.output(table.rendered)
        Console.output("\(Formatting.count(labels.count)) label\(labels.count == 1 ? "" : "s")")
    }
}

/// A label as `--json` prints it.
struct LabelOutput: Encodable {
    var id: UInt32
    var name: String
    /// What queries and assets call the label (see `LabelPath`).
    var path: String
    /// The parent's path.
    var parent: String?
    var color: String
    var weight: Double?
    var assets: Int
    var children: [LabelOutput]?

    init(_ label: Label, parentPath: String?, children: [LabelOutput]? = nil) {
        id = label.id.rawValue
        name = label.name
        path = label.path
        parent = parentPath
        color = label.color.hex
        weight = label.weight
        assets = label.assetCount
        self.children = children
    }
}
