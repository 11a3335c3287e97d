import ArgumentParser
import Foundation
import LabelCommandLine
import LabelIndex
import LabelInterchange

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a namespace as NDJSON that `import` reads back to the same data.",
        discussion: """
            Label definitions come first (parents before children), then every asset in \
            creation order with its attributes, metadata and weighted labels. The export reads \
            one snapshot, so it is consistent even while the server keeps writing.

            Examples:
              labelindex export backup.ndjson
              labelindex export --namespace acme/default | gzip > acme.ndjson.gz
              labelindex export - | labelindex import --data-dir ./copy /dev/stdin
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The file to write; standard output when omitted or `-`.", completion: .file())
    var file: String?

    func run() throws {
        let labelStore = try store.openExisting()
        let toStandardOutput = file == nil || file == "-"
        let writer =
            toStandardOutput
            ? NDJSONWriter(fileDescriptor: STDOUT_FILENO, name: "stdout") : try NDJSONWriter(fileAt: file!)
        let report = try Exporter(store: labelStore, namespace: namespace.namespace).export(to: writer)
        try writer.close()
        Console.error(
            "exported \(Formatting.count(report.labels)) labels and \(Formatting.count(report.assets)) assets "
                + "of namespace \(namespace.name) to \(toStandardOutput ? "standard output" : file!)")
    }
}
