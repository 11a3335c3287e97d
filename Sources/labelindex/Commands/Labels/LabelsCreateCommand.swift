import ArgumentParser
import LabelCommandLine
import LabelIndex

struct LabelsCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a label.",
        discussion: """
            Without --color the label gets a stable default color derived from its name.

            Examples:
              labelindex labels create prod
              labelindex labels create eng/backend --parent eng --color '#1F77B4' --weight 0.5
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The new label's name.")
    var name: String

    @Option(help: "The parent label (its path).")
    var parent: String?

    @Option(help: "The color, #RRGGBB.")
    var color: String?

    @Option(help: "A namespace-level weight.")
    var weight: Double?

    func run() throws {
        let parsedColor = try color.map { text -> LabelColor in
            guard let color = LabelColor(hex: text) else {
                throw CommandFailure.badInput("color \(text) is not #RRGGBB")
            }
            return color
        }
        let labelStore = try store.openForWriting()
        let label = try labelStore.write { writer in
            let namespaceWriter = try writer.namespace(namespace.namespace)
            let parentID = try parent.map { try namespaceWriter.existingLabel(named: $0).id }
            return try namespaceWriter.createLabel(
                NewLabel(name: name, color: parsedColor, parent: parentID, weight: weight))
        }
        Console.output("created label \(label.name) (id \(label.id), color \(label.color.hex))")
    }
}
