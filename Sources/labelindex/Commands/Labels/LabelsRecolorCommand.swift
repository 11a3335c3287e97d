import ArgumentParser
import LabelCommandLine
import LabelIndex

struct LabelsRecolorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recolor",
        abstract: "Change a label's color.",
        discussion: """
            Example:
              labelindex labels recolor prod '#D62728'
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The label.")
    var name: String

    @Argument(help: "The color, #RRGGBB.")
    var color: String

    func run() throws {
        guard let parsed = LabelColor(hex: color) else {
            throw CommandFailure.badInput("color \(color) is not #RRGGBB")
        }
        let labelStore = try store.openExisting()
        try labelStore.write { writer in
            let namespaceWriter = try writer.requireNamespace(namespace.namespace)
            let label = try namespaceWriter.existingLabel(named: name)
            try namespaceWriter.updateLabel(label.id, LabelUpdate(color: parsed))
        }
        Console.output("label \(name) is now \(parsed.hex)")
    }
}
