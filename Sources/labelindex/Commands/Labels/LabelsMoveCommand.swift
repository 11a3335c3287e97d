import ArgumentParser
import LabelCommandLine
import LabelIndex

struct LabelsMoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move a label under another label, or to the root of the hierarchy.",
        discussion: """
            The label's sub-labels move with it. A move that would put a label below itself is \
            rejected.

            Examples:
              labelindex labels move eng/legacy --under archive
              labelindex labels move eng/legacy --root
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The label to move.")
    var name: String

    @Option(help: "The new parent label.")
    var under: String?

    @Flag(help: "Make the label a root label.")
    var root = false

    func validate() throws {
        guard (under != nil) != root else { throw ValidationError("Pass exactly one of --under PARENT and --root.") }
    }

    func run() throws {
        let labelStore = try store.openExisting()
        try labelStore.write { writer in
            let namespaceWriter = try writer.requireNamespace(namespace.namespace)
            let label = try namespaceWriter.existingLabel(named: name)
            let parent: LabelParent = try under.map { .label(try namespaceWriter.existingLabel(named: $0).id) } ?? .root
            try namespaceWriter.updateLabel(label.id, LabelUpdate(parent: parent))
        }
        Console.output(under.map { "moved label \(name) under \($0)" } ?? "moved label \(name) to the root")
    }
}
