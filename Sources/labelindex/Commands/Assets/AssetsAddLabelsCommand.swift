import ArgumentParser
import LabelCommandLine
import LabelIndex

struct AssetsAddLabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-labels",
        abstract: "Put labels on an asset (after the ones it has).",
        discussion: """
            Labels must exist unless --create is given, so that a typo does not silently make \
            a new label. Labels the asset already carries keep their place.

            Examples:
              labelindex assets add-labels 123456 prod api
              labelindex assets add-labels 123456 brand-new --create
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The asset: an integer id or type:id.")
    var asset: AssetKeyArgument

    @Argument(help: "The labels to add.")
    var labels: [String]

    @Flag(help: "Create labels that do not exist yet (default color, at the root).")
    var create = false

    func validate() throws {
        guard !labels.isEmpty else { throw ValidationError("Name at least one label.") }
    }

    func run() throws {
        let labelStore = create ? try store.openForWriting() : try store.openExisting()
        let names = try labelStore.write { writer in
            let namespaceWriter =
                try create ? writer.namespace(namespace.namespace) : writer.requireNamespace(namespace.namespace)
            _ = try namespaceWriter.existingAsset(asset.key)
            if !create { for label in labels { _ = try namespaceWriter.existingLabel(named: label) } }
            try namespaceWriter.apply(.append(labels.map { LabelAssignment($0) }), to: asset.key)
            return try namespaceWriter.labels(of: asset.key)?.map(\.name) ?? []
        }
        Console.output("\(asset.key): \(names.joined(separator: ", "))")
    }
}
