import ArgumentParser
import LabelCommandLine
import LabelIndex

struct LabelsRenameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename",
        abstract: "Rename a label; its assets keep it under the new name.",
        discussion: """
            Example:
              labelindex labels rename staging stage
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The label (its path).")
    var name: String

    @Argument(help: "The new name (the last part of the path).")
    var newName: String

    func run() throws {
        let labelStore = try store.openExisting()
        let label = try labelStore.write { writer in
            let namespaceWriter = try writer.requireNamespace(namespace.namespace)
            let label = try namespaceWriter.existingLabel(named: name)
            return try namespaceWriter.updateLabel(label.id, LabelUpdate(name: newName))
        }
        Console.output("renamed label \(name) to \(label.name)")
    }
}
