import ArgumentParser
import Foundation
import LabelCommandLine
import LabelIndex

struct AssetsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an asset's attributes and labels.",
        discussion: """
            Examples:
              labelindex assets show 123456
              labelindex assets show form:251464995493876 --namespace acme/default --json
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The asset: an integer id or type:id.")
    var asset: AssetKeyArgument

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let labelStore = try store.openExisting()
        let found = try labelStore.read { snapshot in
            try snapshot.requireNamespace(namespace.namespace).existingAsset(asset.key)
        }
        if json {
            try JSONPrinting.print(AssetOutput(found))
            return
        }
        var lines = [
            "id:         \(found.key)",
            "ordinal:    \(found.ordinal)",
            "name:       \(found.name)",
        ]
        if let type = found.assetType { lines.append("asset type: \(type)") }
        lines.append("created:    \(Formatting.timestamp(found.createdAt))")
        lines.append("updated:    \(Formatting.timestamp(found.updatedAt))")
        if let metadata = found.metadata { lines.append("metadata:   \(String(decoding: metadata, as: UTF8.self))") }
        lines.append("labels:     \(found.labels.isEmpty ? "(none)" : found.labelSummary)")
        Console.output(lines.joined(separator: "\n"))
    }
}
