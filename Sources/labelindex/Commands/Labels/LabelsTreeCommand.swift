import ArgumentParser
import LabelCommandLine
import LabelIndex

struct LabelsTreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Show the label hierarchy with the number of assets of each label.",
        discussion: """
            Examples:
              labelindex labels tree
              labelindex labels tree --namespace acme/default --json
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Flag(help: "Print JSON (nested `children`) instead of a tree.")
    var json = false

    func run() throws {
        let labelStore = try store.openExisting()
        let roots = try labelStore.read { snapshot in try snapshot.namespace(namespace.namespace)?.labelTree() ?? [] }
        if json {
            func output(_ node: LabelNode, parent: String?) -> LabelOutput {
                LabelOutput(
                    node.label, parentPath: parent, children: node.children.map { output($0, parent: node.label.path) })
            }
            try JSONPrinting.print(roots.map { output($0, parent: nil) })
            return
        }
        var lines: [String] = []
        func draw(_ node: LabelNode, prefix: String, isLast: Bool, isRoot: Bool) {
            let branch = isRoot ? "" : (isLast ? "└── " : "├── ")
            lines.append("\(prefix)\(branch)\(node.label.name) (\(Formatting.count(node.label.assetCount)))")
            let childPrefix = isRoot ? "" : prefix + (isLast ? "    " : "│   ")
            for (index, child) in node.children.enumerated() {
                draw(child, prefix: childPrefix, isLast: index == node.children.count - 1, isRoot: false)
            }
        }
        for root in roots { draw(root, prefix: "", isLast: true, isRoot: true) }
        Console.output(lines.isEmpty ? "no labels in namespace \(namespace.name)" : lines.joined(separator: "\n"))
    }
}
