import ArgumentParser
import LabelCommandLine
import LabelIndex

struct AssetsRemoveLabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-labels",
        abstract: "Take labels off an asset; the labels themselves stay.",
        discussion: """
            Naming a label that does not exist is an error; naming one the asset does not carry \
            is not.

            Example:
              labelindex assets remove-labels 123456 api critical
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The asset: an integer id or type:id.")
    var asset: AssetKeyArgument

    @Argument(help: "The labels to remove.")
    var labels: [String]

    func validate() throws {
        guard !labels.isEmpty else { throw ValidationError("Name at least one label.") }
    }

    func run() throws {
        let labelStore = try store.openExisting()
        let names = try labelStore.write { writer in
            let namespaceWriter = try writer.requireNamespace(namespace.namespace)
            _ = try namespaceWriter.existingAsset(asset.key)
            for label in labels { _ = try namespaceWriter.existingLabel(named: label) }
            try namespaceWriter.apply(.remove(labels), to: asset.key)
            return try namespaceWriter.labels(of: asset.key)?.map(\.name) ?? []
        }
        Console.output("\(asset.key): \(names.isEmpty ? "(no labels)" : names.joined(separator: ", "))")
    }
}
