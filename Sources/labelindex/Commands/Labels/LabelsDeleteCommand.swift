import ArgumentParser
import LabelCommandLine
import LabelIndex

struct LabelsDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a label and its sub-labels; the assets stay.",
        discussion: """
            The label and every label below it are taken off all assets and deleted, in one \
            transaction.

            Example:
              labelindex labels delete obsolete
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The label to delete.")
    var name: String

    func run() throws {
        let labelStore = try store.openExisting()
        let deleted = try labelStore.write { writer in
            let namespaceWriter = try writer.requireNamespace(namespace.namespace)
            let label = try namespaceWriter.existingLabel(named: name)
            return try namespaceWriter.deleteLabel(label.id)
        }
        let others = deleted.count - 1
        Console.output(
            "deleted label \(name)" + (others > 0 ? " and \(others) sub-label\(others == 1 ? "" : "s")" : ""))
    }
}
